//! Goods receipts, shared by purchase orders and transfers: a receipt names its document
//! and a receiving-note reference, and lists per line the units accepted into stock and
//! the units rejected. A repeated reference with the same content is a no-op; with other
//! content it is refused. Every line is checked before anything is written, and a bad
//! line names itself, its field and the reason.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use specta::Type;
use sqlx::{PgConnection, PgPool};

use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{insert_movements, Keyed, MovementKind, NewMovement, StockState};

/// What differs between receiving a purchase order and receiving a transfer: where the
/// document lives, which state the units leave, and where rejected units go.
pub struct Document {
    /// The `receipts.document` value.
    pub kind: &'static str,
    /// How a user names it: "PO", "transfer".
    pub noun: &'static str,
    /// Prefix of movement references and keys: "PO", "TR".
    pub reference: &'static str,
    pub header_table: &'static str,
    /// Header column naming the receiving location.
    pub receiving_column: &'static str,
    pub lines_table: &'static str,
    pub id_column: &'static str,
    /// Line column of the units expected in all.
    pub expected_column: &'static str,
    /// Line column of the units accepted so far.
    pub accepted_column: &'static str,
    pub movement: MovementKind,
    pub from: StockState,
    /// Where rejected units go; `None` = back to whoever sent them.
    pub rejected_to: Option<StockState>,
    pub rejected_reason: &'static str,
    /// Line column of the cost per unit, for documents that carry one (purchase orders);
    /// accepted units enter stock at that cost.
    pub cost_column: Option<&'static str>,
}

/// One line of a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ReceiptLine {
    pub line_no: i32,
    pub accepted: i64,
    #[serde(default)]
    pub rejected: i64,
}

/// What a receipt did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ReceiptOutcome {
    /// True when this reference was already recorded with the same lines: nothing new.
    pub repeated: bool,
    pub accepted: i64,
    pub rejected: i64,
    /// Units still expected on the document after this receipt.
    pub still_open: i64,
}

/// A document line as the receipt sees it: what is still expected.
pub struct OpenLine {
    pub line_no: i32,
    pub sku: String,
    pub open: i64,
}

