//! Store-to-store rebalancing: what a store's DC could not cover is sought from stores
//! holding more than their own order-up-to level, nearest first within the policy's
//! distance, one line per pick slot the source store still has today. The matching is a
//! plain function; this module also reads its inputs from the planning run's temporary
//! tables (`plan_levels`, `plan_needs`) and writes the proposals.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::settings::Policy;
use crate::error::{Result, StorageContext};
use crate::network::distance_km;

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

pub(super) async fn propose(
    conn: &mut PgConnection,
    run: i64,
    policy: &Policy,
    today: NaiveDate,
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
