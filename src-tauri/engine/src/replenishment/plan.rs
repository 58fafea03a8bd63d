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

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{PgConnection, PgPool};

use super::policy;
use super::settings::{self, Policy};
use crate::error::{Result, StorageContext};
use crate::network::distance_km;

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
    SELECT f.sku, f.location, f.daily_mean AS mu, f.daily_sd * f.daily_sd AS var
    FROM demand_forecasts f JOIN replenishment_sources s ON s.location = f.location
    WHERE s.location NOT IN (SELECT location FROM suppliers_of_others)
    UNION ALL
    -- A DC nets its own forecast with those of every location it supplies.
    SELECT sku, location, sum(mu), sum(var) FROM (
        SELECT f.sku, f.location, f.daily_mean AS mu, f.daily_sd * f.daily_sd AS var
        FROM demand_forecasts f JOIN suppliers_of_others o ON o.location = f.location
        UNION ALL
        SELECT f.sku, s.source_location, f.daily_mean, f.daily_sd * f.daily_sd
        FROM demand_forecasts f JOIN replenishment_sources s ON s.location = f.location
        WHERE s.source_location IS NOT NULL
    ) legs GROUP BY sku, location
), timed AS (
    SELECT n.sku, n.location, n.mu, n.var, s.source_location, si.supplier,
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
SELECT sku, location, source_location, supplier, moq, pack, mu, lead, position,
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
           order_up_to, order_up_to - position, moq, pack)
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
           order_up_to, need, source_location, source_available)
FROM plan_needs WHERE covered > 0";

/// Stores short after their DC's share, and stores with more than they plan to hold.
const SHORTAGES: &str = "
SELECT n.sku, n.location, n.need - n.covered AS short, n.critical, n.mu, n.position,
    n.safety_stock, n.reorder_point, n.order_up_to, l.latitude, l.longitude
FROM plan_needs n JOIN locations l ON l.code = n.location
WHERE n.need > n.covered
ORDER BY n.sku, n.critical DESC, n.location";

const SURPLUSES: &str = "
SELECT p.sku, p.location, p.available - coalesce(l.order_up_to, 0) AS surplus,
    loc.latitude, loc.longitude,
    greatest(loc.daily_pick_capacity - coalesce(pl.lines, 0), 0) AS pick_slots
FROM positions p
JOIN replenishment_sources s ON s.location = p.location AND s.source_location IS NOT NULL
JOIN locations loc ON loc.code = p.location
LEFT JOIN plan_levels l ON l.sku = p.sku AND l.location = p.location
LEFT JOIN pick_loads pl ON pl.location = p.location AND pl.ship_day = $2
WHERE p.sku = ANY($1) AND p.available > coalesce(l.order_up_to, 0)";

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
    rebalance(&mut tx, run, &policy, today).await?;

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

#[derive(sqlx::FromRow)]
struct Shortage {
    sku: String,
    location: String,
    short: i64,
    critical: bool,
    mu: f64,
    position: i64,
    safety_stock: i64,
    reorder_point: i64,
    order_up_to: i64,
    latitude: f64,
    longitude: f64,
}

#[derive(sqlx::FromRow)]
struct Surplus {
    sku: String,
    location: String,
    surplus: i64,
    latitude: f64,
    longitude: f64,
    pick_slots: i64,
}

/// A store short of stock its DC cannot cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub sku: String,
    pub units: i64,
    pub at: (f64, f64),
}

/// A store holding more of a SKU than its order-up-to level.
#[derive(Debug, Clone, PartialEq)]
pub struct Spare {
    pub sku: String,
    pub location: String,
    pub units: i64,
    pub at: (f64, f64),
}

/// One store-to-store move decided by [`match_rebalances`].
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub need: usize,
    pub spare: usize,
    pub quantity: i64,
    pub km: f64,
}

