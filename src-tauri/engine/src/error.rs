//! Errors that leave the engine. Each variant has a stable code that the UI and the CLI
//! can match on, and a message a back-office user can act on. Causes from storage are
//! kept for the log; the message never carries connection strings or passwords.

use serde::Serialize;
use specta::Type;

/// Stable identifiers for every error the engine reports, exported to TypeScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    InsufficientAvailable,
    IdempotencyConflict,
    DatabaseUnavailable,
    PostgresNotInstalled,
    ClusterFailed,
    KeyringUnavailable,
    DataMissing,
    Storage,
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{what} not found: {key}")]
    NotFound { what: &'static str, key: String },

    #[error("{0}")]
    InvalidInput(String),

    /// Invalid input where the field at fault is known, so a file import can name it.
    #[error("{message}")]
    InvalidField { field: String, message: String },

    #[error("{sku} at {location} has {available} available; {requested} requested")]
    InsufficientAvailable { sku: String, location: String, available: i64, requested: i64 },

    #[error(
        "event {source_name}/{external_id} was already received with different content; \
         a changed event needs a new id"
    )]
    IdempotencyConflict { source_name: String, external_id: String },

    #[error("the database is not reachable: {0}")]
    DatabaseUnavailable(String),

    #[error(
        "PostgreSQL server programs (initdb, pg_ctl) were not found on PATH or under \
         /usr/lib/postgresql/*/bin; install them with: sudo apt-get install postgresql"
    )]
    PostgresNotInstalled,

    #[error("the local database could not be started: {0}")]
    ClusterFailed(String),

    #[error("no OS keyring is available ({0}); the password will be asked for each session")]
    KeyringUnavailable(String),

    #[error("data file missing: {0}")]
    DataMissing(String),

    #[error("{context}: {source}")]
    Storage {
        context: String,
        #[source]
        source: sqlx::Error,
    },

    #[error("{0}")]
    Internal(String),
}

impl EngineError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::InvalidInput(_) | Self::InvalidField { .. } => ErrorCode::InvalidInput,
            Self::InsufficientAvailable { .. } => ErrorCode::InsufficientAvailable,
            Self::IdempotencyConflict { .. } => ErrorCode::IdempotencyConflict,
            Self::DatabaseUnavailable(_) => ErrorCode::DatabaseUnavailable,
            Self::PostgresNotInstalled => ErrorCode::PostgresNotInstalled,
            Self::ClusterFailed(_) => ErrorCode::ClusterFailed,
            Self::KeyringUnavailable(_) => ErrorCode::KeyringUnavailable,
            Self::DataMissing(_) => ErrorCode::DataMissing,
            Self::Storage { .. } => ErrorCode::Storage,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// True when the ledger refused a promise beyond what was available.
    pub fn is_insufficient_available(&self) -> bool {
        match self {
            Self::InsufficientAvailable { .. } => true,
            Self::Storage { source, .. } => insufficient_from_db(source).is_some(),
            _ => false,
        }
    }

    /// Whether a unique constraint refused a row (`constraint` names which).
    pub fn is_unique_violation(&self, constraint: &str) -> bool {
        match self {
            Self::Storage { source: sqlx::Error::Database(db), .. } => {
                db.code().as_deref() == Some("23505") && db.constraint() == Some(constraint)
            }
            _ => false,
        }
    }

    /// The message shown to a user: for storage faults, only the step that failed.
    pub fn user_message(&self) -> String {
        match self {
            Self::Storage { context, source } => match insufficient_from_db(source) {
                Some(msg) => msg,
                None => format!("{context} failed; see the log for details"),
            },
            other => other.to_string(),
        }
    }
}

/// The ledger trigger raises `P0001` with a message starting `insufficient available:`
/// when a promise would drive availability below zero; surface it as plain text.
fn insufficient_from_db(err: &sqlx::Error) -> Option<String> {
    let db = err.as_database_error()?;
    let msg = db.message();
    msg.strip_prefix("insufficient available: ").map(str::to_owned)
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// Adds "what was being attempted" to storage errors, in the spirit of `anyhow::Context`.
pub trait StorageContext<T> {
    fn context(self, context: impl Into<String>) -> Result<T>;
}

impl<T> StorageContext<T> for std::result::Result<T, sqlx::Error> {
    fn context(self, context: impl Into<String>) -> Result<T> {
        self.map_err(|source| classify(context.into(), source))
    }
}

fn classify(context: String, source: sqlx::Error) -> EngineError {
    match &source {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
            EngineError::DatabaseUnavailable(context)
        }
        _ => match business_rule(&source) {
            Some(rule) => EngineError::InvalidInput(format!("{context}: {rule}")),
            None => EngineError::Storage { context, source },
        },
    }
}

/// A rule the database enforces with its own message (a trigger raising
/// `check_violation` without a constraint name), other than the ledger's refusal of a
/// promise, which callers recognise through [`EngineError::is_insufficient_available`].
fn business_rule(err: &sqlx::Error) -> Option<String> {
    let db = err.as_database_error()?;
    let raised = db.code().as_deref() == Some("23514") && db.constraint().is_none();
    (raised && insufficient_from_db(err).is_none()).then(|| db.message().to_owned())
}
