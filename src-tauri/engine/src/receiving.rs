//! Goods receipts, shared by purchase orders and transfers: a receipt names its document
//! and a receiving-note reference, and lists per line the units accepted into stock and
//! the units rejected. A repeated reference with the same content is a no-op; with other
//! content it is refused. Every line is checked before anything is written, and a bad
//! line names itself, its field and the reason.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use specta::Type;
use sqlx::PgConnection;

use crate::error::{EngineError, Result, StorageContext};

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
/// already recorded (the caller then writes nothing); refuses a changed repeat.
pub async fn record_once(
    conn: &mut PgConnection,
    document: &str,
    document_id: i64,
    reference: &str,
    lines: &[ReceiptLine],
    actor: &str,
) -> Result<bool> {
    if reference.trim().is_empty() {
        return Err(EngineError::InvalidInput(format!(
            "{document} {document_id}: the receiving note reference is empty"
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
    .context(format!("recording receipt {reference} of {document} {document_id}"))?
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
    .context(format!("reading receipt {reference} of {document} {document_id}"))?;
    if earlier == hash {
        Ok(false)
    } else {
        Err(EngineError::IdempotencyConflict {
            source_name: format!("{document} {document_id}"),
            external_id: reference.to_owned(),
        })
    }
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
