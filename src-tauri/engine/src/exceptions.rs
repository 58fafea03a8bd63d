//! The exception queue: problems someone must act on, each with an owner. Stock
//! exceptions (a till sale that drove availability negative) and order exceptions (a
//! store that could not find a unit, a pick likely to fail) share one queue.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgPool;

use crate::error::{EngineError, Result, StorageContext};

#[derive(Debug, Clone, Serialize, Type, sqlx::FromRow)]
pub struct Exception {
    pub id: i64,
    pub kind: String,
    pub sku: String,
    pub location: String,
    pub order_id: Option<i64>,
    pub detail: String,
    pub owner: Option<String>,
    pub raised_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// Hours since raised (until resolved, for resolved ones).
    pub age_hours: f64,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<String>,
    pub resolution: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct ExceptionFilter {
    /// Open ones only (the default queue).
    pub open_only: bool,
    pub kind: Option<String>,
    pub owner: Option<String>,
    pub limit: u32,
}

/// Oldest first, so the queue is worked in order.
pub async fn list(
    pool: &PgPool,
    filter: &ExceptionFilter,
    now: DateTime<Utc>,
) -> Result<Vec<Exception>> {
    sqlx::query_as::<_, Exception>(
        "SELECT id, kind, sku, location, order_id, detail, owner, raised_at, last_seen_at,
                extract(epoch FROM coalesce(resolved_at, $5) - raised_at)::float8 / 3600
                    AS age_hours,
                resolved_at, resolved_by, resolution
         FROM stock_exceptions
         WHERE (NOT $1 OR resolved_at IS NULL)
           AND ($2::text IS NULL OR kind = $2)
           AND ($3::text IS NULL OR owner = $3)
         ORDER BY raised_at, id LIMIT $4",
    )
    .bind(filter.open_only)
    .bind(&filter.kind)
    .bind(&filter.owner)
    .bind(i64::from(filter.limit.clamp(1, 5000)))
    .bind(now)
    .fetch_all(pool)
    .await
    .context("listing exceptions")
}

/// Gives an open exception to an owner.
pub async fn assign(pool: &PgPool, id: i64, owner: &str) -> Result<()> {
    if owner.trim().is_empty() {
        return Err(EngineError::InvalidInput("owner is empty".into()));
    }
    let done =
        sqlx::query("UPDATE stock_exceptions SET owner = $2 WHERE id = $1 AND resolved_at IS NULL")
            .bind(id)
            .bind(owner.trim())
            .execute(pool)
            .await
            .context(format!("assigning exception {id}"))?;
    if done.rows_affected() == 0 {
        return Err(EngineError::NotFound { what: "open exception", key: id.to_string() });
    }
    Ok(())
}

/// Closes an open exception with what was done.
pub async fn resolve(pool: &PgPool, id: i64, actor: &str, resolution: &str) -> Result<()> {
    if resolution.trim().is_empty() {
        return Err(EngineError::InvalidInput("say what was done to resolve it".into()));
    }
    let done = sqlx::query(
        "UPDATE stock_exceptions SET resolved_at = now(), resolved_by = $2, resolution = $3
         WHERE id = $1 AND resolved_at IS NULL",
    )
    .bind(id)
    .bind(actor)
    .bind(resolution.trim())
    .execute(pool)
    .await
    .context(format!("resolving exception {id}"))?;
    if done.rows_affected() == 0 {
        return Err(EngineError::NotFound { what: "open exception", key: id.to_string() });
    }
    Ok(())
}
