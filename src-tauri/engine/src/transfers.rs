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
use crate::receiving::{self, OpenLine, ReceiptLine, ReceiptOutcome};

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
    if let Some(bad) = lines.iter().position(|l| l.quantity <= 0) {
        return Err(EngineError::InvalidInput(format!(
            "transfer line {}: quantity must be a positive whole number",
            bad + 1
        )));
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
    let document = format!("transfer {transfer_id}");
    let mut tx = pool.begin().await.context(format!("starting receipt of {document}"))?;
    let destination: String =
        sqlx::query_scalar("SELECT destination FROM transfers WHERE id = $1 FOR UPDATE")
            .bind(transfer_id)
            .fetch_optional(&mut *tx)
            .await
            .context(format!("reading {document}"))?
            .ok_or_else(|| EngineError::NotFound {
                what: "transfer",
                key: transfer_id.to_string(),
            })?;
    let open: Vec<OpenLine> = sqlx::query_as::<_, (i32, String, i64)>(
        "SELECT line_no, sku, shipped - accepted - rejected FROM transfer_lines
         WHERE transfer_id = $1 ORDER BY line_no",
    )
    .bind(transfer_id)
    .fetch_all(&mut *tx)
    .await
    .context(format!("reading the lines of {document}"))?
    .into_iter()
    .map(|(line_no, sku, open)| OpenLine { line_no, sku, open })
    .collect();

    if !receiving::record_once(&mut tx, "transfer", transfer_id, reference, lines, actor).await? {
        let still_open = open.iter().map(|l| l.open).sum();
        return Ok(ReceiptOutcome { repeated: true, accepted: 0, rejected: 0, still_open });
    }
    receiving::check_lines(&document, lines, &open)?;

    let mut movements = Vec::new();
    for line in lines {
        let Some(sku) = open.iter().find(|o| o.line_no == line.line_no).map(|o| &o.sku) else {
            continue;
        };
        let leg = |to: StockState, quantity: i64, reason: Option<&str>| NewMovement {
            kind: MovementKind::TransferIn,
            sku: sku.clone(),
            location: destination.clone(),
            from: Some(StockState::InTransit),
            to: Some(to),
            quantity,
            channel: None,
            unit_price: None,
            reason: reason.map(str::to_owned),
            reference: Some(format!("TR-{transfer_id}/{reference}")),
            event_time: now,
        };
        let key = |what: &str| format!("tr:{transfer_id}:{}:{reference}:{what}", line.line_no);
        if line.accepted > 0 {
            movements.push((key("accepted"), leg(StockState::Available, line.accepted, None)));
        }
        if line.rejected > 0 {
            let why = Some("rejected at receipt");
            movements.push((key("rejected"), leg(StockState::Damaged, line.rejected, why)));
        }
    }
    let keyed: Vec<Keyed<'_>> = movements
        .iter()
        .map(|(key, m)| Keyed { movement: m, idempotency_key: key.clone(), event_id: None })
        .collect();
    insert_movements(&mut tx, actor, &keyed).await?;

    let still_open = update_lines(&mut tx, transfer_id, lines).await?;
    tx.commit().await.context(format!("committing receipt of {document}"))?;
    let accepted = lines.iter().map(|l| l.accepted).sum();
    let rejected = lines.iter().map(|l| l.rejected).sum();
    tracing::info!(accepted, rejected, still_open, "transfer received");
    Ok(ReceiptOutcome { repeated: false, accepted, rejected, still_open })
}

async fn update_lines(conn: &mut PgConnection, id: i64, lines: &[ReceiptLine]) -> Result<i64> {
    let nos: Vec<i32> = lines.iter().map(|l| l.line_no).collect();
    let accepted: Vec<i64> = lines.iter().map(|l| l.accepted).collect();
    let rejected: Vec<i64> = lines.iter().map(|l| l.rejected).collect();
    sqlx::query(
        "UPDATE transfer_lines l SET accepted = l.accepted + r.a, rejected = l.rejected + r.r
         FROM unnest($2::int[], $3::bigint[], $4::bigint[]) AS r(n, a, r)
         WHERE l.transfer_id = $1 AND l.line_no = r.n",
    )
    .bind(id)
    .bind(&nos)
    .bind(&accepted)
    .bind(&rejected)
    .execute(&mut *conn)
    .await
    .context(format!("updating the lines of transfer {id}"))?;
    sqlx::query_scalar(
        "WITH t AS (SELECT sum(shipped - accepted - rejected)::bigint AS open
                    FROM transfer_lines WHERE transfer_id = $1)
         UPDATE transfers SET status = CASE WHEN t.open = 0 THEN 'received'
             ELSE 'partially_received' END::document_status
         FROM t WHERE id = $1 RETURNING t.open",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await
    .context(format!("updating the status of transfer {id}"))
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
    sqlx::query_as::<_, TransferLine>(
        "SELECT line_no, sku, shipped, accepted, rejected,
             shipped - accepted - rejected AS in_transit
         FROM transfer_lines WHERE transfer_id = $1 ORDER BY line_no",
    )
    .bind(transfer_id)
    .fetch_all(pool)
    .await
    .context(format!("reading the lines of transfer {transfer_id}"))
}
