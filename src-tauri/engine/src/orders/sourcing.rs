//! Sourcing: which locations fill an order. A pure function of the order, a snapshot of
//! what each location may promise, and the sourcing policy, so the availability check
//! and the reservation run the very same decision.
//!
//! The rules, in order:
//! 1. Click-and-collect takes everything from the pickup store; it falls back to the
//!    rest of the network only where the pickup store's rule allows it.
//! 2. If one location can fill the whole order, the cheapest one ships it (carrier cost
//!    by distance, handling per line, and a penalty per day later than the best promise).
//! 3. Otherwise the order is split, if its value reaches the split threshold, over as
//!    few locations as possible (each step takes the location covering most of what is
//!    left, the cheaper on a tie).
//! 4. What cannot be filled follows the order's partial policy: all or nothing rejects
//!    the order whole; reserve-available keeps what could be filled.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::PartialPolicy;
use crate::availability::promise::{promise_date, ship_date};
use crate::availability::{promisable, resolve, Snapshot};
use crate::network::{distance_km, LocationKind};

/// How locations are weighed; one version is in force at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct SourcingPolicy {
    pub version: i32,
    #[specta(type = String)]
    pub split_min_value: Decimal,
    #[specta(type = String)]
    pub parcel_cost: Decimal,
    #[specta(type = String)]
    pub cost_per_km: Decimal,
    #[specta(type = String)]
    pub handling_dc: Decimal,
    #[specta(type = String)]
    pub handling_dark: Decimal,
    #[specta(type = String)]
    pub handling_store: Decimal,
    #[specta(type = String)]
    pub late_day_penalty: Decimal,
    pub hold_minutes: i32,
    #[specta(type = String)]
    pub min_pick_accuracy: Decimal,
}

impl SourcingPolicy {
    fn handling(&self, kind: LocationKind) -> Decimal {
        match kind {
            LocationKind::DistributionCentre => self.handling_dc,
            LocationKind::DarkStore => self.handling_dark,
            LocationKind::Store | LocationKind::ReturnsHub => self.handling_store,
        }
    }
}

/// Units of one SKU an order needs, summed over its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demand {
    pub sku: String,
    pub quantity: i64,
}

/// What sourcing needs to know about an order.
#[derive(Debug, Clone)]
pub struct SourcingRequest<'a> {
    pub channel: &'a str,
    pub demand: &'a [Demand],
    pub order_value: Decimal,
    pub customer: Option<(f64, f64)>,
    pub pickup: Option<&'a str>,
    pub partial_policy: PartialPolicy,
    pub now: DateTime<Utc>,
    /// Locations not to use (e.g. one that just failed to find the unit).
    pub exclude: &'a HashSet<String>,
}

/// Units of one SKU to take from one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Pick {
    pub sku: String,
    pub location: String,
    pub quantity: i64,
    pub ship_day: NaiveDate,
}

/// One location as sourcing saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Candidate {
    pub location: String,
    pub kind: LocationKind,
    pub distance_km: f64,
    /// Units of the order this location could promise.
    pub units: i64,
    pub ship_date: NaiveDate,
    pub promise_date: NaiveDate,
    /// Carrier + handling for the whole order from here, in pounds, rounded to pence.
    #[specta(type = String)]
    pub cost: Decimal,
    /// Cost plus the lateness penalty; the lower the better.
    #[specta(type = String)]
    pub score: Decimal,
    pub rule: String,
    pub chosen: bool,
    /// Why it was not chosen, or what it was chosen for.
    pub verdict: String,
}

/// The decision: what to take where, under which rule, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct Plan {
    pub picks: Vec<Pick>,
    pub rule: String,
    pub explanation: String,
    pub candidates: Vec<Candidate>,
    /// Locations with none of the order's stock, not listed one by one.
    pub locations_without_stock: i64,
    pub requested_units: i64,
    pub filled_units: i64,
    /// Carrier and handling of the chosen parcels, each for the lines it ships.
    #[specta(type = String)]
    pub shipping_cost: Decimal,
}

impl Plan {
    pub fn accepted(&self) -> bool {
        self.filled_units > 0
    }

    pub fn shipments(&self) -> usize {
        self.picks.iter().map(|p| &p.location).collect::<HashSet<_>>().len()
    }
}

struct Node {
    /// Position in the sorted candidate list.
    index: usize,
    can: BTreeMap<String, i64>,
    kind: LocationKind,
    /// Unrounded distance to the customer, for the cost of what this node ships.
    km: Decimal,
    candidate: Candidate,
}

