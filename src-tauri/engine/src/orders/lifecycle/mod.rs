//! After capture: shipment, cancellation, expiry, confirmation, store rejections with
//! re-routing, and release waves that flag risky picks.
//!
//! Every operation locks the order row first, so two operations on one order run one
//! after the other. Releasing uses each allocation's open quantity at that moment and a
//! unique movement key per allocation, so a unit is released at most once.

mod picking;
mod shipping;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{PgConnection, PgPool};

pub use picking::{release_wave, store_rejection, Wave};
pub use shipping::{ship, ship_open, OpenShipment};

use super::OrderStatus;
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
pub(crate) struct OrderHead {
    pub(crate) id: i64,
    pub(crate) channel: String,
    pub(crate) external_id: String,
    pub(crate) status: OrderStatus,
    pub(super) customer_lat: Option<f64>,
    pub(super) customer_lon: Option<f64>,
    pub(super) pickup_location: Option<String>,
    pub(super) order_value: Decimal,
    pub(super) expires_at: Option<DateTime<Utc>>,
}

impl OrderHead {
    /// How messages name the order: its id, and the channel's own id, which alone can be
    /// shared by two channels.
    pub(crate) fn label(&self) -> String {
        format!("order {} ({}/{})", self.id, self.channel, self.external_id)
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct OpenAllocation {
    pub(super) id: i64,
    pub(super) line_no: i32,
    pub(super) sku: String,
    pub(super) location: String,
    pub(super) open: i64,
}

pub(crate) async fn lock_order(conn: &mut PgConnection, order_id: i64) -> Result<OrderHead> {
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

pub(super) async fn open_allocations(
    conn: &mut PgConnection,
    order_id: i64,
) -> Result<Vec<OpenAllocation>> {
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

pub(super) fn movement(
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
        unit_cost: None,
        reason: reason.map(str::to_owned),
        reference: Some(format!("{}/{}", head.channel, head.external_id)),
        event_time: at,
    }
}

/// Gives back every open unit of the order to available stock; returns the units.
pub(super) async fn release_open(
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

/// Gives back up to `units` open units of one line (a refund before shipment); returns
/// the units released. `tag` makes the movements' keys unique to this refund.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn release_line(
    conn: &mut PgConnection,
    actor: &str,
    head: &OrderHead,
    line_no: i32,
    units: i64,
    why: &str,
    tag: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    let mut left = units;
    let mut moves = Vec::new();
    let mut taken: Vec<(i64, i64)> = Vec::new();
    let open = open_allocations(&mut *conn, head.id).await?;
    for a in open.iter().filter(|a| a.line_no == line_no) {
        let take = a.open.min(left);
        if take == 0 {
            break;
        }
        let release = Some(StockState::Available);
        let m = movement(head, a, MovementKind::Release, release, take, at, Some(why));
        moves.push((format!("order:{}:alloc:{}:{tag}", head.id, a.id), m));
        taken.push((a.id, take));
        left -= take;
    }
    if moves.is_empty() {
        return Ok(0);
    }
    let keyed: Vec<Keyed<'_>> = moves
        .iter()
        .map(|(k, m)| Keyed { movement: m, idempotency_key: k.clone(), event_id: None })
        .collect();
    insert_movements(&mut *conn, actor, &keyed).await?;
    let (ids, qtys): (Vec<i64>, Vec<i64>) = taken.into_iter().unzip();
    sqlx::query(
        "UPDATE allocations a SET released = a.released + t.q
         FROM unnest($1::bigint[], $2::bigint[]) AS t(id, q) WHERE a.id = t.id",
    )
    .bind(&ids)
    .bind(&qtys)
    .execute(&mut *conn)
    .await
    .context("releasing a line's allocations")?;
    Ok(units - left)
}

pub(crate) async fn set_status(
    conn: &mut PgConnection,
    order_id: i64,
    status: OrderStatus,
) -> Result<()> {
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
pub(crate) async fn shipping_status(conn: &mut PgConnection, order_id: i64) -> Result<OrderStatus> {
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

pub(super) async fn record_picks<'a>(
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
    if reason.trim().is_empty() {
        return Err(EngineError::InvalidInput(format!(
            "order {order_id}: a cancellation needs a reason"
        )));
    }
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
            "{} is {} and cannot be confirmed",
            head.label(),
            head.status.as_str()
        )));
    }
    if head.expires_at.is_some_and(|e| e <= now) {
        return Err(EngineError::InvalidInput(format!(
            "{}: its reservation expired; capture it again",
            head.label()
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
