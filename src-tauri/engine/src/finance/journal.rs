//! Reading the journal, with filters, and exporting it and the reconciliation to CSV in
//! a shape an accountant can load: one row per journal line, dates in the company's time
//! zone, amounts with two decimals.

use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgPool;

use super::reconcile::Reconciliation;
use crate::error::{EngineError, Result, StorageContext};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
pub struct JournalFilter {
    /// Entries on or after this day (company time zone).
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// Entries up to the end of this day.
    #[serde(default)]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub movement_id: Option<i64>,
    #[serde(default)]
    pub kind: Option<String>,
}

/// One journal line with its entry.
#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct JournalLine {
    pub entry_id: i64,
    pub kind: String,
    pub event_time: DateTime<Utc>,
    /// The day in the company's time zone.
    pub day: NaiveDate,
    pub period: NaiveDate,
    pub movement_id: Option<i64>,
    pub memo: String,
    pub line_no: i32,
    pub account: String,
    pub account_name: String,
    pub location: String,
    pub sku: String,
    #[specta(type = String)]
    pub debit: Decimal,
    #[specta(type = String)]
    pub credit: Decimal,
}

const LINES: &str = "
    SELECT e.id AS entry_id, e.kind, e.event_time,
           (e.event_time AT TIME ZONE f.time_zone)::date AS day, e.period, e.movement_id,
           e.memo, l.line_no, l.account, a.name AS account_name, l.location, l.sku, l.debit,
           l.credit
    FROM journal_entries e
    CROSS JOIN finance_settings f
    JOIN journal_lines l ON l.entry_id = e.id
    JOIN accounts a ON a.code = l.account
    WHERE ($1::date IS NULL OR e.event_time >= ($1::timestamp AT TIME ZONE f.time_zone))
      AND ($2::date IS NULL OR e.event_time < (($2 + 1)::timestamp AT TIME ZONE f.time_zone))
      AND ($3::text IS NULL OR l.account = $3)
      AND ($4::text IS NULL OR l.location = $4)
      AND ($5::text IS NULL OR l.sku = $5)
      AND ($6::bigint IS NULL OR e.movement_id = $6)
      AND ($7::text IS NULL OR e.kind = $7)";

/// Journal lines matching the filter, newest first.
pub async fn lines(
    pool: &PgPool,
    f: &JournalFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<JournalLine>> {
    sqlx::query_as::<_, JournalLine>(&format!(
        "{LINES} ORDER BY e.event_time DESC, e.id DESC, l.line_no LIMIT $8 OFFSET $9"
    ))
    .bind(f.from)
    .bind(f.to)
    .bind(&f.account)
    .bind(&f.location)
    .bind(&f.sku)
    .bind(f.movement_id)
    .bind(&f.kind)
    .bind(limit.clamp(1, 10_000))
    .bind(offset.max(0))
    .fetch_all(pool)
    .await
    .context("reading the journal")
}

/// Balances per account over the filter: (account, name, debits, credits).
#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct AccountTotal {
    pub account: String,
    pub account_name: String,
    #[specta(type = String)]
    pub debit: Decimal,
    #[specta(type = String)]
    pub credit: Decimal,
    /// Debits minus credits.
    #[specta(type = String)]
    pub balance: Decimal,
}

pub async fn totals(pool: &PgPool, f: &JournalFilter) -> Result<Vec<AccountTotal>> {
    sqlx::query_as::<_, AccountTotal>(&format!(
        "SELECT account, account_name, sum(debit) AS debit, sum(credit) AS credit,
                sum(debit - credit) AS balance
         FROM ({LINES}) x GROUP BY account, account_name ORDER BY account"
    ))
    .bind(f.from)
    .bind(f.to)
    .bind(&f.account)
    .bind(&f.location)
    .bind(&f.sku)
    .bind(f.movement_id)
    .bind(&f.kind)
    .fetch_all(pool)
    .await
    .context("totalling the journal")
}

fn csv_error(e: impl std::fmt::Display) -> EngineError {
    EngineError::Internal(format!("writing CSV: {e}"))
}

