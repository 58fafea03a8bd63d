//! A planning run: from forecasts, positions and the policy to proposals, set-based in
//! the database (one statement per step, never one query per SKU x location).
//!
//! 1. Levels: demand rows (each location's own forecast, plus each store's forecast at
//!    the DC that supplies it) are netted per SKU x location, and safety stock, reorder
//!    point and order-up-to level computed as `policy.rs` does.
//! 2. Purchases: DCs at or below their reorder point order from the SKU's supplier, at
//!    least the minimum order, in whole packs.
//! 3. Transfers: stores at or below their reorder point draw on their DC's available
//!    stock, most urgent first, never more than the DC has.
//! 4. Rebalancing: what the DC could not cover is sought from stores holding more than
//!    their order-up-to level, nearest first within the policy's distance, one line per
//!    pick slot the source still has today.
//!
//! Open proposals of earlier runs are superseded in the same transaction.

use std::time::Instant;

use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{PgConnection, PgPool};

use super::settings::{self, Policy};
use super::{policy, rebalance};
use crate::error::{Result, StorageContext};

/// What a planning run proposed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PlanSummary {
    pub plan_run: i64,
    pub policy_version: i64,
    pub planned_rows: i64,
    pub purchases: i64,
    pub transfers: i64,
    pub rebalances: i64,
    pub critical: i64,
    pub units: i64,
    /// DC SKUs with demand but no supplier: they cannot be bought, so are not planned.
    pub without_supplier: i64,
    pub duration_ms: i64,
}

const LEVELS: &str = "
CREATE TEMP TABLE plan_levels ON COMMIT DROP AS
WITH suppliers_of_others AS (
    SELECT DISTINCT source_location AS location FROM replenishment_sources
    WHERE source_location IS NOT NULL
), netted AS (
    -- A location nobody draws on has one demand row: its own forecast.
    SELECT f.sku, f.location, f.daily_mean AS mu, f.daily_sd * f.daily_sd AS var,
        f.peak_share AS peak
    FROM demand_forecasts f JOIN replenishment_sources s ON s.location = f.location
    WHERE s.location NOT IN (SELECT location FROM suppliers_of_others)
    UNION ALL
    -- A DC nets its own forecast with those of every location it supplies.
    SELECT sku, location, sum(mu), sum(var), max(peak) FROM (
        SELECT f.sku, f.location, f.daily_mean AS mu, f.daily_sd * f.daily_sd AS var,
            f.peak_share AS peak
        FROM demand_forecasts f JOIN suppliers_of_others o ON o.location = f.location
        UNION ALL
        SELECT f.sku, s.source_location, f.daily_mean, f.daily_sd * f.daily_sd, f.peak_share
        FROM demand_forecasts f JOIN replenishment_sources s ON s.location = f.location
        WHERE s.source_location IS NOT NULL
    ) legs GROUP BY sku, location
), timed AS (
    SELECT n.sku, n.location, n.mu, n.var, n.peak, s.source_location, si.supplier,
        coalesce(si.min_order_qty, 1) AS moq, coalesce(si.pack_size, 1) AS pack,
        CASE WHEN s.source_location IS NULL THEN sup.lead_time_days::float8
             ELSE s.transfer_lead_days::float8 END AS lead,
        CASE WHEN s.source_location IS NULL THEN sup.lead_time_sd_days ELSE 0 END AS lead_sd,
        coalesce(p.available, 0) + coalesce(p.in_transit, 0) + coalesce(p.inbound, 0)
            AS position
    FROM netted n
    JOIN replenishment_sources s ON s.location = n.location
    LEFT JOIN supplier_items si ON si.sku = n.sku
    LEFT JOIN suppliers sup ON sup.code = si.supplier
    LEFT JOIN positions p ON p.sku = n.sku AND p.location = n.location
), safety AS (
    SELECT *, $1::float8 * sqrt((lead + $2::float8) * var + mu * mu * lead_sd * lead_sd) AS ss
    FROM timed WHERE lead IS NOT NULL
)
SELECT sku, location, source_location, supplier, moq, pack, mu, lead, position, peak,
    whole_units_up(ss) AS safety_stock,
    whole_units_up(mu * lead + ss) AS reorder_point,
    whole_units_up(mu * (lead + $2::float8) + ss) AS order_up_to,
    (position::float8 < mu * lead OR position <= 0) AS critical
FROM safety";

const WITHOUT_SUPPLIER: &str = "
SELECT count(*) FROM (
    SELECT DISTINCT f.sku, coalesce(s.source_location, s.location)
    FROM demand_forecasts f JOIN replenishment_sources s ON s.location = f.location
    WHERE NOT EXISTS (SELECT 1 FROM supplier_items si WHERE si.sku = f.sku)
) x";

const PURCHASES: &str = "
INSERT INTO proposals (plan_run, kind, sku, location, supplier, quantity, urgency,
    daily_demand, inventory_position, safety_stock, reorder_point, order_up_to, explanation)
SELECT $1, 'purchase', sku, location, supplier, qty,
    CASE WHEN critical THEN 'critical' ELSE 'due' END::proposal_urgency,
    mu, position, safety_stock, reorder_point, order_up_to,
    format('position %s <= reorder point %s (%s d lead x %s/day + safety %s); '
           'up to %s needs %s; min order %s, packs of %s',
           position, reorder_point, lead, round(mu::numeric, 3), safety_stock,
           order_up_to, order_up_to - position, moq, pack) || spike_note(peak)
FROM (
    SELECT *, ((greatest(order_up_to - position, moq) + pack - 1) / pack) * pack AS qty
    FROM plan_levels
    WHERE source_location IS NULL AND supplier IS NOT NULL
      AND position <= reorder_point AND order_up_to > position
) x";

