//! A throwaway PostgreSQL for tests, started with the same cluster code as the app.
//!
//! The first test process of a run starts one shared cluster (guarded by a file lock,
//! since nextest runs each test in its own process) and migrates a template database
//! once per set of migrations. Every test then gets a fresh database copied from that
//! template, so tests never see each other's data. `stockroom-cli test-cluster stop`
//! stops the cluster at the end of a run.

use std::fs::File;
use std::path::PathBuf;

use sha2::{Digest, Sha256};
use sqlx::PgPool;

use chrono::{DateTime, Utc};

use crate::cluster::LocalCluster;
use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{MovementKind, NewMovement, StockState};
use crate::network::{self, Location, LocationKind};
use crate::store::{connect, create_database_if_missing, migrate, MIGRATOR};

/// Where the shared test cluster lives: `STOCKROOM_TEST_CLUSTER` or a folder in /tmp
/// (a short path the `postgres` user can enter when tests run as root).
pub fn cluster_root() -> PathBuf {
    match std::env::var_os("STOCKROOM_TEST_CLUSTER") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::temp_dir().join(format!("stockroom-test-{}", nix::unistd::geteuid())),
    }
}

pub fn test_cluster() -> Result<LocalCluster> {
    LocalCluster::new(&cluster_root(), false)
}

/// A fresh, migrated database on the shared test cluster.
pub async fn fresh_database() -> Result<PgPool> {
    fresh_database_sized(10).await
}

/// [`fresh_database`] with a pool of `max_connections` (for concurrency tests).
pub async fn fresh_database_sized(max_connections: u32) -> Result<PgPool> {
    let cluster = test_cluster()?;
    let template = template_name();
    let lock = lock_file()?;
    // Held while the cluster starts and the template is built; released on drop.
    let lock = tokio::task::spawn_blocking(move || lock.lock().map(|()| lock))
        .await
        .map_err(|e| EngineError::Internal(e.to_string()))?
        .map_err(|e| EngineError::ClusterFailed(format!("locking the test cluster: {e}")))?;
    cluster.start().await?;
    ensure_template(&cluster, &template).await?;
    drop(lock);

    let name = format!("t_{}", random_suffix());
    let admin = connect(cluster.connect_options("postgres"), 1).await?;
    sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .execute(&admin)
        .await
        .context(format!("creating test database {name}"))?;
    admin.close().await;
    connect(cluster.connect_options(&name), max_connections).await
}

/// A fresh, migrated database on a second throwaway cluster that, unlike the test
/// cluster, syncs every commit to disk: benchmarks measure PostgreSQL's real commit cost.
pub async fn durable_database(max_connections: u32) -> Result<(LocalCluster, PgPool)> {
    let mut root = cluster_root().into_os_string();
    root.push("-durable");
    let cluster = LocalCluster::new(&PathBuf::from(root), true)?;
    cluster.start().await?;
    let name = format!("b_{}", random_suffix());
    create_database_if_missing(&cluster, &name).await?;
    let pool = connect(cluster.connect_options(&name), max_connections).await?;
    migrate(&pool).await?;
    Ok((cluster, pool))
}

async fn ensure_template(cluster: &LocalCluster, template: &str) -> Result<()> {
    let admin = connect(cluster.connect_options("postgres"), 1).await?;
    let ready: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)",
    )
    .bind(template)
    .fetch_one(&admin)
    .await
    .context("looking for the test template")?;
    if !ready {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {template}"))
            .execute(&admin)
            .await
            .context("dropping a half-made test template")?;
        create_database_if_missing(cluster, template).await?;
        let pool = connect(cluster.connect_options(template), 1).await?;
        migrate(&pool).await?;
        pool.close().await;
        sqlx::query(&format!("ALTER DATABASE {template} WITH IS_TEMPLATE true"))
            .execute(&admin)
            .await
            .context("marking the test template")?;
    }
    admin.close().await;
    Ok(())
}

/// One template per set of migrations, so editing a migration never reuses a stale one.
fn template_name() -> String {
    let mut hash = Sha256::new();
    for m in MIGRATOR.iter() {
        hash.update(m.version.to_le_bytes());
        hash.update(&m.checksum);
    }
    format!("tmpl_{}", &hex::encode(hash.finalize())[..16])
}

fn lock_file() -> Result<File> {
    let root = cluster_root();
    let path = root.with_extension("lock");
    File::create(&path)
        .map_err(|e| EngineError::ClusterFailed(format!("creating {}: {e}", path.display())))
}

fn random_suffix() -> String {
    let n: u64 = rand::random();
    format!("{n:016x}")
}

/// For benchmarks: the real 124-location network when `../shared/data` is there, else
/// two DCs, a dark store, a returns hub and 120 stores on a grid over Great Britain.
pub fn bench_network() -> Result<Vec<Location>> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/network/gb-network.csv");
    if file.is_file() {
        return network::read_csv(&file);
    }
    eprintln!("note: ../shared/data not found; using a synthetic 124-location network");
    let site = |code: String, kind, lat: f64, lon: f64| Location {
        name: code.clone(),
        town: code.clone(),
        code,
        kind,
        latitude: lat,
        longitude: lon,
        town_population: 100_000,
        ships_orders: kind != LocationKind::ReturnsHub,
        offers_pickup: kind == LocationKind::Store,
        daily_pick_capacity: if kind == LocationKind::DistributionCentre { 20_000 } else { 300 },
        carrier_cutoff_local: chrono::NaiveTime::from_hms_opt(17, 0, 0),
    };
    let mut all = vec![
        site("DC-SOUTH".into(), LocationKind::DistributionCentre, 52.04, -0.76),
        site("DC-NORTH".into(), LocationKind::DistributionCentre, 53.39, -2.58),
        site("DARK-LON".into(), LocationKind::DarkStore, 51.52, -0.10),
        site("RET-HUB".into(), LocationKind::ReturnsHub, 52.57, -0.24),
    ];
    for i in 0..120 {
        let (lat, lon) = (50.5 + f64::from(i / 12) * 0.4, -4.5 + f64::from(i % 12) * 0.35);
        all.push(site(format!("ST-{:03}", i + 1), LocationKind::Store, lat, lon));
    }
    Ok(all)
}

/// A movement with only what tests and benchmarks vary; no channel, price or reason.
pub fn movement(
    kind: MovementKind,
    sku: &str,
    location: &str,
    (from, to): (Option<StockState>, Option<StockState>),
    quantity: i64,
    event_time: DateTime<Utc>,
) -> NewMovement {
    NewMovement {
        kind,
        sku: sku.into(),
        location: location.into(),
        from,
        to,
        quantity,
        channel: None,
        unit_price: None,
        unit_cost: None,
        reason: None,
        reference: None,
        event_time,
    }
}