/// Checks every receipt line against the document's open lines; all problems at once.
pub fn check_lines(document: &str, lines: &[ReceiptLine], open: &[OpenLine]) -> Result<()> {
    let mut problems = Vec::new();
    if lines.is_empty() {
        problems.push(format!("{document}: the receipt has no lines"));
    }
    let mut seen = std::collections::HashSet::new();
    for line in lines {
        let n = line.line_no;
        if !seen.insert(n) {
            problems.push(format!("{document} line {n}: listed twice"));
            continue;
        }
        let Some(doc_line) = open.iter().find(|o| o.line_no == n) else {
            problems.push(format!("{document} line {n}: no such line"));
            continue;
        };
        if line.accepted < 0 {
            problems.push(format!("{document} line {n}: accepted must not be negative"));
        }
        if line.rejected < 0 {
            problems.push(format!("{document} line {n}: rejected must not be negative"));
        }
        let total = line.accepted.saturating_add(line.rejected);
        if line.accepted >= 0 && line.rejected >= 0 && total == 0 {
            problems.push(format!("{document} line {n}: accepted and rejected are both 0"));
        }
        if total > doc_line.open {
            problems.push(format!(
                "{document} line {n} ({}): accepted + rejected = {total} but only {} open",
                doc_line.sku, doc_line.open
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(EngineError::InvalidInput(problems.join("; ")))
    }
}

fn payload_hash(lines: &[ReceiptLine]) -> String {
    let mut sorted = lines.to_vec();
    sorted.sort_by_key(|l| l.line_no);
    let bytes = serde_json::to_vec(&sorted).unwrap_or_default();
    hex::encode(Sha256::digest(bytes))
}

/// Records the receipt's reference once. Returns false when the same receipt was
/// already recorded (the caller then writes nothing); refuses a changed repeat, saying
/// so in the receiving clerk's terms.
pub async fn record_once(
    conn: &mut PgConnection,
    doc: &Document,
    document_id: i64,
    reference: &str,
    lines: &[ReceiptLine],
    actor: &str,
) -> Result<bool> {
    let (document, noun) = (doc.kind, doc.noun);
    if reference.trim().is_empty() {
        return Err(EngineError::InvalidInput(format!(
            "{noun} {document_id}: the receiving note reference is empty"
        )));
    }
    let hash = payload_hash(lines);
    let inserted = sqlx::query(
        "INSERT INTO receipts (document, document_id, reference, payload_hash, received_by)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(document)
    .bind(document_id)
    .bind(reference)
    .bind(&hash)
    .bind(actor)
    .execute(&mut *conn)
    .await
    .context(format!("recording receipt {reference} of {noun} {document_id}"))?
    .rows_affected();
    if inserted == 1 {
        return Ok(true);
    }
    let earlier: String = sqlx::query_scalar(
        "SELECT payload_hash FROM receipts
         WHERE document = $1 AND document_id = $2 AND reference = $3",
    )
    .bind(document)
    .bind(document_id)
    .bind(reference)
    .fetch_one(&mut *conn)
    .await
    .context(format!("reading receipt {reference} of {noun} {document_id}"))?;
    if earlier == hash {
        Ok(false)
    } else {
        Err(EngineError::InvalidInput(format!(
            "receiving note {reference} was already recorded for {noun} {document_id} \
             with other quantities; record a further receipt under a new reference"
        )))
    }
}

/// Receives against a document in one transaction: checks every line first, records the
/// reference once, moves accepted units to available and rejected ones on, and updates
/// the lines and the document's status.
pub async fn receive(
    pool: &PgPool,
    doc: &Document,
    actor: &str,
    id: i64,
    reference: &str,
    lines: &[ReceiptLine],
    now: DateTime<Utc>,
) -> Result<ReceiptOutcome> {
    let name = format!("{} {id}", doc.noun);
    let mut tx = pool.begin().await.context(format!("starting receipt of {name}"))?;
    let location: String = sqlx::query_scalar(&format!(
        "SELECT {} FROM {} WHERE id = $1 FOR UPDATE",
        doc.receiving_column, doc.header_table
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await
    .context(format!("reading {name}"))?
    .ok_or_else(|| EngineError::NotFound { what: doc.noun, key: id.to_string() })?;
    let open: Vec<(i32, String, i64, Option<Decimal>)> = sqlx::query_as(&format!(
        "SELECT line_no, sku, {} - {} - rejected, {}::numeric FROM {} WHERE {} = $1
         ORDER BY line_no",
        doc.expected_column,
        doc.accepted_column,
        doc.cost_column.unwrap_or("NULL"),
        doc.lines_table,
        doc.id_column
    ))
    .bind(id)
    .fetch_all(&mut *tx)
    .await
    .context(format!("reading the lines of {name}"))?;
    let costs: HashMap<i32, Decimal> =
        open.iter().filter_map(|(n, _, _, c)| c.map(|c| (*n, c))).collect();
    let open: Vec<OpenLine> =
        open.into_iter().map(|(line_no, sku, open, _)| OpenLine { line_no, sku, open }).collect();

    if !record_once(&mut tx, doc, id, reference, lines, actor).await? {
        let still_open = open.iter().map(|l| l.open).sum();
        return Ok(ReceiptOutcome { repeated: true, accepted: 0, rejected: 0, still_open });
    }
    check_lines(&name, lines, &open)?;

    let mut movements = legs(doc, id, &location, reference, lines, &open, now);
    for (key, m) in &mut movements {
        let line = key.split(':').nth(2).and_then(|n| n.parse::<i32>().ok());
        if m.to == Some(StockState::Available) {
            m.unit_cost = line.and_then(|n| costs.get(&n).copied());
        }
    }
    let keyed: Vec<Keyed<'_>> = movements
        .iter()
        .map(|(key, m)| Keyed { movement: m, idempotency_key: key.clone(), event_id: None })
        .collect();
    insert_movements(&mut tx, actor, &keyed).await?;
    let still_open = update_lines(&mut tx, doc, id, lines).await?;
    tx.commit().await.context(format!("committing receipt of {name}"))?;

    let accepted = lines.iter().map(|l| l.accepted).sum();
    let rejected = lines.iter().map(|l| l.rejected).sum();
    tracing::info!(document = %name, accepted, rejected, still_open, "received");
    Ok(ReceiptOutcome { repeated: false, accepted, rejected, still_open })
}

/// The movements of a checked receipt, each keyed by document, line, note and outcome.
fn legs(
    doc: &Document,
    id: i64,
    location: &str,
    reference: &str,
    lines: &[ReceiptLine],
    open: &[OpenLine],
    now: DateTime<Utc>,
) -> Vec<(String, NewMovement)> {
    let mut movements = Vec::new();
    for line in lines {
        let Some(sku) = open.iter().find(|o| o.line_no == line.line_no).map(|o| &o.sku) else {
            continue;
        };
        let leg = |to: Option<StockState>, quantity: i64, reason: Option<&str>| NewMovement {
            kind: doc.movement,
            sku: sku.clone(),
            location: location.to_owned(),
            from: Some(doc.from),
            to,
            quantity,
            channel: None,
            unit_price: None,
            unit_cost: None,
            reason: reason.map(str::to_owned),
            reference: Some(format!("{}-{id}/{reference}", doc.reference)),
            event_time: now,
        };
        let prefix = doc.reference.to_lowercase();
        let key = |outcome: &str| format!("{prefix}:{id}:{}:{reference}:{outcome}", line.line_no);
        if line.accepted > 0 {
            movements
                .push((key("accepted"), leg(Some(StockState::Available), line.accepted, None)));
        }
        if line.rejected > 0 {
            let why = Some(doc.rejected_reason);
            movements.push((key("rejected"), leg(doc.rejected_to, line.rejected, why)));
        }
    }
    movements
}

/// Adds the receipt to the lines and sets the document's status; returns what is open.
async fn update_lines(
    conn: &mut PgConnection,
    doc: &Document,
    id: i64,
    lines: &[ReceiptLine],
) -> Result<i64> {
    let nos: Vec<i32> = lines.iter().map(|l| l.line_no).collect();
    let accepted: Vec<i64> = lines.iter().map(|l| l.accepted).collect();
    let rejected: Vec<i64> = lines.iter().map(|l| l.rejected).collect();
    let (table, key, done) = (doc.lines_table, doc.id_column, doc.accepted_column);
    sqlx::query(&format!(
        "UPDATE {table} l SET {done} = l.{done} + r.a, rejected = l.rejected + r.r
         FROM unnest($2::int[], $3::bigint[], $4::bigint[]) AS r(n, a, r)
         WHERE l.{key} = $1 AND l.line_no = r.n"
    ))
    .bind(id)
    .bind(&nos)
    .bind(&accepted)
    .bind(&rejected)
    .execute(&mut *conn)
    .await
    .context(format!("updating the lines of {} {id}", doc.noun))?;
    sqlx::query_scalar(&format!(
        "WITH t AS (SELECT sum({expected} - {done} - rejected)::bigint AS open
                    FROM {table} WHERE {key} = $1)
         UPDATE {header} SET status = CASE WHEN t.open = 0 THEN 'received'
             ELSE 'partially_received' END::document_status
         FROM t WHERE id = $1 RETURNING t.open",
        expected = doc.expected_column,
        header = doc.header_table,
    ))
    .bind(id)
    .fetch_one(&mut *conn)
    .await
    .context(format!("updating the status of {} {id}", doc.noun))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(line_no: i32, open: i64) -> OpenLine {
        OpenLine { line_no, sku: format!("SKU-{line_no}"), open }
    }

    #[test]
    fn every_bad_line_is_named_with_its_field_and_reason() {
        let lines = [
            ReceiptLine { line_no: 1, accepted: 7, rejected: 3 },
            ReceiptLine { line_no: 2, accepted: 11, rejected: 0 },
            ReceiptLine { line_no: 3, accepted: -1, rejected: 0 },
            ReceiptLine { line_no: 9, accepted: 1, rejected: 0 },
        ];
        let err = check_lines("PO 4", &lines, &[open(1, 10), open(2, 10), open(3, 10)])
            .expect_err("lines 2, 3 and 9 are wrong")
            .to_string();
        assert!(!err.contains("line 1"), "{err}");
        assert!(err.contains("PO 4 line 2 (SKU-2): accepted + rejected = 11 but only 10 open"));
        assert!(err.contains("PO 4 line 3: accepted must not be negative"), "{err}");
        assert!(err.contains("PO 4 line 9: no such line"), "{err}");
    }

    #[test]
    fn a_receipt_that_fits_passes() {
        let lines = [ReceiptLine { line_no: 1, accepted: 7, rejected: 3 }];
        assert!(check_lines("T 1", &lines, &[open(1, 10)]).is_ok());
    }

    #[test]
    fn the_receipt_hash_ignores_line_order() {
        let a = ReceiptLine { line_no: 1, accepted: 1, rejected: 0 };
        let b = ReceiptLine { line_no: 2, accepted: 2, rejected: 0 };
        assert_eq!(payload_hash(&[a.clone(), b.clone()]), payload_hash(&[b, a]));
    }
}
