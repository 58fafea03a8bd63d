//! Opening the database: the private local cluster by default, or a shared server.
//! Migrations run on every open; they are forward-only and embedded in the binary.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use specta::Type;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};

use crate::cluster::LocalCluster;
use crate::config::{DatabaseMode, SharedProfile};
use crate::error::{EngineError, Result, StorageContext};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// The app's database name inside the local cluster.
pub const LOCAL_DATABASE: &str = "stockroom";

/// An open database, and the local cluster behind it when there is one.
pub struct Database {
    pub pool: PgPool,
    local: Option<LocalCluster>,
    /// Whether this process started the local server, and so stops it on close.
    owns_server: bool,
    description: String,
}

impl Database {
    /// Starts (or reuses) the private cluster in the app's data folder and migrates.
    pub async fn open_local(data_dir: &Path) -> Result<Database> {
        let cluster = LocalCluster::new(&LocalCluster::default_root(data_dir), true)?;
        let owns_server = cluster.start().await?;
        create_database_if_missing(&cluster, LOCAL_DATABASE).await?;
        let pool = connect(cluster.connect_options(LOCAL_DATABASE), 8).await?;
        migrate(&pool).await?;
        let description = format!("local cluster in {}", cluster.root().display());
        Ok(Database { pool, local: Some(cluster), owns_server, description })
    }

    /// Connects to a shared server with a password from the keyring or the user.
    pub async fn open_shared(profile: &SharedProfile, password: &str) -> Result<Database> {
        let pool = connect(profile.connect_options(password), 8).await?;
        migrate(&pool).await?;
        let description = format!(
            "shared server {}@{}:{}/{}",
            profile.user, profile.host, profile.port, profile.database
        );
        Ok(Database { pool, local: None, owns_server: false, description })
    }

    pub fn mode(&self) -> DatabaseMode {
        if self.local.is_some() {
            DatabaseMode::Local
        } else {
            DatabaseMode::Shared
        }
    }

    /// Where the data lives, for display; never includes a password.
    pub fn describe(&self) -> String {
        self.description.clone()
    }

    /// Closes connections and stops the local cluster if this process started it; a
    /// server the app (or another command) runs is left running for it.
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(cluster) = self.local.filter(|_| self.owns_server) {
            if let Err(err) = cluster.stop().await {
                tracing::warn!(error = %err, "stopping the local cluster failed");
            }
        }
    }
}

pub async fn connect(options: PgConnectOptions, max_connections: u32) -> Result<PgPool> {
    let options = options.log_statements(tracing::log::LevelFilter::Trace);
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await
        .map_err(|e| EngineError::DatabaseUnavailable(e.to_string()))
}

pub async fn migrate(pool: &PgPool) -> Result<()> {
    MIGRATOR
        .run(pool)
        .await
        .map_err(|e| EngineError::Internal(format!("migrating the database failed: {e}")))
}

pub async fn create_database_if_missing(cluster: &LocalCluster, name: &str) -> Result<()> {
    let admin = connect(cluster.connect_options("postgres"), 1).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(name)
            .fetch_one(&admin)
            .await
            .context("looking for the database")?;
    if !exists {
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&admin)
            .await
            .context(format!("creating database {name}"))?;
    }
    admin.close().await;
    Ok(())
}

/// How much data the database holds, for the status bar and the first-run check.
#[derive(Debug, Clone, Serialize, Type, sqlx::FromRow)]
pub struct DataStatus {
    pub products: i64,
    pub locations: i64,
    pub movements: i64,
    pub events: i64,
}

pub async fn data_status(pool: &PgPool) -> Result<DataStatus> {
    sqlx::query_as::<_, DataStatus>(
        "SELECT (SELECT count(*) FROM products) AS products,
                (SELECT count(*) FROM locations) AS locations,
                (SELECT count(*) FROM movements) AS movements,
                (SELECT count(*) FROM intake_events) AS events",
    )
    .fetch_one(pool)
    .await
    .context("reading data status")
}
