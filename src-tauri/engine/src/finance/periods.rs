//! Accounting periods (calendar months in the company's time zone): open, closing,
//! closed. Nothing posts into a period that is not open (a database trigger refuses
//! it), periods close in order, and closing reconciles the stock ledger with the GL
//! first: a period with a difference stays open and its variances become exceptions.

use chrono::{Datelike, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use specta::Type;
use sqlx::PgPool;

use super::reconcile::{self, Reconciliation};
use crate::error::{EngineError, Result, StorageContext};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type, sqlx::Type)]
#[sqlx(type_name = "period_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PeriodStatus {
    Open,
    Closing,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct Period {
    /// First day of the month.
    pub month: NaiveDate,
    pub status: PeriodStatus,
    pub changed_by: Option<String>,
    pub entries: i64,
    #[specta(type = String)]
    pub debits: Decimal,
}

pub async fn list(pool: &PgPool) -> Result<Vec<Period>> {
    sqlx::query_as::<_, Period>(
        "SELECT p.month, p.status, p.changed_by,
                (SELECT count(*) FROM journal_entries e WHERE e.period = p.month) AS entries,
                coalesce((SELECT sum(l.debit) FROM journal_lines l
                          JOIN journal_entries e ON e.id = l.entry_id
                          WHERE e.period = p.month), 0) AS debits
         FROM periods p ORDER BY p.month DESC",
    )
    .fetch_all(pool)
    .await
    .context("reading periods")
}

/// The outcome of closing a period.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct CloseOutcome {
    pub month: NaiveDate,
    pub status: PeriodStatus,
    pub reconciliation: Reconciliation,
    /// Variances raised as exceptions when the period could not close.
    pub exceptions_raised: u64,
}

fn last_day(month: NaiveDate) -> NaiveDate {
    let next = month.checked_add_months(chrono::Months::new(1)).unwrap_or(month);
    next - Days::new(1)
}

/// Closes `month`: refuses while an earlier period is open, marks it closing (no more
/// postings), reconciles as of its last day, then closes it, or reopens it when the
/// stock ledger and the GL differ.
pub async fn close(pool: &PgPool, actor: &str, month: NaiveDate) -> Result<CloseOutcome> {
    let month = month.with_day(1).unwrap_or(month);
    let label = month.format("%Y-%m").to_string();
    let mut tx = pool.begin().await.context("starting the period close")?;
    let status: Option<PeriodStatus> =
        sqlx::query_scalar("SELECT status FROM periods WHERE month = $1 FOR UPDATE")
            .bind(month)
            .fetch_optional(&mut *tx)
            .await
            .context(format!("reading period {label}"))?;
    match status {
        None => return Err(EngineError::NotFound { what: "period", key: label }),
        Some(PeriodStatus::Closed) => {
            return Err(EngineError::InvalidInput(format!("period {label} is already closed")))
        }
        Some(_) => {}
    }
    let earlier: Option<NaiveDate> = sqlx::query_scalar(
        "SELECT min(month) FROM periods WHERE month < $1 AND status <> 'closed'",
    )
    .bind(month)
    .fetch_one(&mut *tx)
    .await
    .context("checking earlier periods")?;
    if let Some(e) = earlier {
        return Err(EngineError::InvalidInput(format!(
            "period {} is still open; close periods in order",
            e.format("%Y-%m")
        )));
    }
    set(&mut tx, month, PeriodStatus::Closing, actor).await?;
    tx.commit().await.context(format!("marking period {label} closing"))?;

    let report = reconcile::reconcile(pool, last_day(month)).await?;
    let (status, raised) = if report.difference.is_zero() && report.variances.is_empty() {
        (PeriodStatus::Closed, 0)
    } else {
        (PeriodStatus::Open, reconcile::raise_variances(pool, &report, actor).await?)
    };
    let mut tx = pool.begin().await.context("finishing the period close")?;
    set(&mut tx, month, status, actor).await?;
    tx.commit().await.context(format!("closing period {label}"))?;
    tracing::info!(period = %label, ?status, difference = %report.difference, "period close");
    Ok(CloseOutcome { month, status, reconciliation: report, exceptions_raised: raised })
}

async fn set(
    conn: &mut sqlx::PgConnection,
    month: NaiveDate,
    status: PeriodStatus,
    actor: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE periods SET status = $2, changed_at = $3, changed_by = $4 WHERE month = $1",
    )
    .bind(month)
    .bind(status)
    .bind(Utc::now())
    .bind(actor)
    .execute(conn)
    .await
    .context("updating the period")?;
    Ok(())
}
