//! Reconciliation: the stock ledger's value (the sum of valued movement legs) against the
//! GL's inventory and goods-in-transit accounts (the sum of journal lines), as of the end
//! of a day in the company's time zone. The two sides are summed independently from
//! different tables; by construction they agree, and any difference is reported by
//! account, location and SKU and raised as an exception for finance to own.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use specta::Type;
use sqlx::{PgConnection, PgPool};

use crate::error::{Result, StorageContext};

/// One account x location (x SKU) of the reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct ReconRow {
    pub account: String,
    pub account_name: String,
    pub location: String,
    /// Empty on location totals.
    pub sku: String,
    #[specta(type = String)]
    pub ledger_value: Decimal,
    #[specta(type = String)]
    pub gl_value: Decimal,
    #[specta(type = String)]
    pub difference: Decimal,
    /// Units valued in the stock ledger (stock or transit pool).
    pub units: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Reconciliation {
    /// The day reconciled: up to its end in the company's time zone.
    pub as_of: NaiveDate,
    pub cutoff: DateTime<Utc>,
    pub time_zone: String,
    #[specta(type = String)]
    pub ledger_value: Decimal,
    #[specta(type = String)]
    pub gl_value: Decimal,
    #[specta(type = String)]
    pub difference: Decimal,
    /// Per account and location.
    pub by_location: Vec<ReconRow>,
    /// Every account x location x SKU whose sides differ (empty when reconciled).
    pub variances: Vec<ReconRow>,
}

/// The end of `day` in the company's time zone.
pub async fn cutoff(conn: &mut PgConnection, day: NaiveDate) -> Result<(DateTime<Utc>, String)> {
    sqlx::query_as(
        "SELECT (($1::date + 1)::timestamp AT TIME ZONE time_zone), time_zone
         FROM finance_settings",
    )
    .bind(day)
    .fetch_one(conn)
    .await
    .context("reading the company's time zone")
}

const SIDES: &str = "
    WITH ledger AS (
        SELECT CASE v.pool WHEN 'transit' THEN '1350' ELSE a.code END AS account,
               v.location, v.sku, sum(v.value) AS value, sum(v.quantity)::bigint AS units
        FROM movement_values v
        JOIN locations l ON l.code = v.location
        JOIN accounts a ON a.inventory_of = l.kind
        WHERE v.event_time < $1
        GROUP BY 1, 2, 3),
    gl AS (
        SELECT jl.account, jl.location, jl.sku, sum(jl.debit - jl.credit) AS value
        FROM journal_lines jl
        JOIN journal_entries je ON je.id = jl.entry_id
        JOIN accounts a ON a.code = jl.account AND a.is_inventory
        WHERE je.event_time < $1
        GROUP BY 1, 2, 3),
    sides AS (
        SELECT coalesce(l.account, g.account) AS account,
               coalesce(l.location, g.location) AS location,
               coalesce(l.sku, g.sku) AS sku,
               coalesce(l.value, 0) AS ledger_value, coalesce(g.value, 0) AS gl_value,
               coalesce(l.units, 0) AS units
        FROM ledger l FULL JOIN gl g
          ON g.account = l.account AND g.location = l.location AND g.sku = l.sku)";

pub async fn reconcile(pool: &PgPool, as_of: NaiveDate) -> Result<Reconciliation> {
    let mut conn = pool.acquire().await.context("reconciling")?;
    let (cutoff, time_zone) = cutoff(&mut conn, as_of).await?;
    let by_location: Vec<ReconRow> = sqlx::query_as(&format!(
        "{SIDES}
         SELECT s.account, a.name AS account_name, s.location, '' AS sku,
                sum(s.ledger_value) AS ledger_value, sum(s.gl_value) AS gl_value,
                sum(s.ledger_value - s.gl_value) AS difference, sum(s.units)::bigint AS units
         FROM sides s JOIN accounts a ON a.code = s.account
         GROUP BY s.account, a.name, s.location
         ORDER BY s.account, s.location"
    ))
    .bind(cutoff)
    .fetch_all(&mut *conn)
    .await
    .context("summing the stock ledger and the GL")?;
    let variances: Vec<ReconRow> = sqlx::query_as(&format!(
        "{SIDES}
         SELECT s.account, a.name AS account_name, s.location, s.sku, s.ledger_value,
                s.gl_value, s.ledger_value - s.gl_value AS difference, s.units
         FROM sides s JOIN accounts a ON a.code = s.account
         WHERE s.ledger_value <> s.gl_value
         ORDER BY abs(s.ledger_value - s.gl_value) DESC, s.account, s.location, s.sku
         LIMIT 1000"
    ))
    .bind(cutoff)
    .fetch_all(&mut *conn)
    .await
    .context("finding reconciliation variances")?;
    let ledger_value = by_location.iter().map(|r| r.ledger_value).sum();
    let gl_value = by_location.iter().map(|r| r.gl_value).sum();
    Ok(Reconciliation {
        as_of,
        cutoff,
        time_zone,
        ledger_value,
        gl_value,
        difference: ledger_value - gl_value,
        by_location,
        variances,
    })
}

