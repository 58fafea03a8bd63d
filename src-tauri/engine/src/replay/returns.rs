//! The replay's returns: each `C` invoice is a return mailed to the returns hub, found
//! against the customer's earlier sale of the SKU where there is one. The data set has
//! no inspection results, so each line gets a grade drawn from a stable hash of its
//! invoice and SKU (55% as new, 20% open box, 15% damaged, 10% defective) and is decided
//! 4 to 72 hours after receipt, taking the suggested disposition; decisions that would
//! fall after the replayed range are left for the returns desk, so the queue holds the
//! last days' returns. Restocked units travel to the nearest location that ships orders,
//! where their transfer is received when due.

use chrono::{DateTime, Days, Duration, Utc};
use sqlx::PgPool;

use super::plan::{stable_hash, Placement};
use super::tally::Tally;
use super::uci::{InvoiceLine, LineClass};
use super::ReplayOptions;
use crate::error::{Result, StorageContext};
use crate::receiving::ReceiptLine;
use crate::returns::{
    self, DecisionRequest, Grade, ReturnLineRequest, ReturnOutcome, ReturnRequest,
};
use crate::transfers;

type Invoice<'a> = Vec<(&'a InvoiceLine, LineClass)>;

/// The reason code for returns whose reason the data does not give.
const NO_REASON: &str = "not_given";

pub(super) async fn apply(
    pool: &PgPool,
    options: &ReplayOptions,
    placement: &Placement,
    file: &str,
    invoices: &[Invoice<'_>],
    tally: &mut Tally,
) {
    let mut decisions = Vec::new();
    for lines in invoices {
        let request = request(placement, lines);
        let outcome = returns::capture(pool, &options.actor, &request).await;
        if let Ok(ReturnOutcome::Captured { return_id, .. }) = &outcome {
            decisions.extend(request.lines.iter().enumerate().map(|(n, line)| {
                let key = format!("{}:{}:{}", request.external_id, n + 1, line.sku);
                DecisionRequest {
                    return_id: *return_id,
                    line_no: n as i32 + 1,
                    quantity: line.quantity,
                    grade: grade(&key),
                    disposition: None,
                    override_reason: None,
                    destination: None,
                    at: request.at + Duration::hours(4 + (stable_hash(&key) >> 8) as i64 % 68),
                }
            }));
        }
        tally.returned(file, lines, outcome);
    }
    let until = super::london_midnight(options.to + Days::new(1));
    decisions.retain(|d| d.at < until);
    if let Err(err) = returns::decide_all(pool, &options.actor, &decisions).await {
        tracing::error!(error = %err, "the day's return decisions were refused");
    }
}

fn request(placement: &Placement, lines: &Invoice<'_>) -> ReturnRequest {
    let first = lines[0].0;
    ReturnRequest {
        channel: Placement::channel(first).to_owned(),
        external_id: first.invoice.clone(),
        location: placement.returns_hub().to_owned(),
        order: None,
        customer_ref: first.customer.clone(),
        lines: lines
            .iter()
            .map(|(l, _)| ReturnLineRequest {
                sku: l.sku.clone(),
                quantity: l.quantity.abs(),
                reason: NO_REASON.to_owned(),
                order_line_no: None,
                unit_price: Some(l.unit_price),
            })
            .collect(),
        at: first.time,
        received: true,
    }
}

fn grade(key: &str) -> Grade {
    match stable_hash(key) % 100 {
        0..55 => Grade::AsNew,
        55..75 => Grade::OpenBox,
        75..90 => Grade::Damaged,
        _ => Grade::Defective,
    }
}

/// Receives, in full and at their expected time, the restock transfers due by `until`.
pub(super) async fn arrive_restocks(
    pool: &PgPool,
    actor: &str,
    until: DateTime<Utc>,
) -> Result<u64> {
    let due: Vec<(i64, DateTime<Utc>)> = sqlx::query_as(
        "SELECT DISTINCT t.id, t.expected_at FROM transfers t
         JOIN return_decisions d ON d.transfer_id = t.id
         WHERE t.status = 'open' AND t.expected_at < $1 ORDER BY t.id",
    )
    .bind(until)
    .fetch_all(pool)
    .await
    .context("finding restock transfers due")?;
    for (id, at) in &due {
        let lines: Vec<ReceiptLine> = transfers::lines(pool, *id)
            .await?
            .into_iter()
            .map(|l| ReceiptLine { line_no: l.line_no, accepted: l.shipped, rejected: 0 })
            .collect();
        transfers::receive(pool, actor, *id, &format!("RESTOCK-{id}"), &lines, *at).await?;
    }
    Ok(due.len() as u64)
}