/// Carrier and handling for one parcel of `lines` order lines sent `km` from a location
/// of this kind, rounded to pence (the one rounding point of fulfilment cost).
fn parcel_cost(policy: &SourcingPolicy, kind: LocationKind, km: Decimal, lines: usize) -> Decimal {
    let lines = Decimal::from(u64::try_from(lines).unwrap_or(u64::MAX));
    (policy.parcel_cost + policy.cost_per_km * km + policy.handling(kind) * lines)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
}

/// Decides where the order comes from. Never promises more than the snapshot allows.
pub fn plan(req: &SourcingRequest<'_>, snap: &Snapshot, policy: &SourcingPolicy) -> Plan {
    let requested: i64 = req.demand.iter().map(|d| d.quantity).sum();
    let (mut nodes, without_stock) = candidates(req, snap, policy);
    let best_promise = nodes.iter().map(|n| n.candidate.promise_date).min();
    for n in &mut nodes {
        let late = best_promise.map_or(0, |b| (n.candidate.promise_date - b).num_days());
        n.candidate.score = n.candidate.cost + policy.late_day_penalty * Decimal::from(late);
    }
    nodes.sort_by(|a, b| {
        (a.candidate.score, &a.candidate.location).cmp(&(b.candidate.score, &b.candidate.location))
    });
    for (i, n) in nodes.iter_mut().enumerate() {
        n.index = i;
    }

    let pickup_fallback = req
        .pickup
        .and_then(|p| snap.location(p))
        .is_some_and(|l| resolve(&snap.rules, req.channel, l).pickup_fallback);
    let decision = decide(req, &nodes, policy, pickup_fallback);
    let mut picks = Vec::new();
    let mut chosen = HashSet::new();
    for (node_pos, sku, qty) in &decision.takes {
        let node = &nodes[*node_pos];
        chosen.insert(*node_pos);
        picks.push(Pick {
            sku: sku.clone(),
            location: node.candidate.location.clone(),
            quantity: *qty,
            ship_day: node.candidate.ship_date,
        });
    }
    let filled: i64 = picks.iter().map(|p| p.quantity).sum();
    let accepted = filled > 0;
    // What the chosen parcels cost: each handles only the lines it ships.
    let shipping_cost: Decimal = if accepted {
        chosen
            .iter()
            .map(|&pos| {
                let lines = decision.takes.iter().filter(|t| t.0 == pos).count();
                parcel_cost(policy, nodes[pos].kind, nodes[pos].km, lines)
            })
            .sum()
    } else {
        Decimal::ZERO
    };
    let candidates = nodes
        .into_iter()
        .enumerate()
        .map(|(pos, mut n)| {
            n.candidate.chosen = accepted && chosen.contains(&pos);
            n.candidate.verdict = verdict(&n, req.pickup, &decision, requested);
            n.candidate
        })
        .collect();
    Plan {
        picks: if accepted { picks } else { Vec::new() },
        rule: decision.rule.to_owned(),
        explanation: decision.explanation,
        candidates,
        locations_without_stock: without_stock,
        requested_units: requested,
        filled_units: if accepted { filled } else { 0 },
        shipping_cost,
    }
}

struct Decision {
    rule: &'static str,
    explanation: String,
    /// (position in the sorted nodes, sku, units)
    takes: Vec<(usize, String, i64)>,
    winner_score: Option<Decimal>,
}

