//! What the running app holds: its folders, the current database (or why there is
//! none), and a shared-server password typed in this session. The password lives only in
//! memory; it is never logged and never written to disk.

use std::path::PathBuf;
use std::sync::Arc;

use sqlx::PgPool;
use stockroom_engine::config::DatabaseMode;
use stockroom_engine::store::Database;
use tokio::sync::{Mutex, OwnedRwLockWriteGuard, RwLock};

use crate::error::{UiError, UiResult};

/// The app's own folders, resolved from the bundle identifier by Tauri.
#[derive(Debug, Clone)]
pub struct AppDirs {
    /// Holds the local PostgreSQL cluster.
    pub data: PathBuf,
    /// Holds `settings.json`.
    pub config: PathBuf,
    pub logs: PathBuf,
}

/// The database the commands talk to, or the reason there is none.
pub enum Connection {
    Open(Database),
    Closed(UiError),
}

pub struct AppState {
    pub dirs: AppDirs,
    db: Arc<RwLock<Connection>>,
    session_password: Mutex<Option<SessionPassword>>,
}

/// A password typed in this session, tied to the profile account it was typed for.
struct SessionPassword {
    account: String,
    password: String,
}

impl AppState {
    pub fn new(dirs: AppDirs) -> Self {
        let starting = UiError::not_connected("the database is starting");
        Self {
            dirs,
            db: Arc::new(RwLock::new(Connection::Closed(starting))),
            session_password: Mutex::new(None),
        }
    }

    /// Who the ledger and the audit fields name for this window's actions: the OS user,
    /// until sign-in with database roles arrives.
    pub fn actor(&self) -> String {
        let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME"));
        format!("desktop:{}", user.unwrap_or_else(|_| "user".into()))
    }

    /// Locks the connection for a change; commands wait until the guard is dropped. Taken
    /// synchronously at start-up so no command can run before the first open finishes.
    pub fn try_lock_for_change(&self) -> Option<OwnedRwLockWriteGuard<Connection>> {
        self.db.clone().try_write_owned().ok()
    }

    pub async fn lock_for_change(&self) -> OwnedRwLockWriteGuard<Connection> {
        self.db.clone().write_owned().await
    }

    /// A handle on the pool; cheap to clone, so no lock is held while a query runs.
    pub async fn pool(&self) -> UiResult<PgPool> {
        match &*self.db.read().await {
            Connection::Open(db) => Ok(db.pool.clone()),
            Connection::Closed(reason) => Err(reason.clone()),
        }
    }

    /// The open database's mode and description (never a secret).
    pub async fn describe(&self) -> UiResult<(DatabaseMode, String, PgPool)> {
        match &*self.db.read().await {
            Connection::Open(db) => Ok((db.mode(), db.describe(), db.pool.clone())),
            Connection::Closed(reason) => Err(reason.clone()),
        }
    }

    /// Takes the database out for shutdown, leaving the reason behind for late callers.
    pub async fn take_for_exit(&self) -> Option<Database> {
        let closing = Connection::Closed(UiError::not_connected("the app is closing"));
        match std::mem::replace(&mut *self.db.write().await, closing) {
            Connection::Open(db) => Some(db),
            Connection::Closed(_) => None,
        }
    }

    pub async fn remember_session_password(&self, account: String, password: String) {
        *self.session_password.lock().await = Some(SessionPassword { account, password });
    }

    pub async fn session_password(&self, account: &str) -> Option<String> {
        let guard = self.session_password.lock().await;
        guard.as_ref().filter(|s| s.account == account).map(|s| s.password.clone())
    }
}
