//! Channel-aware availability: which units each channel may promise at each location.
//!
//! One set of rules serves every channel: safety stock kept back, units held for another
//! pool (walk-in trade, click-and-collect), locations a channel may not use, whether
//! supplier inbound counts, daily capacity and carrier cutoffs. Rules are versioned;
//! the most specific version in force wins. The decisions here are plain functions,
//! shared by the availability check and the reservation, so the two can never disagree.

pub mod atp;
pub mod promise;
pub mod rules;

use std::collections::HashMap;

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Europe::London;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgConnection;

use crate::error::{Result, StorageContext};
use crate::network::{Location, LocationKind};
pub use rules::Rule;

/// The rule that applies to one channel at one location, with the site's defaults
/// filled in where the rule is silent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct EffectiveRule {
    /// `rule_key@version`, or `default` when no rule matches.
    pub source: String,
    pub safety_stock: i64,
    pub pool_hold: i64,
    pub excluded: bool,
    pub include_inbound: bool,
    pub pickup_fallback: bool,
    pub daily_capacity: i64,
    #[specta(type = Option<String>)]
    pub cutoff_local: Option<NaiveTime>,
}

/// Units a channel may promise at one location.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Promisable {
    /// From stock on the shelf, shippable from today.
    pub on_shelf: i64,
    /// From supplier inbound, where the rule lets it count (a later promise date).
    pub inbound: i64,
}

impl Promisable {
    pub fn total(self) -> i64 {
        self.on_shelf + self.inbound
    }
}

/// The most specific rule in force for the channel at the location: a rule for this
/// location beats one for its kind, which beats one for everywhere; naming the channel
/// beats applying to all channels.
pub fn resolve(rules: &[Rule], channel: &str, location: &Location) -> EffectiveRule {
    let matching = rules.iter().filter(|r| {
        r.channel.as_deref().is_none_or(|c| c == channel)
            && r.location.as_deref().is_none_or(|l| l == location.code)
            && r.location_kind.is_none_or(|k| k == location.kind)
    });
    let best = matching.max_by_key(|r| {
        (r.location.is_some(), r.location_kind.is_some(), r.channel.is_some(), r.version)
    });
    let site_capacity = i64::from(location.daily_pick_capacity);
    match best {
        Some(r) => EffectiveRule {
            source: format!("{}@{}", r.rule_key, r.version),
            safety_stock: r.safety_stock,
            pool_hold: r.pool_hold,
            excluded: r.excluded || !location.ships_orders && channel != "STORE",
            include_inbound: r.include_inbound,
            pickup_fallback: r.pickup_fallback,
            daily_capacity: r.daily_capacity.map_or(site_capacity, i64::from),
            cutoff_local: r.cutoff_local.or(location.carrier_cutoff_local),
        },
        None => EffectiveRule {
            source: "default".into(),
            safety_stock: 0,
            pool_hold: 0,
            excluded: !location.ships_orders && channel != "STORE",
            include_inbound: false,
            pickup_fallback: false,
            daily_capacity: site_capacity,
            cutoff_local: location.carrier_cutoff_local,
        },
    }
}

/// What the channel may promise from a position under its rule.
pub fn promisable(available: i64, inbound: i64, rule: &EffectiveRule) -> Promisable {
    if rule.excluded {
        return Promisable::default();
    }
    let on_shelf = (available - rule.safety_stock - rule.pool_hold).max(0);
    let inbound = if rule.include_inbound { inbound.max(0) } else { 0 };
    Promisable { on_shelf, inbound }
}

/// Stock, rules and today's workload for a set of SKUs across the network: everything
/// the availability check and sourcing read. Reservations load it with the positions
/// locked, so the numbers cannot change until they commit.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub locations: Vec<Location>,
    pub rules: Vec<Rule>,
    index: HashMap<String, usize>,
    /// SKU -> (available, inbound) per location index.
    stock: HashMap<String, Vec<(i64, i64)>>,
    /// Order lines each location has promised to ship today.
    load: Vec<i64>,
}

