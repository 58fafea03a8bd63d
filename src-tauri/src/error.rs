//! The one error type the UI sees: a stable code from the engine and a message a
//! back-office user can act on. The full cause chain is logged here, at the boundary,
//! and never sent to the window.

use serde::Serialize;
use specta::Type;
use stockroom_engine::{EngineError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct UiError {
    pub code: ErrorCode,
    pub message: String,
}

impl UiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    /// The shell has no database connection (start-up failed, or shared mode is waiting
    /// for a password).
    pub fn not_connected(reason: impl Into<String>) -> Self {
        Self::new(ErrorCode::DatabaseUnavailable, reason)
    }
}

impl From<EngineError> for UiError {
    fn from(err: EngineError) -> Self {
        tracing::warn!(code = ?err.code(), error = %cause_chain(&err), "command failed");
        Self { code: err.code(), message: err.user_message() }
    }
}

/// `outer: inner: innermost`, for the log only: causes may name hosts and SQL.
fn cause_chain(err: &dyn std::error::Error) -> String {
    let mut chain = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

pub type UiResult<T> = Result<T, UiError>;