/// Greedy matching, need by need in the order given (most urgent first): the nearest
/// spare stock of the same SKU within `max_km` that still has units and whose store
/// still has a pick slot today (`slots`, by location). Each move uses one slot.
pub fn match_rebalances(
    needs: &[Need],
    spares: &[Spare],
    slots: &mut HashMap<String, i64>,
    max_km: f64,
) -> Vec<Move> {
    let mut left: Vec<i64> = spares.iter().map(|s| s.units).collect();
    let mut by_sku: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, spare) in spares.iter().enumerate() {
        by_sku.entry(spare.sku.as_str()).or_default().push(j);
    }
    let mut moves = Vec::new();
    for (i, need) in needs.iter().enumerate() {
        let mut short = need.units;
        let same_sku = by_sku.get(need.sku.as_str()).map_or(&[][..], Vec::as_slice);
        let mut options: Vec<(f64, usize)> = same_sku
            .iter()
            .map(|&j| (distance_km(need.at, spares[j].at), j))
            .filter(|(km, _)| *km <= max_km)
            .collect();
        options.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (km, j) in options {
            if short == 0 {
                break;
            }
            let slot = slots.entry(spares[j].location.clone()).or_insert(0);
            if left[j] == 0 || *slot == 0 {
                continue;
            }
            let quantity = short.min(left[j]);
            left[j] -= quantity;
            short -= quantity;
            *slot -= 1;
            moves.push(Move { need: i, spare: j, quantity, km });
        }
    }
    moves
}

async fn rebalance(
    conn: &mut PgConnection,
    run: i64,
    policy: &Policy,
    today: chrono::NaiveDate,
) -> Result<()> {
    let shortages: Vec<Shortage> = sqlx::query_as(SHORTAGES)
        .fetch_all(&mut *conn)
        .await
        .context("finding shortages the DCs cannot cover")?;
    if shortages.is_empty() || policy.rebalance_max_km <= 0.0 {
        return Ok(());
    }
    let mut skus: Vec<String> = shortages.iter().map(|s| s.sku.clone()).collect();
    skus.dedup();
    let surpluses: Vec<Surplus> = sqlx::query_as(SURPLUSES)
        .bind(&skus)
        .bind(today)
        .fetch_all(&mut *conn)
        .await
        .context("finding store surpluses")?;

    let needs: Vec<Need> = shortages
        .iter()
        .map(|s| Need { sku: s.sku.clone(), units: s.short, at: (s.latitude, s.longitude) })
        .collect();
    let spares: Vec<Spare> = surpluses
        .iter()
        .map(|s| Spare {
            sku: s.sku.clone(),
            location: s.location.clone(),
            units: s.surplus,
            at: (s.latitude, s.longitude),
        })
        .collect();
    let mut slots: HashMap<String, i64> =
        surpluses.iter().map(|s| (s.location.clone(), s.pick_slots)).collect();
    let moves = match_rebalances(&needs, &spares, &mut slots, policy.rebalance_max_km);
    if moves.is_empty() {
        return Ok(());
    }

    let mut rows = RebalanceRows::default();
    for m in &moves {
        let (need, from) = (&shortages[m.need], &surpluses[m.spare]);
        rows.push(need, from, m);
    }
    rows.insert(conn, run).await
}

#[derive(Default)]
struct RebalanceRows {
    skus: Vec<String>,
    locations: Vec<String>,
    sources: Vec<String>,
    quantities: Vec<i64>,
    critical: Vec<bool>,
    demand: Vec<f64>,
    positions: Vec<i64>,
    safety: Vec<i64>,
    reorder: Vec<i64>,
    up_to: Vec<i64>,
    explanations: Vec<String>,
}

