//! After capture: shipment, cancellation, expiry, confirmation, store rejections with
//! re-routing, and release waves that flag risky picks.
//!
//! Every operation locks the order row first, so two operations on one order run one
//! after the other. Releasing uses each allocation's open quantity at that moment and a
//! unique movement key per allocation, so a unit is released at most once.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{PgConnection, PgPool};

use super::capture::{sourcing_policy, Writes};
use super::sourcing::{self, Demand, SourcingRequest};
use super::{OrderStatus, PartialPolicy};
use crate::availability::Snapshot;
use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{insert_movements, Keyed, MovementKind, NewMovement, StockState};

/// Units of one order line to ship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ShipLine {
    pub line_no: i32,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Change {
    pub order_id: i64,
    /// Units shipped, released or re-reserved by this call (0 for a repeat).
    pub units: i64,
    pub status: OrderStatus,
}

#[derive(sqlx::FromRow)]
struct OrderHead {
    id: i64,
    channel: String,
    external_id: String,
    status: OrderStatus,
    customer_lat: Option<f64>,
    customer_lon: Option<f64>,
    pickup_location: Option<String>,
    order_value: Decimal,
    expires_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct OpenAllocation {
    id: i64,
    line_no: i32,
    sku: String,
    location: String,
    open: i64,
}

async fn lock_order(conn: &mut PgConnection, order_id: i64) -> Result<OrderHead> {
    sqlx::query_as::<_, OrderHead>(
        "SELECT id, channel, external_id, status, customer_lat, customer_lon,
                pickup_location, order_value, expires_at
         FROM orders WHERE id = $1 FOR UPDATE",
    )
    .bind(order_id)
    .fetch_optional(conn)
    .await
    .context(format!("locking order {order_id}"))?
    .ok_or(EngineError::NotFound { what: "order", key: order_id.to_string() })
}

async fn open_allocations(conn: &mut PgConnection, order_id: i64) -> Result<Vec<OpenAllocation>> {
    sqlx::query_as::<_, OpenAllocation>(
        "SELECT id, line_no, sku, location, quantity - shipped - released AS open
         FROM allocations WHERE order_id = $1 AND quantity - shipped - released > 0
         ORDER BY line_no, id",
    )
    .bind(order_id)
    .fetch_all(conn)
    .await
    .context(format!("reading allocations of order {order_id}"))
}

fn movement(
    head: &OrderHead,
    a: &OpenAllocation,
    kind: MovementKind,
    to: Option<StockState>,
    quantity: i64,
    at: DateTime<Utc>,
    reason: Option<&str>,
) -> NewMovement {
    NewMovement {
        kind,
        sku: a.sku.clone(),
        location: a.location.clone(),
        from: Some(StockState::Reserved),
        to,
        quantity,
        channel: Some(head.channel.clone()),
        unit_price: None,
        reason: reason.map(str::to_owned),
        reference: Some(format!("{}/{}", head.channel, head.external_id)),
        event_time: at,
    }
}

/// Gives back every open unit of the order to available stock; returns the units.
async fn release_open(
    conn: &mut PgConnection,
    actor: &str,
    head: &OrderHead,
    why: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    let open = open_allocations(&mut *conn, head.id).await?;
    if open.is_empty() {
        return Ok(0);
    }
    let moves: Vec<(String, NewMovement)> = open
        .iter()
        .map(|a| {
            let m = movement(
                head,
                a,
                MovementKind::Release,
                Some(StockState::Available),
                a.open,
                at,
                Some(why),
            );
            (format!("order:{}:alloc:{}:release", head.id, a.id), m)
        })
        .collect();
    let keyed: Vec<Keyed<'_>> = moves
        .iter()
        .map(|(k, m)| Keyed { movement: m, idempotency_key: k.clone(), event_id: None })
        .collect();
    insert_movements(&mut *conn, actor, &keyed).await?;
    sqlx::query(
        "UPDATE allocations SET released = released + (quantity - shipped - released)
         WHERE id = ANY($1)",
    )
    .bind(open.iter().map(|a| a.id).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context("releasing allocations")?;
    Ok(open.iter().map(|a| a.open).sum())
}

async fn set_status(conn: &mut PgConnection, order_id: i64, status: OrderStatus) -> Result<()> {
    sqlx::query(
        "UPDATE orders SET status = $2,
             closed_at = CASE WHEN $3 THEN coalesce(closed_at, now()) END
         WHERE id = $1",
    )
    .bind(order_id)
    .bind(status)
    .bind(status.is_closed())
    .execute(conn)
    .await
    .context(format!("updating order {order_id}"))?;
    Ok(())
}

/// Status after a shipment: shipped once nothing is open, partially shipped before.
async fn shipping_status(conn: &mut PgConnection, order_id: i64) -> Result<OrderStatus> {
    let (open, shipped): (i64, i64) = sqlx::query_as(
        "SELECT coalesce(sum(quantity - shipped - released), 0)::bigint,
                coalesce(sum(shipped), 0)::bigint
         FROM allocations WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_one(conn)
    .await
    .context("summing allocations")?;
    Ok(match (open, shipped) {
        (0, s) if s > 0 => OrderStatus::Shipped,
        (_, s) if s > 0 => OrderStatus::PartiallyShipped,
        _ => OrderStatus::Open,
    })
}

/// Ships units of the order (all that is open when `lines` is `None`). A repeated
/// `shipment_ref` is a no-op. Shipping more than is reserved for a line is refused.
pub async fn ship(
    pool: &PgPool,
    actor: &str,
    order_id: i64,
    shipment_ref: &str,
    lines: Option<&[ShipLine]>,
) -> Result<Change> {
    if shipment_ref.trim().is_empty() {
        return Err(EngineError::InvalidInput("shipment reference is empty".into()));
    }
    let mut tx = pool.begin().await.context("starting shipment")?;
    let head = lock_order(&mut tx, order_id).await?;
    let already: Option<i64> =
        sqlx::query_scalar("SELECT units FROM shipments WHERE order_id = $1 AND shipment_ref = $2")
            .bind(order_id)
            .bind(shipment_ref)
            .fetch_optional(&mut *tx)
            .await
            .context("checking the shipment")?;
    if already.is_some() {
        return Ok(Change { order_id, units: 0, status: head.status });
    }
    if head.status.is_closed() {
        return Err(EngineError::InvalidInput(format!(
            "order {} is {:?}; nothing can ship",
            head.external_id, head.status
        )));
    }
    let open = open_allocations(&mut tx, order_id).await?;
    let wanted: Vec<ShipLine> = match lines {
        Some(l) => l.to_vec(),
        None => {
            let mut per_line: Vec<ShipLine> = Vec::new();
            for a in &open {
                match per_line.iter_mut().find(|l| l.line_no == a.line_no) {
                    Some(l) => l.quantity += a.open,
                    None => per_line.push(ShipLine { line_no: a.line_no, quantity: a.open }),
                }
            }
            per_line
        }
    };
    let now = Utc::now();
    let mut moves = Vec::new();
    let mut taken: Vec<(i64, i64)> = Vec::new();
    for want in &wanted {
        let line_open: i64 =
            open.iter().filter(|a| a.line_no == want.line_no).map(|a| a.open).sum();
        if want.quantity <= 0 || want.quantity > line_open {
            return Err(EngineError::InvalidInput(format!(
                "order {} line {}: {} to ship but {line_open} reserved and not yet shipped",
                head.external_id, want.line_no, want.quantity
            )));
        }
        let mut need = want.quantity;
        for a in open.iter().filter(|a| a.line_no == want.line_no) {
            let q = a.open.min(need);
            if q == 0 {
                continue;
            }
            need -= q;
            taken.push((a.id, q));
            let m = movement(&head, a, MovementKind::Sale, None, q, now, None);
            moves.push((format!("order:{order_id}:ship:{shipment_ref}:{}", a.id), m, a));
        }
    }
    let keyed: Vec<Keyed<'_>> = moves
        .iter()
        .map(|(k, m, _)| Keyed { movement: m, idempotency_key: k.clone(), event_id: None })
        .collect();
    insert_movements(&mut tx, actor, &keyed).await?;
    sqlx::query(
        "UPDATE allocations a SET shipped = a.shipped + t.q
         FROM unnest($1::bigint[], $2::bigint[]) AS t(id, q) WHERE a.id = t.id",
    )
    .bind(taken.iter().map(|t| t.0).collect::<Vec<_>>())
    .bind(taken.iter().map(|t| t.1).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await
    .context("recording shipped units")?;
    record_picks(
        &mut tx,
        order_id,
        moves.iter().map(|(_, _, a)| (a.location.as_str(), a.sku.as_str())),
        true,
    )
    .await?;
    let units: i64 = taken.iter().map(|t| t.1).sum();
    sqlx::query(
        "INSERT INTO shipments (order_id, shipment_ref, units, actor) VALUES ($1, $2, $3, $4)",
    )
    .bind(order_id)
    .bind(shipment_ref)
    .bind(units)
    .bind(actor)
    .execute(&mut *tx)
    .await
    .context("recording the shipment")?;
    let status = shipping_status(&mut tx, order_id).await?;
    set_status(&mut tx, order_id, status).await?;
    sqlx::query("UPDATE orders SET expires_at = NULL WHERE id = $1")
        .bind(order_id)
        .execute(&mut *tx)
        .await
        .context("confirming the shipped order")?;
    tx.commit().await.context("committing shipment")?;
    Ok(Change { order_id, units, status })
}

async fn record_picks<'a>(
    conn: &mut PgConnection,
    order_id: i64,
    picks: impl Iterator<Item = (&'a str, &'a str)>,
    found: bool,
) -> Result<()> {
    let (locations, skus): (Vec<&str>, Vec<&str>) = picks.unzip();
    sqlx::query(
        "INSERT INTO pick_outcomes (location, sku, order_id, found)
         SELECT l, s, $3, $4 FROM unnest($1::text[], $2::text[]) AS t(l, s)",
    )
    .bind(&locations)
    .bind(&skus)
    .bind(order_id)
    .bind(found)
    .execute(conn)
    .await
    .context("recording pick outcomes")?;
    Ok(())
}

/// Cancels the order: releases exactly what is still reserved (nothing already shipped,
/// nothing twice). Cancelling a closed order changes nothing.
pub async fn cancel(pool: &PgPool, actor: &str, order_id: i64, reason: &str) -> Result<Change> {
    let mut tx = pool.begin().await.context("starting cancellation")?;
    let head = lock_order(&mut tx, order_id).await?;
    if head.status.is_closed() {
        return Ok(Change { order_id, units: 0, status: head.status });
    }
    let why = format!("cancelled: {reason}");
    let units = release_open(&mut tx, actor, &head, &why, Utc::now()).await?;
    set_status(&mut tx, order_id, OrderStatus::Cancelled).await?;
    tx.commit().await.context("committing cancellation")?;
    Ok(Change { order_id, units, status: OrderStatus::Cancelled })
}

/// Confirms an order (payment taken): its reservation no longer expires.
pub async fn confirm(pool: &PgPool, order_id: i64, now: DateTime<Utc>) -> Result<Change> {
    let mut tx = pool.begin().await.context("starting confirmation")?;
    let head = lock_order(&mut tx, order_id).await?;
    if head.status.is_closed() {
        return Err(EngineError::InvalidInput(format!(
            "order {} is {:?} and cannot be confirmed",
            head.external_id, head.status
        )));
    }
    if head.expires_at.is_some_and(|e| e <= now) {
        return Err(EngineError::InvalidInput(format!(
            "order {}'s reservation expired; capture it again",
            head.external_id
        )));
    }
    sqlx::query("UPDATE orders SET expires_at = NULL WHERE id = $1")
        .bind(order_id)
        .execute(&mut *tx)
        .await
        .context("confirming the order")?;
    tx.commit().await.context("committing confirmation")?;
    Ok(Change { order_id, units: 0, status: head.status })
}

/// Releases the reservations of unconfirmed orders whose hold ran out by `now`.
/// Returns the orders expired. Safe to run from several workstations at once.
pub async fn expire_due(pool: &PgPool, actor: &str, now: DateTime<Utc>) -> Result<Vec<Change>> {
    let mut tx = pool.begin().await.context("starting expiry")?;
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM orders WHERE closed_at IS NULL AND expires_at <= $1
         ORDER BY id FOR UPDATE SKIP LOCKED",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await
    .context("finding expired reservations")?;
    let mut changes = Vec::new();
    for id in due {
        let head = lock_order(&mut tx, id).await?;
        let units = release_open(&mut tx, actor, &head, "reservation expired", now).await?;
        set_status(&mut tx, id, OrderStatus::Expired).await?;
        changes.push(Change { order_id: id, units, status: OrderStatus::Expired });
    }
    tx.commit().await.context("committing expiry")?;
    Ok(changes)
}

/// A store could not find the units reserved at it for the order. The missing units are
/// written off there (a count correction the store must confirm), the miss counts
/// against the store's pick accuracy, an exception goes to the store, and the order is
/// re-routed to the rest of the network. Returns the units re-reserved elsewhere.
pub async fn store_rejection(
    pool: &PgPool,
    actor: &str,
    order_id: i64,
    location: &str,
) -> Result<Change> {
    let mut tx = pool.begin().await.context("starting store rejection")?;
    let head = lock_order(&mut tx, order_id).await?;
    let now = Utc::now();
    let missing: Vec<OpenAllocation> = open_allocations(&mut tx, order_id)
        .await?
        .into_iter()
        .filter(|a| a.location == location)
        .collect();
    if missing.is_empty() {
        return Err(EngineError::InvalidInput(format!(
            "order {} has nothing reserved at {location} to reject",
            head.external_id
        )));
    }
    let moves: Vec<(String, NewMovement)> = missing
        .iter()
        .map(|a| {
            let m = movement(
                &head,
                a,
                MovementKind::Adjustment,
                None,
                a.open,
                now,
                Some("not found at pick"),
            );
            (format!("order:{order_id}:alloc:{}:not-found", a.id), m)
        })
        .collect();
    let keyed: Vec<Keyed<'_>> = moves
        .iter()
        .map(|(k, m)| Keyed { movement: m, idempotency_key: k.clone(), event_id: None })
        .collect();
    insert_movements(&mut tx, actor, &keyed).await?;
    sqlx::query(
        "UPDATE allocations SET released = released + (quantity - shipped - released)
         WHERE id = ANY($1)",
    )
    .bind(missing.iter().map(|a| a.id).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await
    .context("releasing the rejected allocations")?;
    record_picks(
        &mut tx,
        order_id,
        missing.iter().map(|a| (a.location.as_str(), a.sku.as_str())),
        false,
    )
    .await?;
    for a in &missing {
        raise(
            &mut tx,
            "store_rejection",
            &a.sku,
            location,
            Some(order_id),
            &format!(
                "{location} could not find {} of {} for order {}; count the shelf",
                a.open, a.sku, head.external_id
            ),
            &owner_for(location),
        )
        .await?;
    }

    // Re-route what is missing, never back to the store that could not find it.
    let mut demand: Vec<Demand> = Vec::new();
    let mut lines: Vec<(i32, String, i64)> = Vec::new();
    for a in &missing {
        lines.push((a.line_no, a.sku.clone(), a.open));
        match demand.iter_mut().find(|d| d.sku == a.sku) {
            Some(d) => d.quantity += a.open,
            None => demand.push(Demand { sku: a.sku.clone(), quantity: a.open }),
        }
    }
    let policy = sourcing_policy(&mut tx, now).await?;
    let skus: Vec<String> = demand.iter().map(|d| d.sku.clone()).collect();
    let snapshot = Snapshot::load(&mut tx, &skus, true, now).await?;
    let exclude: HashSet<String> = HashSet::from([location.to_owned()]);
    let customer = head.customer_lat.zip(head.customer_lon);
    let request = SourcingRequest {
        channel: &head.channel,
        demand: &demand,
        order_value: head.order_value,
        customer,
        pickup: head.pickup_location.as_deref(),
        partial_policy: PartialPolicy::ReserveAvailable,
        now,
        exclude: &exclude,
    };
    let plan = sourcing::plan(&request, &snapshot, &policy);
    let seq: i32 = sqlx::query_scalar(
        "SELECT coalesce(max(seq), 0) + 1 FROM routing_decisions WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_one(&mut *tx)
    .await
    .context("numbering the re-route")?;
    let prices: HashMap<i32, Decimal> = HashMap::new();
    let mut writes = Writes::default();
    writes.add_plan(
        order_id,
        &head.channel,
        &head.external_id,
        now,
        &lines,
        &prices,
        &plan,
        seq,
        &policy,
    );
    writes.flush(&mut tx, actor).await?;
    let short = plan.requested_units - plan.filled_units;
    if short > 0 {
        for d in &demand {
            raise(
                &mut tx,
                "unfillable_after_rejection",
                &d.sku,
                location,
                Some(order_id),
                &format!(
                    "order {} is short of {short} units after {location} could not find them; \
                     contact the customer or cancel the line",
                    head.external_id
                ),
                "ops-lead",
            )
            .await?;
        }
    }
    let status = match shipping_status(&mut tx, order_id).await? {
        OrderStatus::Open if plan.filled_units == 0 && !has_open(&mut tx, order_id).await? => {
            OrderStatus::Cancelled
        }
        s => s,
    };
    set_status(&mut tx, order_id, status).await?;
    tx.commit().await.context("committing store rejection")?;
    Ok(Change { order_id, units: plan.filled_units, status })
}

async fn has_open(conn: &mut PgConnection, order_id: i64) -> Result<bool> {
    Ok(!open_allocations(conn, order_id).await?.is_empty())
}

/// Who owns an exception at a location.
fn owner_for(location: &str) -> String {
    format!("store-manager:{location}")
}

#[allow(clippy::too_many_arguments)]
async fn raise(
    conn: &mut PgConnection,
    kind: &str,
    sku: &str,
    location: &str,
    order_id: Option<i64>,
    detail: &str,
    owner: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO stock_exceptions (kind, sku, location, order_id, detail, owner)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (kind, sku, location, coalesce(order_id, 0)) WHERE resolved_at IS NULL
         DO UPDATE SET detail = excluded.detail, last_seen_at = now()",
    )
    .bind(kind)
    .bind(sku)
    .bind(location)
    .bind(order_id)
    .bind(detail)
    .bind(owner)
    .execute(conn)
    .await
    .context("raising an exception")?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Wave {
    /// Allocation lines sent to locations to pick.
    pub released_lines: i64,
    /// Of those, lines at locations whose measured accuracy makes a miss likely.
    pub flagged_lines: i64,
}

/// Sends every open, not yet waved allocation to its location to pick, and flags those
/// at locations picking below the policy's accuracy (with at least `min_picks` measured)
/// into the exception queue, owned by the location's manager.
pub async fn release_wave(pool: &PgPool, now: DateTime<Utc>, min_picks: i64) -> Result<Wave> {
    let mut tx = pool.begin().await.context("starting a release wave")?;
    let policy = sourcing_policy(&mut tx, now).await?;
    let lines: Vec<(i64, String, String, i64, Option<Decimal>, i64)> = sqlx::query_as(
        "WITH waved AS (
             UPDATE allocations SET waved_at = $1
             WHERE waved_at IS NULL AND quantity - shipped - released > 0
             RETURNING order_id, sku, location, quantity - shipped - released AS open)
         SELECT w.order_id, w.sku, w.location, w.open, a.accuracy, coalesce(a.picks, 0)
         FROM waved w LEFT JOIN location_accuracy a USING (location)",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await
    .context("releasing a wave")?;
    let mut flagged = 0;
    for (order_id, sku, location, open, accuracy, picks) in &lines {
        let Some(acc) = accuracy.filter(|a| *a < policy.min_pick_accuracy && *picks >= min_picks)
        else {
            continue;
        };
        flagged += 1;
        raise(
            &mut tx,
            "oversell_risk",
            sku,
            location,
            Some(*order_id),
            &format!(
                "{location} finds only {}% of picks ({picks} measured); {open} of {sku} may \
                 not be there: check the shelf before picking",
                (acc * Decimal::ONE_HUNDRED).round_dp(1)
            ),
            &owner_for(location),
        )
        .await?;
    }
    tx.commit().await.context("committing the release wave")?;
    Ok(Wave {
        released_lines: i64::try_from(lines.len()).unwrap_or(i64::MAX),
        flagged_lines: flagged,
    })
}
