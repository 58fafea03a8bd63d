//! Transfers between locations. Shipping takes the units out of `available` at the
//! source (a promise: refused if the source does not have them) and puts them `in
//! transit` at the destination, in one statement. A receipt moves them out of transit:
//! accepted units into available, rejected units into damaged, so out of transit is
//! always accepted + rejected (10 shipped, 7 accepted, 3 rejected leaves 0 in transit).

use chrono::{DateTime, Days, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{PgConnection, PgPool};

use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{insert_movements, Keyed, MovementKind, NewMovement, StockState};
use crate::purchasing::DocumentStatus;
use crate::receiving::{self, Document, ReceiptLine, ReceiptOutcome};

/// How a transfer is received: out of transit at its destination; rejected units are
/// kept there as damaged.
const RECEIVING: Document = Document {
    kind: "transfer",
    noun: "transfer",
    reference: "TR",
    header_table: "transfers",
    receiving_column: "destination",
    lines_table: "transfer_lines",
    id_column: "transfer_id",
    expected_column: "shipped",
    accepted_column: "accepted",
    movement: MovementKind::TransferIn,
    from: StockState::InTransit,
    rejected_to: Some(StockState::Damaged),
    rejected_reason: "rejected at receipt",
    cost_column: None,
};

/// A line to ship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct TransferLineRequest {
    pub sku: String,
    pub quantity: i64,
    #[serde(default)]
    pub proposal_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct TransferSummary {
    pub id: i64,
    pub source: String,
    pub destination: String,
    pub status: DocumentStatus,
    pub shipped_at: DateTime<Utc>,
    pub expected_at: DateTime<Utc>,
    pub created_by: String,
    pub lines: i64,
    pub shipped: i64,
    pub accepted: i64,
    pub rejected: i64,
    /// Units still in transit on this transfer.
    pub in_transit: i64,
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct TransferLine {
    pub line_no: i32,
    pub sku: String,
    pub shipped: i64,
    pub accepted: i64,
    pub rejected: i64,
    pub in_transit: i64,
}

/// Ships a transfer inside the caller's transaction. Fails whole if the source lacks
/// any line's units.
pub async fn ship(
    conn: &mut PgConnection,
    actor: &str,
    source: &str,
    destination: &str,
    lines: &[TransferLineRequest],
    lead_days: u32,
    now: DateTime<Utc>,
) -> Result<i64> {
    for (i, line) in lines.iter().enumerate() {
        if let Some(problem) = crate::ledger::line_units_problem(line.quantity) {
            return Err(EngineError::InvalidInput(format!(
                "transfer line {}: quantity {problem}",
                i + 1
            )));
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO transfers (source, destination, shipped_at, expected_at, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(source)
    .bind(destination)
    .bind(now)
    .bind(now + Days::new(u64::from(lead_days)))
    .bind(actor)
    .fetch_one(&mut *conn)
    .await
    .context(format!("recording a transfer from {source} to {destination}"))?;

    let nos: Vec<i32> = (1..=lines.len()).map(|n| n as i32).collect();
    let skus: Vec<&str> = lines.iter().map(|l| l.sku.as_str()).collect();
    let qtys: Vec<i64> = lines.iter().map(|l| l.quantity).collect();
    let proposals: Vec<Option<i64>> = lines.iter().map(|l| l.proposal_id).collect();
    sqlx::query(
        "INSERT INTO transfer_lines (transfer_id, line_no, sku, shipped, proposal_id)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[])",
    )
    .bind(id)
    .bind(&nos)
    .bind(&skus)
    .bind(&qtys)
    .bind(&proposals)
    .execute(&mut *conn)
    .await
    .context(format!("recording the lines of transfer {id}"))?;

    let reference = format!("TR-{id}");
    let mut movements = Vec::with_capacity(lines.len() * 2);
    for (line, n) in lines.iter().zip(&nos) {
        let leg = |location: &str, from, to| NewMovement {
            kind: MovementKind::TransferOut,
            sku: line.sku.clone(),
            location: location.to_owned(),
            from,
            to,
            quantity: line.quantity,
            channel: None,
            unit_price: None,
            unit_cost: None,
            reason: None,
            reference: Some(reference.clone()),
            event_time: now,
        };
        movements
            .push((format!("tr:{id}:{n}:out"), leg(source, Some(StockState::Available), None)));
        movements.push((
            format!("tr:{id}:{n}:in-transit"),
            leg(destination, None, Some(StockState::InTransit)),
        ));
    }
    let keyed: Vec<Keyed<'_>> = movements
        .iter()
        .map(|(key, m)| Keyed { movement: m, idempotency_key: key.clone(), event_id: None })
        .collect();
    insert_movements(conn, actor, &keyed).await?;
    tracing::info!(transfer.id = id, source, destination, lines = lines.len(), "transfer shipped");
    Ok(id)
}

/// Ships a transfer in its own transaction (a planner's manual transfer).
pub async fn ship_now(
    pool: &PgPool,
    actor: &str,
    source: &str,
    destination: &str,
    lines: &[TransferLineRequest],
    lead_days: u32,
    now: DateTime<Utc>,
) -> Result<i64> {
    let mut tx = pool.begin().await.context("starting a transfer")?;
    let id = ship(&mut tx, actor, source, destination, lines, lead_days, now).await?;
    tx.commit().await.context(format!("committing transfer {id}"))?;
    Ok(id)
}

/// Receives a transfer at its destination. Idempotent by the receiving note reference.
#[tracing::instrument(skip(pool, lines), fields(transfer.id = transfer_id))]
pub async fn receive(
    pool: &PgPool,
    actor: &str,
    transfer_id: i64,
    reference: &str,
    lines: &[ReceiptLine],
    now: DateTime<Utc>,
) -> Result<ReceiptOutcome> {
    receiving::receive(pool, &RECEIVING, actor, transfer_id, reference, lines, now).await
}

/// Transfers, newest first; with `open_only`, those with units still in transit.
pub async fn list(
    pool: &PgPool,
    open_only: bool,
    now: DateTime<Utc>,
) -> Result<Vec<TransferSummary>> {
    sqlx::query_as::<_, TransferSummary>(
        "SELECT t.id, t.source, t.destination, t.status, t.shipped_at, t.expected_at,
             t.created_by, count(*) AS lines, sum(l.shipped)::bigint AS shipped,
             sum(l.accepted)::bigint AS accepted, sum(l.rejected)::bigint AS rejected,
             sum(l.shipped - l.accepted - l.rejected)::bigint AS in_transit,
             (t.expected_at < $2 AND t.status IN ('open', 'partially_received')) AS late
         FROM transfers t JOIN transfer_lines l ON l.transfer_id = t.id
         WHERE NOT $1 OR t.status IN ('open', 'partially_received')
         GROUP BY t.id ORDER BY t.id DESC LIMIT 2000",
    )
    .bind(open_only)
    .bind(now)
    .fetch_all(pool)
    .await
    .context("listing transfers")
}

pub async fn lines(pool: &PgPool, transfer_id: i64) -> Result<Vec<TransferLine>> {
    let rows = sqlx::query_as::<_, TransferLine>(
        "SELECT line_no, sku, shipped, accepted, rejected,
             shipped - accepted - rejected AS in_transit
         FROM transfer_lines WHERE transfer_id = $1 ORDER BY line_no",
    )
    .bind(transfer_id)
    .fetch_all(pool)
    .await
    .context(format!("reading the lines of transfer {transfer_id}"))?;
    if rows.is_empty() {
        return Err(EngineError::NotFound { what: "transfer", key: transfer_id.to_string() });
    }
    Ok(rows)
}