impl RebalanceRows {
    fn push(&mut self, need: &Shortage, from: &Surplus, m: &Move) {
        self.skus.push(need.sku.clone());
        self.locations.push(need.location.clone());
        self.sources.push(from.location.clone());
        self.quantities.push(m.quantity);
        self.critical.push(need.critical);
        self.demand.push(need.mu);
        self.positions.push(need.position);
        self.safety.push(need.safety_stock);
        self.reorder.push(need.reorder_point);
        self.up_to.push(need.order_up_to);
        self.explanations.push(format!(
            "its DC cannot cover {} short; {} holds {} above its own order-up-to level, \
             {:.0} km away",
            need.short, from.location, from.surplus, m.km
        ));
    }

    async fn insert(self, conn: &mut PgConnection, run: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO proposals (plan_run, kind, sku, location, source_location, quantity,
                 urgency, daily_demand, inventory_position, safety_stock, reorder_point,
                 order_up_to, explanation)
             SELECT $1, 'rebalance', sku, loc, src, qty,
                 CASE WHEN crit THEN 'critical' ELSE 'due' END::proposal_urgency,
                 mu, pos, ss, rop, oup, why
             FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bool[],
                 $7::float8[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[],
                 $12::text[]) AS r(sku, loc, src, qty, crit, mu, pos, ss, rop, oup, why)",
        )
        .bind(run)
        .bind(&self.skus)
        .bind(&self.locations)
        .bind(&self.sources)
        .bind(&self.quantities)
        .bind(&self.critical)
        .bind(&self.demand)
        .bind(&self.positions)
        .bind(&self.safety)
        .bind(&self.reorder)
        .bind(&self.up_to)
        .bind(&self.explanations)
        .execute(conn)
        .await
        .context("proposing store-to-store rebalancing")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A point `km` east of the origin, along the equator (about 111.19 km a degree).
    fn at(km: f64) -> (f64, f64) {
        (0.0, km / 111.19)
    }

    fn spare(location: &str, units: i64, km: f64) -> Spare {
        Spare { sku: "A".into(), location: location.into(), units, at: at(km) }
    }

    #[test]
    fn a_shortage_is_filled_from_the_nearest_store_within_reach_with_a_pick_slot() {
        let needs = [Need { sku: "A".into(), units: 5, at: at(0.0) }];
        let spares = [spare("FAR", 10, 500.0), spare("MID", 10, 50.0), spare("NEAR", 10, 20.0)];

        let mut none = HashMap::new();
        assert!(match_rebalances(&needs, &spares, &mut none, 80.0).is_empty());

        let mut slots = HashMap::from([("MID".to_owned(), 1), ("FAR".to_owned(), 1)]);
        let moves = match_rebalances(&needs, &spares, &mut slots, 80.0);
        assert_eq!(moves.len(), 1);
        assert_eq!((moves[0].spare, moves[0].quantity), (1, 5), "NEAR has no slot");
        assert_eq!(slots["MID"], 0);
    }

    #[test]
    fn a_large_shortage_draws_on_several_stores_and_never_beyond_their_surplus() {
        let needs = [
            Need { sku: "A".into(), units: 25, at: at(0.0) },
            Need { sku: "A".into(), units: 10, at: at(1.0) },
        ];
        let spares = [spare("S1", 10, 10.0), spare("S2", 8, 30.0)];
        let mut slots = HashMap::from([("S1".to_owned(), 5), ("S2".to_owned(), 5)]);
        let moves = match_rebalances(&needs, &spares, &mut slots, 80.0);
        let moved: i64 = moves.iter().map(|m| m.quantity).sum();
        assert_eq!(moved, 18, "all 18 surplus units move, and no more");
        assert!(moves.iter().all(|m| m.need == 0), "the first need is served first");
    }

    #[test]
    fn other_skus_stock_is_never_used() {
        let needs = [Need { sku: "B".into(), units: 5, at: at(0.0) }];
        let spares = [spare("S1", 10, 1.0)];
        let mut slots = HashMap::from([("S1".to_owned(), 5)]);
        assert!(match_rebalances(&needs, &spares, &mut slots, 80.0).is_empty());
    }
}