/// Writes every journal line matching the filter as CSV; returns the lines written.
pub async fn export_csv(pool: &PgPool, f: &JournalFilter, out: impl Write) -> Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "entry_id",
        "date",
        "period",
        "kind",
        "movement_id",
        "memo",
        "line",
        "account",
        "account_name",
        "location",
        "sku",
        "debit",
        "credit",
    ])
    .map_err(csv_error)?;
    let mut written = 0u64;
    let page = 10_000;
    loop {
        let rows = lines(pool, f, page, written as i64).await?;
        for r in &rows {
            w.write_record([
                r.entry_id.to_string(),
                r.day.to_string(),
                r.period.format("%Y-%m").to_string(),
                r.kind.clone(),
                r.movement_id.map(|m| m.to_string()).unwrap_or_default(),
                r.memo.clone(),
                r.line_no.to_string(),
                r.account.clone(),
                r.account_name.clone(),
                r.location.clone(),
                r.sku.clone(),
                format!("{:.2}", r.debit),
                format!("{:.2}", r.credit),
            ])
            .map_err(csv_error)?;
        }
        written += rows.len() as u64;
        if (rows.len() as i64) < page {
            break;
        }
    }
    w.flush().map_err(csv_error)?;
    Ok(written)
}

/// Writes the reconciliation (per account and location, then any variances by SKU).
pub fn reconciliation_csv(report: &Reconciliation, out: impl Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "as_of",
        "account",
        "account_name",
        "location",
        "sku",
        "units",
        "stock_ledger",
        "gl",
        "difference",
    ])
    .map_err(csv_error)?;
    for r in report.by_location.iter().chain(&report.variances) {
        w.write_record([
            report.as_of.to_string(),
            r.account.clone(),
            r.account_name.clone(),
            r.location.clone(),
            r.sku.clone(),
            r.units.to_string(),
            format!("{:.2}", r.ledger_value),
            format!("{:.2}", r.gl_value),
            format!("{:.2}", r.difference),
        ])
        .map_err(csv_error)?;
    }
    w.flush().map_err(csv_error)?;
    Ok(())
}

/// One month's figures from the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct MonthFigures {
    pub period: NaiveDate,
    /// Inventory and goods in transit at the end of the month.
    #[specta(type = String)]
    pub stock_value: Decimal,
    #[specta(type = String)]
    pub cogs: Decimal,
    /// Value of customer returns taken back into stock (a credit to cost of sales).
    #[specta(type = String)]
    pub returns: Decimal,
    #[specta(type = String)]
    pub write_offs: Decimal,
    #[specta(type = String)]
    pub liquidation: Decimal,
    #[specta(type = String)]
    pub price_variance: Decimal,
    #[specta(type = String)]
    pub received: Decimal,
}

/// Stock value, cost of goods sold, returns and write-offs by month.
pub async fn monthly(pool: &PgPool) -> Result<Vec<MonthFigures>> {
    sqlx::query_as::<_, MonthFigures>(
        "WITH m AS (
             SELECT e.period,
                    sum(l.debit - l.credit) FILTER (WHERE a.is_inventory) AS inventory,
                    sum(l.debit - l.credit) FILTER (WHERE l.account = '5000') AS cogs,
                    sum(l.credit - l.debit) FILTER (WHERE l.account = '5010') AS returns,
                    sum(l.debit - l.credit) FILTER (WHERE l.account = '5100') AS write_offs,
                    sum(l.debit - l.credit) FILTER (WHERE l.account = '5400') AS liquidation,
                    sum(l.debit - l.credit) FILTER (WHERE l.account = '5300') AS variance,
                    sum(l.credit - l.debit) FILTER (WHERE l.account = '2100') AS received
             FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
             JOIN accounts a ON a.code = l.account
             GROUP BY e.period)
         SELECT period,
                sum(coalesce(inventory, 0)) OVER (ORDER BY period) AS stock_value,
                coalesce(cogs, 0) AS cogs, coalesce(returns, 0) AS returns,
                coalesce(write_offs, 0) AS write_offs, coalesce(liquidation, 0) AS liquidation,
                coalesce(variance, 0) AS price_variance, coalesce(received, 0) AS received
         FROM m ORDER BY period",
    )
    .fetch_all(pool)
    .await
    .context("summarising the journal by month")
}
