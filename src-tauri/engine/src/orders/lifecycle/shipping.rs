//! Shipping reserved units: one order at a time from a warehouse confirmation, or every
//! open allocation of many orders in one transaction (a day's dispatch, a replay).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};

use super::{
    lock_order, movement, open_allocations, record_picks, set_status, shipping_status, Change,
    OrderHead, ShipLine,
};
use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{insert_movements, Keyed, MovementKind, NewMovement, StockState};
use crate::orders::OrderStatus;

/// Ships units of the order (all that is open when `lines` is `None`). A repeated
/// `shipment_ref` is a no-op; the same reference for a different number of units is
/// refused. Shipping more than is reserved for a line is refused.
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
    if let Some(l) = lines {
        check_lines(&mut tx, &head, l).await?;
    }
    let already: Option<i64> =
        sqlx::query_scalar("SELECT units FROM shipments WHERE order_id = $1 AND shipment_ref = $2")
            .bind(order_id)
            .bind(shipment_ref)
            .fetch_optional(&mut *tx)
            .await
            .context("checking the shipment")?;
    if let Some(units) = already {
        let asked: Option<i64> = lines.map(|l| l.iter().map(|w| w.quantity).sum());
        if asked.is_some_and(|a| a != units) {
            return Err(EngineError::InvalidInput(format!(
                "{}: shipment {shipment_ref} was already recorded with {units} units; \
                 give a new reference for another parcel",
                head.label()
            )));
        }
        return Ok(Change { order_id, units: 0, status: head.status });
    }
    if head.status.is_closed() {
        return Err(EngineError::InvalidInput(format!(
            "{} is {}; nothing can ship",
            head.label(),
            head.status.as_str()
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
        if want.quantity > line_open {
            return Err(EngineError::InvalidInput(format!(
                "{} line {}: {} to ship but {line_open} reserved and not yet shipped",
                head.label(),
                want.line_no,
                want.quantity
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

/// Ship everything still reserved for an order, under a parcel reference, at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenShipment {
    pub order_id: i64,
    pub shipment_ref: String,
    pub at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct OpenRow {
    order_id: i64,
    id: i64,
    sku: String,
    location: String,
    open: i64,
    channel: String,
    external_id: String,
    unit_price: Decimal,
}

/// Ships every open allocation of the given orders in one transaction, set-based: a
/// day's dispatch costs a handful of statements, not a few per order. Orders that are
/// closed, or already shipped under the same reference, are left as they are (a repeat
/// is a no-op). Returns one change per order that shipped something.
#[tracing::instrument(skip_all, fields(orders = shipments.len()))]
pub async fn ship_open(
    pool: &PgPool,
    actor: &str,
    shipments: &[OpenShipment],
) -> Result<Vec<Change>> {
    if shipments.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = shipments.iter().map(|s| s.order_id).collect();
    let refs: Vec<&str> = shipments.iter().map(|s| s.shipment_ref.as_str()).collect();
    let mut tx = pool.begin().await.context("starting a dispatch")?;
    // Lock in id order, as every single-order operation locks its one row.
    sqlx::query("SELECT id FROM orders WHERE id = ANY($1) ORDER BY id FOR UPDATE")
        .bind(&ids)
        .execute(&mut *tx)
        .await
        .context("locking the orders to ship")?;
    let rows: Vec<OpenRow> = sqlx::query_as(
        "SELECT a.order_id, a.id, a.sku, a.location, a.quantity - a.shipped - a.released AS open,
                o.channel, o.external_id, l.unit_price
         FROM unnest($1::bigint[], $2::text[]) AS s(order_id, ref)
         JOIN orders o ON o.id = s.order_id
         JOIN allocations a ON a.order_id = s.order_id
         JOIN order_lines l ON l.order_id = a.order_id AND l.line_no = a.line_no
         WHERE o.status IN ('open', 'partially_shipped')
           AND a.quantity - a.shipped - a.released > 0
           AND NOT EXISTS (SELECT 1 FROM shipments x
                           WHERE x.order_id = s.order_id AND x.shipment_ref = s.ref)
         ORDER BY a.order_id, a.id",
    )
    .bind(&ids)
    .bind(&refs)
    .fetch_all(&mut *tx)
    .await
    .context("reading what the orders have open")?;
    if rows.is_empty() {
        tx.commit().await.context("committing an empty dispatch")?;
        return Ok(Vec::new());
    }

    let by_order: HashMap<i64, &OpenShipment> = shipments.iter().map(|s| (s.order_id, s)).collect();
    let moves: Vec<(String, NewMovement)> = rows
        .iter()
        .filter_map(|r| {
            let s = by_order.get(&r.order_id)?;
            let m = NewMovement {
                kind: MovementKind::Sale,
                sku: r.sku.clone(),
                location: r.location.clone(),
                from: Some(StockState::Reserved),
                to: None,
                quantity: r.open,
                channel: Some(r.channel.clone()),
                unit_price: Some(r.unit_price),
                unit_cost: None,
                reason: None,
                reference: Some(format!("{}/{}", r.channel, r.external_id)),
                event_time: s.at,
            };
            Some((format!("order:{}:ship:{}:{}", r.order_id, s.shipment_ref, r.id), m))
        })
        .collect();
    let keyed: Vec<Keyed<'_>> = moves
        .iter()
        .map(|(k, m)| Keyed { movement: m, idempotency_key: k.clone(), event_id: None })
        .collect();
    insert_movements(&mut tx, actor, &keyed).await?;

    let alloc_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    sqlx::query("UPDATE allocations SET shipped = quantity - released WHERE id = ANY($1)")
        .bind(&alloc_ids)
        .execute(&mut *tx)
        .await
        .context("recording shipped units")?;
    sqlx::query(
        "INSERT INTO pick_outcomes (location, sku, order_id, found)
         SELECT location, sku, order_id, true FROM allocations WHERE id = ANY($1)",
    )
    .bind(&alloc_ids)
    .execute(&mut *tx)
    .await
    .context("recording pick outcomes")?;

    let mut units: BTreeMap<i64, i64> = BTreeMap::new();
    for r in &rows {
        *units.entry(r.order_id).or_default() += r.open;
    }
    let shipped: Vec<&OpenShipment> =
        units.keys().filter_map(|id| by_order.get(id).copied()).collect();
    sqlx::query(
        "INSERT INTO shipments (order_id, shipment_ref, units, actor, shipped_at)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[],
                              $5::timestamptz[])",
    )
    .bind(shipped.iter().map(|s| s.order_id).collect::<Vec<_>>())
    .bind(shipped.iter().map(|s| s.shipment_ref.as_str()).collect::<Vec<_>>())
    .bind(units.values().copied().collect::<Vec<_>>())
    .bind(vec![actor; shipped.len()])
    .bind(shipped.iter().map(|s| s.at).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await
    .context("recording the shipments")?;
    // Nothing is open on these orders any more, and at least one unit left.
    sqlx::query(
        "UPDATE orders o SET status = 'shipped', expires_at = NULL,
                closed_at = coalesce(o.closed_at, s.at)
         FROM unnest($1::bigint[], $2::timestamptz[]) AS s(id, at) WHERE o.id = s.id",
    )
    .bind(shipped.iter().map(|s| s.order_id).collect::<Vec<_>>())
    .bind(shipped.iter().map(|s| s.at).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await
    .context("closing the shipped orders")?;
    tx.commit().await.context("committing the dispatch")?;
    Ok(units
        .into_iter()
        .map(|(order_id, units)| Change { order_id, units, status: OrderStatus::Shipped })
        .collect())
}

/// Refuses a shipment naming a line twice, a line the order does not have, or a
/// quantity that is not a positive whole number.
async fn check_lines(conn: &mut PgConnection, head: &OrderHead, lines: &[ShipLine]) -> Result<()> {
    let known: Vec<i32> =
        sqlx::query_scalar("SELECT line_no FROM order_lines WHERE order_id = $1 ORDER BY line_no")
            .bind(head.id)
            .fetch_all(&mut *conn)
            .await
            .context("reading the order's lines")?;
    let mut seen = HashSet::new();
    for want in lines {
        let problem = if !known.contains(&want.line_no) {
            Some(format!("the order has no line {}", want.line_no))
        } else if !seen.insert(want.line_no) {
            Some(format!("line {} is given twice; give its total once", want.line_no))
        } else {
            crate::ledger::line_units_problem(want.quantity)
                .map(|p| format!("line {}: quantity {p}", want.line_no))
        };
        if let Some(problem) = problem {
            return Err(EngineError::InvalidInput(format!("{}: {problem}", head.label())));
        }
    }
    Ok(())
}