fn decide(
    req: &SourcingRequest<'_>,
    nodes: &[Node],
    policy: &SourcingPolicy,
    pickup_fallback: bool,
) -> Decision {
    let requested: i64 = req.demand.iter().map(|d| d.quantity).sum();
    let covers_all =
        |n: &Node| req.demand.iter().all(|d| n.can.get(&d.sku).copied().unwrap_or(0) >= d.quantity);
    let take_all = |pos: usize| -> Vec<(usize, String, i64)> {
        req.demand.iter().map(|d| (pos, d.sku.clone(), d.quantity)).collect()
    };

    if let Some(pickup) = req.pickup {
        let at_store = nodes.iter().position(|n| n.candidate.location == pickup);
        if let Some(pos) = at_store.filter(|&p| covers_all(&nodes[p])) {
            return Decision {
                rule: "click_and_collect_pickup_store",
                explanation: format!("Everything is on the shelf at the pickup store {pickup}."),
                takes: take_all(pos),
                winner_score: Some(nodes[pos].candidate.score),
            };
        }
        if !pickup_fallback {
            let have = at_store.map_or(0, |p| nodes[p].can.values().sum::<i64>());
            let partial = at_store.map(|p| cover(req, nodes, &[p])).unwrap_or_default();
            return partial_or_reject(
                req,
                "click_and_collect_pickup_only",
                format!(
                    "The pickup store {pickup} can promise {have} of {requested} units and its \
                     rule does not allow fallback to other locations."
                ),
                partial,
            );
        }
    }

    if let Some(pos) = nodes.iter().position(covers_all) {
        let n = &nodes[pos];
        let runner_up = nodes.iter().skip(pos + 1).find(|m| covers_all(m));
        let margin = match runner_up {
            Some(r) => format!(
                "; the next best, {}, scores {} more",
                r.candidate.location,
                (r.candidate.score - n.candidate.score).round_dp(2)
            ),
            None => "; no other location can fill it alone".to_owned(),
        };
        return Decision {
            rule: "single_location_lowest_cost",
            explanation: format!(
                "{} fills the whole order in one shipment at the lowest cost ({}), promising \
                 {}{margin}.",
                n.candidate.location, n.candidate.cost, n.candidate.promise_date
            ),
            takes: take_all(pos),
            winner_score: Some(n.candidate.score),
        };
    }

    // Fewest shipments: repeatedly take the location covering most of what is left.
    let used = fewest_locations(req, nodes);
    let takes = cover(req, nodes, &used);
    let filled: i64 = takes.iter().map(|t| t.2).sum();
    let may_split = req.order_value >= policy.split_min_value;
    let best_single = || {
        nodes
            .iter()
            .enumerate()
            .max_by_key(|(pos, n)| (n.can.values().sum::<i64>(), std::cmp::Reverse(*pos)))
            .map(|(pos, _)| cover(req, nodes, &[pos]))
            .unwrap_or_default()
    };
    if filled < requested {
        let partial = if may_split { takes } else { best_single() };
        return partial_or_reject(
            req,
            "network_short",
            format!("The whole network can promise only {filled} of {requested} units."),
            partial,
        );
    }
    if !may_split {
        return partial_or_reject(
            req,
            "no_split_below_threshold",
            format!(
                "No single location can fill the order, and its value {} is below the split \
                 threshold {}.",
                req.order_value.round_dp(2),
                policy.split_min_value
            ),
            best_single(),
        );
    }
    let names: Vec<&str> = used.iter().map(|p| nodes[*p].candidate.location.as_str()).collect();
    Decision {
        rule: "split_fewest_shipments",
        explanation: format!(
            "No single location has everything; the order is worth {} (split threshold {}), \
             so it ships in {} parcels from {}, the fewest that cover it.",
            req.order_value.round_dp(2),
            policy.split_min_value,
            used.len(),
            names.join(", ")
        ),
        takes,
        winner_score: None,
    }
}

/// Greedy set cover: each step takes the location covering most of what is still
/// needed (the better-scored on a tie), until nothing is left or nobody can help.
fn fewest_locations(req: &SourcingRequest<'_>, nodes: &[Node]) -> Vec<usize> {
    let mut left: BTreeMap<&str, i64> =
        req.demand.iter().map(|d| (d.sku.as_str(), d.quantity)).collect();
    let mut used: Vec<usize> = Vec::new();
    while left.values().any(|q| *q > 0) {
        let best = nodes
            .iter()
            .enumerate()
            .filter(|(pos, _)| !used.contains(pos))
            .map(|(pos, n)| {
                let covered: i64 =
                    left.iter().map(|(sku, q)| n.can.get(*sku).copied().unwrap_or(0).min(*q)).sum();
                (pos, covered)
            })
            .filter(|(_, covered)| *covered > 0)
            .max_by_key(|(pos, covered)| (*covered, std::cmp::Reverse(*pos)));
        let Some((pos, _)) = best else { break };
        used.push(pos);
        for (sku, q) in left.iter_mut() {
            *q -= nodes[pos].can.get(*sku).copied().unwrap_or(0).min(*q);
        }
    }
    used
}

fn partial_or_reject(
    req: &SourcingRequest<'_>,
    rule: &'static str,
    why: String,
    partial: Vec<(usize, String, i64)>,
) -> Decision {
    let filled: i64 = partial.iter().map(|t| t.2).sum();
    match req.partial_policy {
        PartialPolicy::ReserveAvailable if filled > 0 => Decision {
            rule,
            explanation: format!(
                "{why} The order allows a partial reservation: {filled} units are reserved."
            ),
            takes: partial,
            winner_score: None,
        },
        _ => Decision {
            rule,
            explanation: format!("{why} The order is rejected whole; nothing is reserved."),
            takes: Vec::new(),
            winner_score: None,
        },
    }
}