impl Snapshot {
    /// Reads the snapshot inside the caller's transaction. With `lock`, the positions of
    /// these SKUs are locked (in key order, as the ledger trigger locks them) until the
    /// transaction ends. Without it the numbers may move before the caller writes; the
    /// ledger trigger still refuses any promise beyond what is then available.
    pub async fn load(
        conn: &mut PgConnection,
        skus: &[String],
        lock: bool,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let locations = sqlx::query_as::<_, Location>("SELECT * FROM locations ORDER BY code")
            .fetch_all(&mut *conn)
            .await
            .context("reading locations")?;
        let rules = rules::in_force_on(&mut *conn, now).await?;
        let index: HashMap<String, usize> =
            locations.iter().enumerate().map(|(i, l)| (l.code.clone(), i)).collect();
        let lock_clause = if lock { "FOR UPDATE" } else { "" };
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(&format!(
            "SELECT sku, location, available, inbound FROM positions
             WHERE sku = ANY($1) ORDER BY sku, location {lock_clause}"
        ))
        .bind(skus)
        .fetch_all(&mut *conn)
        .await
        .context("reading positions for the order")?;
        let mut stock: HashMap<String, Vec<(i64, i64)>> = HashMap::new();
        for (sku, location, available, inbound) in rows {
            if let Some(&i) = index.get(&location) {
                let per_location =
                    stock.entry(sku).or_insert_with(|| vec![(0, 0); locations.len()]);
                per_location[i] = (available, inbound);
            }
        }
        let today = now.with_timezone(&London).date_naive();
        let loads: Vec<(String, i64)> =
            sqlx::query_as("SELECT location, lines FROM pick_loads WHERE ship_day = $1")
                .bind(today)
                .fetch_all(&mut *conn)
                .await
                .context("reading today's picking load")?;
        let mut load = vec![0; locations.len()];
        for (location, lines) in loads {
            if let Some(&i) = index.get(&location) {
                load[i] = lines;
            }
        }
        Ok(Snapshot { locations, rules, index, stock, load })
    }

    /// A snapshot with no stock, for planning in memory (tests, benchmarks, what-ifs).
    pub fn new(locations: Vec<Location>, rules: Vec<Rule>) -> Self {
        let index = locations.iter().enumerate().map(|(i, l)| (l.code.clone(), i)).collect();
        let load = vec![0; locations.len()];
        Snapshot { locations, rules, index, stock: HashMap::new(), load }
    }

    /// Sets a position's available and inbound units; unknown locations are ignored.
    pub fn set_stock(&mut self, sku: &str, location: &str, available: i64, inbound: i64) {
        let Some(&i) = self.index.get(location) else { return };
        let n = self.locations.len();
        self.stock.entry(sku.to_owned()).or_insert_with(|| vec![(0, 0); n])[i] =
            (available, inbound);
    }

    pub fn location(&self, code: &str) -> Option<&Location> {
        self.index.get(code).map(|&i| &self.locations[i])
    }

    /// (available, inbound) of the SKU at the location with this index.
    pub fn stock(&self, sku: &str, location: usize) -> (i64, i64) {
        self.stock.get(sku).and_then(|v| v.get(location)).copied().unwrap_or((0, 0))
    }

    /// (available, inbound) of the SKU at every location, by location index; empty when
    /// the SKU is held nowhere.
    pub fn stock_row(&self, sku: &str) -> &[(i64, i64)] {
        self.stock.get(sku).map_or(&[], Vec::as_slice)
    }

    pub fn load_today(&self, location: usize) -> i64 {
        self.load.get(location).copied().unwrap_or(0)
    }

    /// Counts a reservation against the snapshot, so the next order in the same batch
    /// sees what is left.
    pub fn take(&mut self, sku: &str, location: &str, quantity: i64) {
        let Some(&i) = self.index.get(location) else { return };
        if let Some(per_location) = self.stock.get_mut(sku) {
            per_location[i].0 -= quantity;
        }
        self.load[i] += 1;
    }
}

/// Location kinds that can hand goods to a collecting customer.
pub fn offers_pickup(location: &Location) -> bool {
    location.offers_pickup && location.kind == LocationKind::Store
}

#[cfg(test)]
mod tests;
