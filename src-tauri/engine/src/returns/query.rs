//! Reading returns: the queue of returns waiting for inspection, finding one by what is
//! scanned or typed, its detail with a suggestion per grade, and the KPIs.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgPool;

use super::disposition::{recovery_rules, suggest, RecoveryOption, RecoveryRules};
use super::{Disposition, Grade, ReturnStatus};
use crate::error::{EngineError, Result, StorageContext};

/// One return in the queue or a search result.
#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct ReturnSummary {
    pub id: i64,
    pub channel: String,
    pub external_id: String,
    pub location: String,
    pub status: ReturnStatus,
    /// The original order's id at its channel; None for an unlinked return.
    pub order_external_id: Option<String>,
    pub customer_ref: Option<String>,
    pub lines: i64,
    /// Lines not linked to an order line (flagged for review).
    pub unlinked_lines: i64,
    pub units: i64,
    /// Received units still waiting for a decision.
    pub units_waiting: i64,
    pub captured_at: DateTime<Utc>,
    pub received_at: Option<DateTime<Utc>>,
    /// Hours since receipt (since capture while announced).
    pub age_hours: f64,
}

const SUMMARY: &str = "
    SELECT r.id, r.channel, r.external_id, r.location, r.status,
           o.external_id AS order_external_id, r.customer_ref,
           count(l.line_no) AS lines,
           count(l.line_no) FILTER (WHERE l.order_id IS NULL) AS unlinked_lines,
           coalesce(sum(l.quantity), 0)::bigint AS units,
           coalesce(sum(l.received - l.disposed), 0)::bigint AS units_waiting,
           r.captured_at, r.received_at,
           extract(epoch FROM (now() - coalesce(r.received_at, r.captured_at)))::float8 / 3600
               AS age_hours
    FROM returns r
    LEFT JOIN orders o ON o.id = r.order_id
    JOIN return_lines l ON l.return_id = r.id";

/// Returns waiting for work, oldest first: received ones (to inspect) and, with
/// `announced`, those still expected.
pub async fn queue(
    pool: &PgPool,
    location: Option<&str>,
    announced: bool,
    limit: i64,
) -> Result<Vec<ReturnSummary>> {
    sqlx::query_as::<_, ReturnSummary>(&format!(
        "{SUMMARY}
         WHERE (r.status = 'received' OR ($2 AND r.status = 'announced'))
           AND ($1::text IS NULL OR r.location = $1)
         GROUP BY r.id, o.external_id
         ORDER BY coalesce(r.received_at, r.captured_at), r.id
         LIMIT $3"
    ))
    .bind(location)
    .bind(announced)
    .bind(limit.clamp(1, 5_000))
    .fetch_all(pool)
    .await
    .context("reading the returns queue")
}

/// Returns matching what was scanned or typed: the return number, the return's id, the
/// original order's number, or the customer.
pub async fn find(pool: &PgPool, text: &str) -> Result<Vec<ReturnSummary>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let id: Option<i64> = text.trim_start_matches('#').parse().ok();
    sqlx::query_as::<_, ReturnSummary>(&format!(
        "{SUMMARY}
         WHERE r.external_id = $1 OR r.id = $2 OR o.external_id = $1 OR r.customer_ref = $1
            OR r.external_id ILIKE $1 || '%'
         GROUP BY r.id, o.external_id
         ORDER BY (r.external_id = $1) DESC, r.status, r.captured_at DESC
         LIMIT 50"
    ))
    .bind(text)
    .bind(id)
    .fetch_all(pool)
    .await
    .context("finding returns")
}

/// What the inspector can choose for units of one grade.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct GradeOptions {
    pub grade: Grade,
    pub options: Vec<RecoveryOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct ReturnLineDetail {
    pub line_no: i32,
    pub sku: String,
    pub description: String,
    pub quantity: i64,
    pub reason: String,
    pub reason_label: String,
    pub order_line_no: Option<i32>,
    #[specta(type = String)]
    pub unit_price: Decimal,
    pub received: i64,
    pub disposed: i64,
    #[sqlx(skip)]
    pub grades: Vec<GradeOptions>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct DecisionRow {
    pub id: i64,
    pub line_no: i32,
    pub quantity: i64,
    pub grade: Grade,
    pub disposition: Disposition,
    pub suggested: Disposition,
    pub override_reason: Option<String>,
    pub destination: Option<String>,
    pub transfer_id: Option<i64>,
    #[specta(type = String)]
    pub original_value: Decimal,
    #[specta(type = String)]
    pub recovery: Decimal,
    pub decided_at: DateTime<Utc>,
    pub decided_by: String,
    pub refurbished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ReturnDetail {
    pub summary: ReturnSummary,
    pub lines: Vec<ReturnLineDetail>,
    pub decisions: Vec<DecisionRow>,
    pub rules: RecoveryRules,
}

pub async fn detail(pool: &PgPool, return_id: i64) -> Result<ReturnDetail> {
    let summary = sqlx::query_as::<_, ReturnSummary>(&format!(
        "{SUMMARY} WHERE r.id = $1 GROUP BY r.id, o.external_id"
    ))
    .bind(return_id)
    .fetch_optional(pool)
    .await
    .context(format!("reading return {return_id}"))?
    .ok_or(EngineError::NotFound { what: "return", key: return_id.to_string() })?;
    let mut lines = sqlx::query_as::<_, ReturnLineDetail>(
        "SELECT l.line_no, l.sku, p.description, l.quantity, l.reason, rr.label AS reason_label,
                l.order_line_no, l.unit_price, l.received, l.disposed
         FROM return_lines l JOIN products p USING (sku)
         JOIN return_reasons rr ON rr.code = l.reason
         WHERE l.return_id = $1 ORDER BY l.line_no",
    )
    .bind(return_id)
    .fetch_all(pool)
    .await
    .context(format!("reading the lines of return {return_id}"))?;
    let decisions = sqlx::query_as::<_, DecisionRow>(
        "SELECT id, line_no, quantity, grade, disposition, suggested, override_reason,
                destination, transfer_id, original_value, recovery, decided_at, decided_by,
                refurbished_at
         FROM return_decisions WHERE return_id = $1 ORDER BY id",
    )
    .bind(return_id)
    .fetch_all(pool)
    .await
    .context(format!("reading the decisions of return {return_id}"))?;
    let mut conn = pool.acquire().await.context("reading the recovery rules")?;
    let rules = recovery_rules(&mut conn, Utc::now()).await?;
    for line in &mut lines {
        line.grades = Grade::ALL
            .iter()
            .map(|&grade| GradeOptions { grade, options: suggest(&rules, grade, line.unit_price) })
            .collect();
    }
    Ok(ReturnDetail { summary, lines, decisions, rules })
}

/// How the KPIs are broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum KpiDimension {
    Reason,
    Grade,
    Location,
    Disposition,
    /// Calendar month of receipt, London time.
    Month,
}

/// Returns KPIs for one group of decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct KpiRow {
    pub key: String,
    pub decisions: i64,
    pub units: i64,
    /// Receipt to disposition, hours.
    pub median_cycle_hours: Option<f64>,
    pub mean_cycle_hours: Option<f64>,
    /// Units made available again (restocked or refurbished and received where sold).
    pub resold_units: i64,
    /// Receipt to available again, hours, over resold units' decisions.
    pub mean_resale_hours: Option<f64>,
    #[specta(type = String)]
    pub original_value: Decimal,
    #[specta(type = String)]
    pub recovery: Decimal,
    /// Recovery / original value; None when nothing had value.
    pub recovery_rate: Option<f64>,
}