/// Takes demand from the given nodes in order, as much as each can.
fn cover(req: &SourcingRequest<'_>, nodes: &[Node], order: &[usize]) -> Vec<(usize, String, i64)> {
    let mut takes = Vec::new();
    for d in req.demand {
        let mut left = d.quantity;
        for &pos in order {
            let take = nodes[pos].can.get(&d.sku).copied().unwrap_or(0).min(left);
            if take > 0 {
                takes.push((pos, d.sku.clone(), take));
                left -= take;
            }
        }
    }
    takes
}

fn verdict(n: &Node, pickup: Option<&str>, d: &Decision, requested: i64) -> String {
    if n.candidate.chosen {
        let units: i64 = d.takes.iter().filter(|t| t.0 == n.index).map(|t| t.2).sum();
        return format!("chosen: ships {units} units");
    }
    // A pickup rule decides by place, not by score: the others lost for not being it.
    let is_pickup = pickup == Some(n.candidate.location.as_str());
    if d.rule.starts_with("click_and_collect_pickup") && !is_pickup {
        return "not the pickup store, where the customer collects".to_owned();
    }
    if n.candidate.units < requested {
        return format!("has only {} of {requested} units", n.candidate.units);
    }
    match d.winner_score {
        Some(w) => format!("costs {} more", (n.candidate.score - w).round_dp(2)),
        None => "not needed: fewer shipments without it".to_owned(),
    }
}

/// Every location that can promise any of the order's SKUs to this channel, with its
/// cost and dates; returns also how many locations had nothing.
fn candidates(
    req: &SourcingRequest<'_>,
    snap: &Snapshot,
    policy: &SourcingPolicy,
) -> (Vec<Node>, i64) {
    // A click-and-collect parcel goes to the pickup store, wherever the customer lives.
    let customer = req
        .pickup
        .and_then(|p| snap.location(p))
        .map(|l| (l.latitude, l.longitude))
        .or(req.customer);
    let lines = i64::try_from(req.demand.len()).unwrap_or(i64::MAX);
    let mut nodes = Vec::new();
    let mut without = 0;
    // Each SKU's stock across the network, looked up once rather than per location.
    let stock: Vec<&[(i64, i64)]> = req.demand.iter().map(|d| snap.stock_row(&d.sku)).collect();
    for (index, loc) in snap.locations.iter().enumerate() {
        if req.exclude.contains(&loc.code) {
            continue;
        }
        // Nothing on the shelf here for this order: no rule can make it promisable.
        if !stock.iter().any(|row| row.get(index).is_some_and(|(available, _)| *available > 0)) {
            without += 1;
            continue;
        }
        let rule = resolve(&snap.rules, req.channel, loc);
        let mut can = BTreeMap::new();
        for (d, row) in req.demand.iter().zip(&stock) {
            let (available, inbound) = row.get(index).copied().unwrap_or((0, 0));
            let p = promisable(available, inbound, &rule);
            if p.on_shelf > 0 {
                can.insert(d.sku.clone(), p.on_shelf.min(d.quantity));
            }
        }
        if can.is_empty() {
            without += 1;
            continue;
        }
        let distance = customer.map_or(0.0, |c| distance_km(c, (loc.latitude, loc.longitude)));
        let capacity_left = rule.daily_capacity - snap.load_today(index) - lines + 1;
        let ship = ship_date(req.now, rule.cutoff_local, capacity_left);
        let pickup_here = req.pickup == Some(loc.code.as_str());
        let promise = promise_date(ship, distance, false, pickup_here);
        let km = Decimal::from_f64_retain(distance).unwrap_or_default();
        let cost = parcel_cost(policy, loc.kind, km, req.demand.len());
        let units = can.values().sum();
        nodes.push(Node {
            index: 0,
            can,
            kind: loc.kind,
            km,
            candidate: Candidate {
                location: loc.code.clone(),
                kind: loc.kind,
                distance_km: (distance * 10.0).round() / 10.0,
                units,
                ship_date: ship,
                promise_date: promise,
                cost,
                score: cost,
                rule: rule.source,
                chosen: false,
                verdict: String::new(),
            },
        });
    }
    (nodes, without)
}

#[cfg(test)]
mod tests;
