//! Available-to-promise: by SKU x location x channel, by SKU across the network per
//! channel, and for a basket. The basket check runs the same sourcing decision as the
//! reservation, on the same snapshot of stock and rules, only without locking or writing.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgPool;

use super::{promisable, resolve, Snapshot};
use crate::availability::promise::{promise_date, ship_date};
use crate::error::{EngineError, Result, StorageContext};
use crate::network::LocationKind;
use crate::orders::sourcing::{self, Plan, SourcingRequest};
use crate::orders::{sourcing_policy, OrderLineRequest, OrderRequest, PartialPolicy};

/// The most lines a basket check takes.
pub const MAX_BASKET_LINES: usize = 100;

#[derive(Debug, Clone, Serialize, Type)]
pub struct LocationAvailability {
    pub location: String,
    pub kind: LocationKind,
    pub available: i64,
    pub inbound: i64,
    pub safety_stock: i64,
    pub pool_hold: i64,
    pub excluded: bool,
    /// What this channel may promise from the shelf here.
    pub promisable: i64,
    /// What it may promise from supplier inbound (later date), where the rule allows.
    pub promisable_inbound: i64,
    pub rule: String,
    pub ship_date: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ChannelAvailability {
    pub channel: String,
    pub promisable: i64,
    pub promisable_inbound: i64,
    pub locations: Vec<LocationAvailability>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SkuAvailability {
    pub sku: String,
    pub channels: Vec<ChannelAvailability>,
}

/// What every channel may promise of the SKU, location by location (locations that
/// hold or expect none of it are left out).
pub async fn for_sku(pool: &PgPool, sku: &str, now: DateTime<Utc>) -> Result<SkuAvailability> {
    let mut conn = pool.acquire().await.context("connecting for availability")?;
    let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM products WHERE sku = $1)")
        .bind(sku)
        .fetch_one(&mut *conn)
        .await
        .context("looking up the SKU")?;
    if !known {
        return Err(EngineError::NotFound { what: "SKU", key: sku.to_owned() });
    }
    let snapshot = Snapshot::load(&mut conn, &[sku.to_owned()], false, now).await?;
    let channels: Vec<String> = sqlx::query_scalar("SELECT code FROM channels ORDER BY code")
        .fetch_all(&mut *conn)
        .await
        .context("reading channels")?;
    let mut out = Vec::new();
    for channel in channels {
        let mut locations = Vec::new();
        for (i, loc) in snapshot.locations.iter().enumerate() {
            let (available, inbound) = snapshot.stock(sku, i);
            if available == 0 && inbound == 0 {
                continue;
            }
            let rule = resolve(&snapshot.rules, &channel, loc);
            let p = promisable(available, inbound, &rule);
            let capacity_left = rule.daily_capacity - snapshot.load_today(i);
            locations.push(LocationAvailability {
                location: loc.code.clone(),
                kind: loc.kind,
                available,
                inbound,
                safety_stock: rule.safety_stock,
                pool_hold: rule.pool_hold,
                excluded: rule.excluded,
                promisable: p.on_shelf,
                promisable_inbound: p.inbound,
                ship_date: ship_date(now, rule.cutoff_local, capacity_left),
                rule: rule.source,
            });
        }
        out.push(ChannelAvailability {
            promisable: locations.iter().map(|l| l.promisable).sum(),
            promisable_inbound: locations.iter().map(|l| l.promisable_inbound).sum(),
            channel,
            locations,
        });
    }
    Ok(SkuAvailability { sku: sku.to_owned(), channels: out })
}

/// A question a channel asks before it takes an order.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct BasketRequest {
    pub channel: String,
    pub lines: Vec<OrderLineRequest>,
    pub customer: Option<(f64, f64)>,
    pub pickup_location: Option<String>,
    pub partial_policy: PartialPolicy,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct BasketLine {
    pub sku: String,
    pub quantity: i64,
    /// Units the order would reserve for this SKU (summed over its lines).
    pub promised: i64,
    pub promise_date: Option<NaiveDate>,
    /// Units still promisable from supplier inbound where the rule allows (not reserved).
    pub from_inbound: i64,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct BasketPromise {
    /// True when capture would accept the order as it stands now.
    pub accepted: bool,
    pub lines: Vec<BasketLine>,
    /// The sourcing decision capture would take now.
    pub plan: Plan,
}

/// Checks a basket exactly as capture would decide it, without reserving.
pub async fn basket(
    pool: &PgPool,
    req: &BasketRequest,
    now: DateTime<Utc>,
) -> Result<BasketPromise> {
    if req.lines.len() > MAX_BASKET_LINES {
        return Err(EngineError::InvalidInput(format!(
            "a basket check takes at most {MAX_BASKET_LINES} lines; this one has {}",
            req.lines.len()
        )));
    }
    let order = OrderRequest {
        channel: req.channel.clone(),
        external_id: "basket".into(),
        lines: req.lines.clone(),
        customer: req.customer,
        pickup_location: req.pickup_location.clone(),
        partial_policy: req.partial_policy,
        placed_at: now,
        confirmed: true,
        customer_ref: None,
    };
    if let Some(problem) = order.problem() {
        return Err(EngineError::InvalidInput(problem));
    }
    let demand = order.demand();
    let skus: Vec<String> = demand.iter().map(|d| d.sku.clone()).collect();
    let mut conn = pool.acquire().await.context("connecting for a basket check")?;
    let policy = sourcing_policy(&mut conn, now).await?;
    let snapshot = Snapshot::load(&mut conn, &skus, false, now).await?;
    let none = HashSet::new();
    let request = SourcingRequest {
        channel: &order.channel,
        demand: &demand,
        order_value: order.value(),
        customer: order.customer,
        pickup: order.pickup_location.as_deref(),
        partial_policy: order.partial_policy,
        now,
        exclude: &none,
    };
    let plan = sourcing::plan(&request, &snapshot, &policy);
    let lines = demand
        .iter()
        .map(|d| {
            let picks: Vec<_> = plan.picks.iter().filter(|p| p.sku == d.sku).collect();
            let promised = picks.iter().map(|p| p.quantity).sum();
            let promise = picks
                .iter()
                .filter_map(|p| {
                    let c = plan.candidates.iter().find(|c| c.location == p.location)?;
                    Some(c.promise_date)
                })
                .max();
            let from_inbound = inbound_promisable(&snapshot, &order.channel, &d.sku);
            let inbound_date = promise_date(now.date_naive(), 0.0, true, false);
            BasketLine {
                sku: d.sku.clone(),
                quantity: d.quantity,
                promised,
                promise_date: promise.or((from_inbound >= d.quantity).then_some(inbound_date)),
                from_inbound,
            }
        })
        .collect();
    Ok(BasketPromise { accepted: plan.accepted(), lines, plan })
}

fn inbound_promisable(snapshot: &Snapshot, channel: &str, sku: &str) -> i64 {
    snapshot
        .locations
        .iter()
        .enumerate()
        .map(|(i, loc)| {
            let (available, inbound) = snapshot.stock(sku, i);
            promisable(available, inbound, &resolve(&snapshot.rules, channel, loc)).inbound
        })
        .sum()
}