/// Stores draw on their DC's available stock, most urgent (least cover) first.
const TRANSFERS: &str = "
CREATE TEMP TABLE plan_needs ON COMMIT DROP AS
WITH needs AS (
    SELECT l.*, order_up_to - position AS need,
        greatest(coalesce(src.available, 0), 0) AS source_available
    FROM plan_levels l
    LEFT JOIN positions src ON src.sku = l.sku AND src.location = l.source_location
    WHERE l.source_location IS NOT NULL
      AND position <= reorder_point AND order_up_to > position
), ranked AS (
    SELECT *, (sum(need) OVER (PARTITION BY sku, source_location
        ORDER BY critical DESC, position::float8 / nullif(mu, 0) NULLS LAST, location))::bigint
        AS cum
    FROM needs
)
SELECT *, least(need, greatest(source_available - (cum - need), 0)) AS covered FROM ranked";

const INSERT_TRANSFERS: &str = "
INSERT INTO proposals (plan_run, kind, sku, location, source_location, quantity, urgency,
    daily_demand, inventory_position, safety_stock, reorder_point, order_up_to, explanation)
SELECT $1, 'transfer', sku, location, source_location, covered,
    CASE WHEN critical THEN 'critical' ELSE 'due' END::proposal_urgency,
    mu, position, safety_stock, reorder_point, order_up_to,
    format('position %s <= reorder point %s (%s d lead x %s/day + safety %s); '
           'up to %s needs %s; %s has %s available',
           position, reorder_point, lead, round(mu::numeric, 3), safety_stock,
           order_up_to, need, source_location, source_available) || spike_note(peak)
FROM plan_needs WHERE covered > 0";

/// Runs the plan with the policy in force now.
#[tracing::instrument(skip_all, fields(actor))]
pub async fn run(pool: &PgPool, actor: &str, now: DateTime<Utc>) -> Result<PlanSummary> {
    let started = Instant::now();
    let mut tx = pool.begin().await.context("starting a planning run")?;
    // Room to hash the catalogue x network in memory rather than spill to disk.
    sqlx::query("SET LOCAL work_mem = '256MB'")
        .execute(&mut *tx)
        .await
        .context("sizing the planning run's memory")?;
    let policy = settings::policy_at(&mut tx, now).await?;
    let run: i64 = sqlx::query_scalar(
        "INSERT INTO plan_runs (policy_version, actor, planned_at) VALUES ($1, $2, $3)
         RETURNING id",
    )
    .bind(policy.version)
    .bind(actor)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .context("recording the planning run")?;
    sqlx::query("UPDATE proposals SET status = 'superseded' WHERE status = 'proposed'")
        .execute(&mut *tx)
        .await
        .context("superseding earlier proposals")?;

    let z = policy::service_factor(policy.service_level);
    let planned_rows = sqlx::query(LEVELS)
        .bind(z)
        .bind(f64::from(policy.review_days))
        .execute(&mut *tx)
        .await
        .context("computing stock levels")?
        .rows_affected();
    // Temporary tables have no statistics until analysed; the joins below need them.
    sqlx::query("ANALYZE plan_levels").execute(&mut *tx).await.context("analysing levels")?;
    let without_supplier: i64 = sqlx::query_scalar(WITHOUT_SUPPLIER)
        .fetch_one(&mut *tx)
        .await
        .context("counting SKUs without a supplier")?;
    sqlx::query(PURCHASES).bind(run).execute(&mut *tx).await.context("proposing purchases")?;
    sqlx::query(TRANSFERS).execute(&mut *tx).await.context("sharing out DC stock")?;
    sqlx::query("ANALYZE plan_needs").execute(&mut *tx).await.context("analysing needs")?;
    sqlx::query(INSERT_TRANSFERS)
        .bind(run)
        .execute(&mut *tx)
        .await
        .context("proposing transfers")?;
    let today = now.with_timezone(&London).date_naive();
    rebalance::propose(&mut tx, run, &policy, today).await?;

    let summary = finish(&mut tx, run, &policy, planned_rows, without_supplier, started).await?;
    tx.commit().await.context("committing the planning run")?;
    tracing::info!(
        plan.run = run,
        proposals = summary.purchases + summary.transfers + summary.rebalances,
        duration_ms = summary.duration_ms,
        "planning run done"
    );
    Ok(summary)
}

async fn finish(
    conn: &mut PgConnection,
    run: i64,
    policy: &Policy,
    planned_rows: u64,
    without_supplier: i64,
    started: Instant,
) -> Result<PlanSummary> {
    let (purchases, transfers, rebalances, critical, units): (i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT count(*) FILTER (WHERE kind = 'purchase'),
                count(*) FILTER (WHERE kind = 'transfer'),
                count(*) FILTER (WHERE kind = 'rebalance'),
                count(*) FILTER (WHERE urgency = 'critical'),
                coalesce(sum(quantity), 0)::bigint
             FROM proposals WHERE plan_run = $1",
        )
        .bind(run)
        .fetch_one(&mut *conn)
        .await
        .context("counting proposals")?;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    sqlx::query("UPDATE plan_runs SET proposals = $2, duration_ms = $3 WHERE id = $1")
        .bind(run)
        .bind(purchases + transfers + rebalances)
        .bind(duration_ms)
        .execute(&mut *conn)
        .await
        .context("closing the planning run")?;
    Ok(PlanSummary {
        plan_run: run,
        policy_version: policy.version,
        planned_rows: i64::try_from(planned_rows).unwrap_or(i64::MAX),
        purchases,
        transfers,
        rebalances,
        critical,
        units,
        without_supplier,
        duration_ms,
    })
}
