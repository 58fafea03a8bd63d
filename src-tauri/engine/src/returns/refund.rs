//! Refunds of order lines. A refund with restock puts units back through the same record
//! as cancellations and returns: units not yet shipped are released at once (the
//! allocation's `released`), and units the customer has are expected back as a return
//! (counted in the line's `returned` when received). Either way a unit is put back at
//! most once, so a refund followed by a cancellation never lifts stock above its level
//! before the order.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgPool;

use super::capture::capture_in;
use super::{OrderRef, ReturnLineRequest, ReturnRequest};
use crate::error::{EngineError, Result, StorageContext};
use crate::orders::lifecycle::{lock_order, release_line, set_status, shipping_status};
use crate::orders::OrderStatus;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct RefundRequest {
    pub order_id: i64,
    pub line_no: i32,
    /// The channel's refund reference; with the order, makes a repeat a no-op.
    pub reference: String,
    pub quantity: i64,
    /// Put the units back: release what is unshipped, expect the rest as a return.
    pub restock: bool,
    /// A code from `return_reasons`.
    pub reason: String,
    /// Where the customer sends the units back (default: the first returns hub).
    #[serde(default)]
    pub return_to: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RefundOutcome {
    /// Unshipped units released back to available by this refund.
    pub released: i64,
    /// The return expected for units the customer has.
    pub return_id: Option<i64>,
    /// True when this refund had already been recorded (nothing changed).
    pub repeat: bool,
}

#[derive(sqlx::FromRow)]
struct LineStock {
    sku: String,
    ordered: i64,
    allocated: i64,
    shipped: i64,
    released: i64,
    returned: i64,
    expected_back: i64,
    refunded: i64,
}

/// Records a refund in one transaction.
#[tracing::instrument(skip_all, fields(order.id = r.order_id, line = r.line_no))]
pub async fn refund(pool: &PgPool, actor: &str, r: &RefundRequest) -> Result<RefundOutcome> {
    let fail = |field: &str, reason: String| {
        EngineError::InvalidInput(format!(
            "refund {} of order {} line {}: field {field}: {reason}",
            r.reference, r.order_id, r.line_no
        ))
    };
    if r.reference.trim().is_empty() {
        return Err(fail("reference", "is empty".into()));
    }
    if let Some(problem) = crate::ledger::line_units_problem(r.quantity) {
        return Err(fail("quantity", problem));
    }
    let mut tx = pool.begin().await.context("starting the refund")?;
    let known: Option<String> =
        sqlx::query_scalar("SELECT code FROM return_reasons WHERE code = $1")
            .bind(&r.reason)
            .fetch_optional(&mut *tx)
            .await
            .context("checking the refund reason")?;
    if known.is_none() {
        return Err(fail("reason", format!("{} is not a reason code", r.reason)));
    }
    let head = lock_order(&mut tx, r.order_id).await?;
    let earlier: Option<(i32, i64, bool, i64, Option<i64>)> = sqlx::query_as(
        "SELECT line_no, quantity, restock, released, return_id FROM refunds
         WHERE order_id = $1 AND reference = $2",
    )
    .bind(r.order_id)
    .bind(&r.reference)
    .fetch_optional(&mut *tx)
    .await
    .context("looking for the refund")?;
    if let Some((line_no, quantity, restock, released, return_id)) = earlier {
        if (line_no, quantity, restock) != (r.line_no, r.quantity, r.restock) {
            return Err(fail("reference", "was already used for a different refund".into()));
        }
        return Ok(RefundOutcome { released, return_id, repeat: true });
    }
    let line: LineStock = sqlx::query_as(
        "SELECT s.sku, s.ordered, s.allocated, s.shipped, s.released, s.returned,
                coalesce((SELECT sum(rl.quantity) FROM return_lines rl
                          WHERE rl.order_id = s.order_id AND rl.order_line_no = s.line_no
                            AND rl.received = 0), 0)::bigint AS expected_back,
                coalesce((SELECT sum(f.quantity) FROM refunds f
                          WHERE f.order_id = s.order_id AND f.line_no = s.line_no), 0)::bigint
                    AS refunded
         FROM order_line_stock s WHERE s.order_id = $1 AND s.line_no = $2",
    )
    .bind(r.order_id)
    .bind(r.line_no)
    .fetch_optional(&mut *tx)
    .await
    .context("reading the order line")?
    .ok_or_else(|| fail("line_no", "the order has no such line".into()))?;
    if line.refunded + r.quantity > line.ordered {
        return Err(fail(
            "quantity",
            format!(
                "{} of {} unit(s) were already refunded; {} more cannot be",
                line.refunded, line.ordered, r.quantity
            ),
        ));
    }

    let (released, return_id) = if r.restock {
        let open = line.allocated - line.shipped - line.released;
        let why = format!("refunded: {}", r.reason);
        let tag = format!("refund:{}", r.reference);
        let released =
            release_line(&mut tx, actor, &head, r.line_no, r.quantity.min(open), &why, &tag, r.at)
                .await?;
        let back = r.quantity - released;
        let with_customer = line.shipped - line.returned - line.expected_back;
        if back > with_customer {
            return Err(fail(
                "quantity",
                format!(
                    "{open} unit(s) are unshipped and {with_customer} are with the customer; \
                     {} cannot be put back",
                    r.quantity
                ),
            ));
        }
        let return_id = if back > 0 {
            let location = match &r.return_to {
                Some(l) => l.clone(),
                None => sqlx::query_scalar(
                    "SELECT code FROM locations WHERE kind = 'returns_hub' ORDER BY code LIMIT 1",
                )
                .fetch_optional(&mut *tx)
                .await
                .context("finding the returns hub")?
                .ok_or_else(|| fail("return_to", "there is no returns hub; name one".into()))?,
            };
            let expected = ReturnRequest {
                channel: head.channel.clone(),
                external_id: format!("refund {}", r.reference),
                location,
                order: Some(OrderRef {
                    channel: head.channel.clone(),
                    external_id: head.external_id.clone(),
                }),
                customer_ref: None,
                lines: vec![ReturnLineRequest {
                    sku: line.sku.clone(),
                    quantity: back,
                    reason: r.reason.clone(),
                    order_line_no: Some(r.line_no),
                    unit_price: None,
                }],
                at: r.at,
                received: false,
            };
            Some(capture_in(&mut tx, actor, &expected).await?.return_id())
        } else {
            None
        };
        (released, return_id)
    } else {
        (0, None)
    };

    if released > 0 {
        let status = match shipping_status(&mut tx, r.order_id).await? {
            OrderStatus::Open if line_is_all_that_was_open(&mut tx, r.order_id).await? => {
                OrderStatus::Cancelled
            }
            other => other,
        };
        set_status(&mut tx, r.order_id, status).await?;
    }
    sqlx::query(
        "INSERT INTO refunds (order_id, line_no, reference, quantity, restock, released,
             return_id, reason, refunded_at, refunded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(r.order_id)
    .bind(r.line_no)
    .bind(&r.reference)
    .bind(r.quantity)
    .bind(r.restock)
    .bind(released)
    .bind(return_id)
    .bind(&r.reason)
    .bind(r.at)
    .bind(actor)
    .execute(&mut *tx)
    .await
    .context("recording the refund")?;
    tx.commit().await.context("committing the refund")?;
    Ok(RefundOutcome { released, return_id, repeat: false })
}

/// True when nothing of the order is still reserved or shipped (it was refunded whole).
async fn line_is_all_that_was_open(conn: &mut sqlx::PgConnection, order_id: i64) -> Result<bool> {
    let open: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(quantity - released), 0)::bigint FROM allocations
         WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_one(conn)
    .await
    .context("summing the order's allocations")?;
    Ok(open == 0)
}
