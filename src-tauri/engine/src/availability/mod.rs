//! Channel-aware availability: which units each channel may promise at each location.
//!
//! One set of rules serves every channel: safety stock kept back, units held for another
//! pool (walk-in trade, click-and-collect), locations a channel may not use, whether
//! supplier inbound counts, daily capacity and carrier cutoffs. Rules are versioned;
//! the most specific version in force wins. The decisions here are plain functions,
//! shared by the availability check and the reservation, so the two can never disagree.

pub mod promise;
pub mod rules;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use specta::Type;

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

/// Location kinds that can hand goods to a collecting customer.
pub fn offers_pickup(location: &Location) -> bool {
    location.offers_pickup && location.kind == LocationKind::Store
}

#[cfg(test)]
mod tests;
