//! Purchase orders: raised from approved proposals, they put the ordered units into
//! `inbound` at the receiving DC; receipts move exactly the accepted units from inbound
//! to available, and rejected units out of inbound back to the supplier. A PO of 100 with
//! 30 received leaves 30 more available and 70 inbound.

use chrono::{DateTime, Days, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{PgConnection, PgPool};

use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{insert_movements, Keyed, MovementKind, NewMovement, StockState};
use crate::receiving::{self, Document, ReceiptLine, ReceiptOutcome};

/// How a PO is received: out of inbound at its DC; rejected units go back to the supplier.
const RECEIVING: Document = Document {
    kind: "purchase_order",
    noun: "PO",
    reference: "PO",
    header_table: "purchase_orders",
    receiving_column: "location",
    lines_table: "purchase_order_lines",
    id_column: "purchase_order_id",
    expected_column: "ordered",
    accepted_column: "received",
    movement: MovementKind::Receipt,
    from: StockState::Inbound,
    rejected_to: None,
    rejected_reason: "rejected at receipt; back to the supplier",
    cost_column: Some("unit_cost"),
};

/// A line to order.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLine {
    pub sku: String,
    pub quantity: i64,
    pub unit_cost: Decimal,
    pub proposal_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "document_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    Open,
    PartiallyReceived,
    Received,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct PurchaseOrderSummary {
    pub id: i64,
    pub supplier: String,
    pub location: String,
    pub status: DocumentStatus,
    pub ordered_at: DateTime<Utc>,
    pub expected_at: DateTime<Utc>,
    pub created_by: String,
    pub lines: i64,
    pub ordered: i64,
    pub received: i64,
    pub rejected: i64,
    /// Units still inbound on this PO.
    pub open: i64,
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct PurchaseOrderLine {
    pub line_no: i32,
    pub sku: String,
    pub ordered: i64,
    pub received: i64,
    pub rejected: i64,
    pub open: i64,
    #[specta(type = String)]
    pub unit_cost: Decimal,
}

/// Raises a PO inside the caller's transaction and records the units as inbound.
pub async fn raise(
    conn: &mut PgConnection,
    actor: &str,
    supplier: &str,
    location: &str,
    lines: &[NewLine],
    now: DateTime<Utc>,
) -> Result<i64> {
    let lead: i32 = sqlx::query_scalar("SELECT lead_time_days FROM suppliers WHERE code = $1")
        .bind(supplier)
        .fetch_optional(&mut *conn)
        .await
        .context(format!("reading supplier {supplier}"))?
        .ok_or_else(|| EngineError::NotFound { what: "supplier", key: supplier.into() })?;
    let expected = now + Days::new(u64::try_from(lead).unwrap_or(0));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO purchase_orders (supplier, location, ordered_at, expected_at, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(supplier)
    .bind(location)
    .bind(now)
    .bind(expected)
    .bind(actor)
    .fetch_one(&mut *conn)
    .await
    .context(format!("raising a purchase order to {supplier} for {location}"))?;

    let line_nos: Vec<i32> = (1..=lines.len()).map(|n| n as i32).collect();
    let skus: Vec<&str> = lines.iter().map(|l| l.sku.as_str()).collect();
    let qtys: Vec<i64> = lines.iter().map(|l| l.quantity).collect();
    let costs: Vec<Decimal> = lines.iter().map(|l| l.unit_cost).collect();
    let proposals: Vec<Option<i64>> = lines.iter().map(|l| l.proposal_id).collect();
    sqlx::query(
        "INSERT INTO purchase_order_lines
             (purchase_order_id, line_no, sku, ordered, unit_cost, proposal_id)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::bigint[], $5::numeric[],
             $6::bigint[])",
    )
    .bind(id)
    .bind(&line_nos)
    .bind(&skus)
    .bind(&qtys)
    .bind(&costs)
    .bind(&proposals)
    .execute(&mut *conn)
    .await
    .context(format!("recording the lines of PO {id}"))?;

    let movements: Vec<NewMovement> = lines
        .iter()
        .map(|l| NewMovement {
            kind: MovementKind::PurchaseOrder,
            sku: l.sku.clone(),
            location: location.to_owned(),
            from: None,
            to: Some(StockState::Inbound),
            quantity: l.quantity,
            channel: None,
            unit_price: Some(l.unit_cost),
            unit_cost: None,
            reason: None,
            reference: Some(format!("PO-{id}")),
            event_time: now,
        })
        .collect();
    let keyed: Vec<Keyed<'_>> = movements
        .iter()
        .zip(&line_nos)
        .map(|(m, n)| Keyed {
            movement: m,
            idempotency_key: format!("po:{id}:{n}"),
            event_id: None,
        })
        .collect();
    insert_movements(conn, actor, &keyed).await?;
    tracing::info!(po.id = id, supplier, location, lines = lines.len(), "purchase order raised");
    Ok(id)
}

/// Receives against a PO: accepted units inbound -> available, rejected units inbound ->
/// back to the supplier. Idempotent by the receiving note reference.
#[tracing::instrument(skip(pool, lines), fields(po.id = po_id))]
pub async fn receive(
    pool: &PgPool,
    actor: &str,
    po_id: i64,
    reference: &str,
    lines: &[ReceiptLine],
    now: DateTime<Utc>,
) -> Result<ReceiptOutcome> {
    receiving::receive(pool, &RECEIVING, actor, po_id, reference, lines, now).await
}

const SUMMARY: &str = "
SELECT po.id, po.supplier, po.location, po.status, po.ordered_at, po.expected_at,
    po.created_by, count(*) AS lines, sum(l.ordered)::bigint AS ordered,
    sum(l.received)::bigint AS received, sum(l.rejected)::bigint AS rejected,
    sum(l.ordered - l.received - l.rejected)::bigint AS open,
    (po.expected_at < $2 AND po.status IN ('open', 'partially_received')) AS late
FROM purchase_orders po JOIN purchase_order_lines l ON l.purchase_order_id = po.id";

/// Purchase orders, newest first; with `open_only`, those still expecting goods.
pub async fn list(
    pool: &PgPool,
    open_only: bool,
    now: DateTime<Utc>,
) -> Result<Vec<PurchaseOrderSummary>> {
    sqlx::query_as::<_, PurchaseOrderSummary>(&format!(
        "{SUMMARY} WHERE NOT $1 OR po.status IN ('open', 'partially_received')
         GROUP BY po.id ORDER BY po.id DESC LIMIT 2000"
    ))
    .bind(open_only)
    .bind(now)
    .fetch_all(pool)
    .await
    .context("listing purchase orders")
}

pub async fn lines(pool: &PgPool, po_id: i64) -> Result<Vec<PurchaseOrderLine>> {
    let rows = sqlx::query_as::<_, PurchaseOrderLine>(
        "SELECT line_no, sku, ordered, received, rejected,
             ordered - received - rejected AS open, unit_cost
         FROM purchase_order_lines WHERE purchase_order_id = $1 ORDER BY line_no",
    )
    .bind(po_id)
    .fetch_all(pool)
    .await
    .context(format!("reading the lines of PO {po_id}"))?;
    if rows.is_empty() {
        return Err(EngineError::NotFound { what: "purchase order", key: po_id.to_string() });
    }
    Ok(rows)
}