/// Raises each variance as an exception (kind `valuation_variance`) for `owner`;
/// returns how many are open.
pub async fn raise_variances(pool: &PgPool, report: &Reconciliation, owner: &str) -> Result<u64> {
    let rows = &report.variances;
    if rows.is_empty() {
        return Ok(0);
    }
    let detail: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} at {} as of {}: stock ledger {} vs GL {} ({})",
                r.account,
                r.sku,
                r.location,
                report.as_of,
                r.ledger_value,
                r.gl_value,
                r.account_name
            )
        })
        .collect();
    let raised = sqlx::query(
        "INSERT INTO stock_exceptions AS e (kind, sku, location, detail, owner, amount)
         SELECT 'valuation_variance', s, l, d, $5, a
         FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[]) AS t(s, l, d, a)
         ON CONFLICT (kind, sku, location, coalesce(order_id, 0)) WHERE resolved_at IS NULL
         DO UPDATE SET detail = excluded.detail, amount = excluded.amount,
             last_seen_at = now()",
    )
    .bind(rows.iter().map(|r| r.sku.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.location.clone()).collect::<Vec<_>>())
    .bind(&detail)
    .bind(rows.iter().map(|r| r.difference).collect::<Vec<_>>())
    .bind(owner)
    .execute(pool)
    .await
    .context("raising valuation variances")?
    .rows_affected();
    Ok(raised)
}

/// The movements and journal lines behind one figure of the reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct DrillRow {
    pub movement_id: i64,
    pub event_time: DateTime<Utc>,
    pub kind: String,
    pub sku: String,
    pub location: String,
    pub reference: Option<String>,
    pub quantity: i64,
    /// The leg's value in the stock ledger (0 when the movement only reached the GL).
    #[specta(type = String)]
    pub ledger_value: Decimal,
    /// The movement's net on the account in the GL (postings and corrections).
    #[specta(type = String)]
    pub gl_value: Decimal,
    pub entries: i64,
}

/// Movements behind an account x location (x SKU) figure as of a day, newest first.
pub async fn drill(
    pool: &PgPool,
    as_of: NaiveDate,
    account: &str,
    location: &str,
    sku: Option<&str>,
    limit: i64,
) -> Result<Vec<DrillRow>> {
    let mut conn = pool.acquire().await.context("drilling into the reconciliation")?;
    let (cutoff, _) = cutoff(&mut conn, as_of).await?;
    sqlx::query_as::<_, DrillRow>(
        "WITH ledger AS (
             SELECT v.movement_id, sum(v.value) AS value FROM movement_values v
             JOIN locations l ON l.code = v.location
             JOIN accounts a ON a.inventory_of = l.kind
             WHERE v.event_time < $1 AND v.location = $3 AND ($4::text IS NULL OR v.sku = $4)
               AND CASE v.pool WHEN 'transit' THEN '1350' ELSE a.code END = $2
             GROUP BY v.movement_id),
         gl AS (
             SELECT je.movement_id, sum(jl.debit - jl.credit) AS value, count(DISTINCT je.id)
                 AS entries
             FROM journal_lines jl JOIN journal_entries je ON je.id = jl.entry_id
             WHERE je.event_time < $1 AND jl.account = $2 AND jl.location = $3
               AND ($4::text IS NULL OR jl.sku = $4)
             GROUP BY je.movement_id)
         SELECT m.id AS movement_id, m.event_time, m.kind::text AS kind, m.sku, m.location,
                m.reference, m.quantity, coalesce(l.value, 0) AS ledger_value,
                coalesce(g.value, 0) AS gl_value, coalesce(g.entries, 0) AS entries
         FROM (SELECT movement_id FROM ledger UNION SELECT movement_id FROM gl) x
         JOIN movements m ON m.id = x.movement_id
         LEFT JOIN ledger l ON l.movement_id = m.id
         LEFT JOIN gl g ON g.movement_id = m.id
         ORDER BY m.event_time DESC, m.id DESC
         LIMIT $5",
    )
    .bind(cutoff)
    .bind(account)
    .bind(location)
    .bind(sku)
    .bind(limit.clamp(1, 10_000))
    .fetch_all(&mut *conn)
    .await
    .context("reading the movements behind a figure")
}