/// KPIs of decisions on returns received in [from, to), by `dimension`, with a last row
/// keyed `all`. Resale time: at the decision for restocks in place, at the transfer's
/// receipt for restocks elsewhere, at completion for refurbishment.
pub async fn kpis(
    pool: &PgPool,
    dimension: KpiDimension,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<KpiRow>> {
    let key = match dimension {
        KpiDimension::Reason => "l.reason",
        KpiDimension::Grade => "d.grade::text",
        KpiDimension::Location => "r.location",
        KpiDimension::Disposition => "d.disposition::text",
        KpiDimension::Month => "to_char(r.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM')",
    };
    sqlx::query_as::<_, KpiRow>(&format!(
        "WITH d AS (
             SELECT {key} AS key, d.quantity, d.original_value, d.recovery,
                    extract(epoch FROM d.decided_at - r.received_at)::float8 / 3600 AS cycle,
                    extract(epoch FROM (CASE
                        WHEN d.transfer_id IS NOT NULL THEN (
                            SELECT min(m.event_time) FROM movements m
                            WHERE split_part(m.reference, '/', 1) = 'TR-' || d.transfer_id
                              AND m.kind = 'transfer_in' AND m.to_state = 'available')
                        WHEN d.disposition = 'restock' THEN d.decided_at
                        ELSE d.refurbished_at END) - r.received_at)::float8 / 3600 AS resale
             FROM return_decisions d
             JOIN returns r ON r.id = d.return_id
             JOIN return_lines l ON l.return_id = d.return_id AND l.line_no = d.line_no
             WHERE ($1::timestamptz IS NULL OR r.received_at >= $1)
               AND ($2::timestamptz IS NULL OR r.received_at < $2)
         )
         SELECT coalesce(d.key, 'all') AS key, count(*) AS decisions,
                sum(quantity)::bigint AS units,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle) AS median_cycle_hours,
                avg(cycle) AS mean_cycle_hours,
                coalesce(sum(quantity) FILTER (WHERE resale IS NOT NULL), 0)::bigint
                    AS resold_units,
                avg(resale) AS mean_resale_hours,
                sum(original_value) AS original_value, sum(recovery) AS recovery,
                (sum(recovery) / nullif(sum(original_value), 0))::float8 AS recovery_rate
         FROM d GROUP BY ROLLUP (d.key)
         ORDER BY grouping(d.key), d.key"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
    .context("computing the returns KPIs")
}

/// How many returns arrived in [from, to), how many link to a sale, and their KPIs.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ReturnsOverview {
    pub returns: i64,
    pub lines: i64,
    /// Lines linked to the order line they came from.
    pub linked_lines: i64,
    pub units: i64,
    /// Received units still waiting for a decision.
    pub units_waiting: i64,
    /// The KPIs over every decision on those returns (the `all` row).
    pub totals: Option<KpiRow>,
}

pub async fn overview(
    pool: &PgPool,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<ReturnsOverview> {
    let (returns, lines, linked_lines, units, units_waiting): (i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT count(DISTINCT r.id), count(*), count(l.order_id),
                    coalesce(sum(l.quantity), 0)::bigint,
                    coalesce(sum(l.received - l.disposed), 0)::bigint
             FROM returns r JOIN return_lines l ON l.return_id = r.id
             WHERE ($1::timestamptz IS NULL OR r.received_at >= $1)
               AND ($2::timestamptz IS NULL OR r.received_at < $2)",
        )
        .bind(from)
        .bind(to)
        .fetch_one(pool)
        .await
        .context("counting returns")?;
    let totals = kpis(pool, KpiDimension::Grade, from, to).await?.pop();
    Ok(ReturnsOverview { returns, lines, linked_lines, units, units_waiting, totals })
}
