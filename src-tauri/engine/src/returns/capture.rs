//! Capturing a return and receiving its units into `return_pending`.
//!
//! Each line is linked to the order line it came from when one can be found: the line
//! named by the customer's order, or else the customer's most recent sale of the SKU
//! that still has units out (shipped, not yet returned or expected back). A return that
//! names an order must match it; one that names only a customer and finds no sale is
//! kept, unlinked, and flagged.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};

use super::{ReturnOutcome, ReturnRequest, ReturnStatus};
use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{insert_movements, Keyed, MovementKind, NewMovement, StockState};

/// Captures a return in one transaction (and receives it, when `received`). Invalid
/// input is refused whole, naming the line and the field.
#[tracing::instrument(skip_all, fields(channel = %request.channel, rma = %request.external_id))]
pub async fn capture(pool: &PgPool, actor: &str, request: &ReturnRequest) -> Result<ReturnOutcome> {
    let mut tx = pool.begin().await.context("starting return capture")?;
    let outcome = capture_in(&mut tx, actor, request).await?;
    tx.commit().await.context("committing the return")?;
    Ok(outcome)
}

pub(crate) async fn capture_in(
    conn: &mut PgConnection,
    actor: &str,
    r: &ReturnRequest,
) -> Result<ReturnOutcome> {
    check_shape(r)?;
    check_references(&mut *conn, r).await?;
    let hash = r.payload_hash();
    let existing: Option<(i64, String, ReturnStatus)> = sqlx::query_as(
        "SELECT id, payload_hash, status FROM returns WHERE channel = $1 AND external_id = $2",
    )
    .bind(&r.channel)
    .bind(&r.external_id)
    .fetch_optional(&mut *conn)
    .await
    .context("looking for the return")?;
    if let Some((return_id, earlier, status)) = existing {
        return if earlier == hash {
            Ok(ReturnOutcome::Duplicate { return_id, status })
        } else {
            Err(EngineError::IdempotencyConflict {
                source_name: r.channel.clone(),
                external_id: r.external_id.clone(),
            })
        };
    }

    let order_id = match &r.order {
        Some(o) => {
            let (id, placed_at) = sqlx::query_as::<_, (i64, DateTime<Utc>)>(
                "SELECT id, placed_at FROM orders WHERE channel = $1 AND external_id = $2",
            )
            .bind(&o.channel)
            .bind(&o.external_id)
            .fetch_optional(&mut *conn)
            .await
            .context("finding the returned order")?
            .ok_or_else(|| {
                EngineError::InvalidInput(format!(
                    "return {}: field order: order {}/{} is not known",
                    r.external_id, o.channel, o.external_id
                ))
            })?;
            if r.at < placed_at {
                return Err(EngineError::InvalidInput(format!(
                    "return {}: field at: {} is before order {}/{} was placed ({})",
                    r.external_id,
                    r.at.to_rfc3339(),
                    o.channel,
                    o.external_id,
                    placed_at.to_rfc3339()
                )));
            }
            Some(id)
        }
        None => None,
    };
    let links = link_lines(&mut *conn, r, order_id).await?;
    let header_order = order_id.or_else(|| links.iter().flatten().map(|l| l.order_id).next());

    let return_id: i64 = sqlx::query_scalar(
        "INSERT INTO returns (channel, external_id, payload_hash, order_id, customer_ref,
             location, status, captured_at, captured_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'announced', $7, $8) RETURNING id",
    )
    .bind(&r.channel)
    .bind(&r.external_id)
    .bind(&hash)
    .bind(header_order)
    .bind(&r.customer_ref)
    .bind(&r.location)
    .bind(r.at)
    .bind(actor)
    .fetch_one(&mut *conn)
    .await
    .context(format!("recording return {}", r.external_id))?;

    let nos: Vec<i32> = (1..=r.lines.len()).map(|n| n as i32).collect();
    let skus: Vec<&str> = r.lines.iter().map(|l| l.sku.as_str()).collect();
    let qtys: Vec<i64> = r.lines.iter().map(|l| l.quantity).collect();
    let reasons: Vec<&str> = r.lines.iter().map(|l| l.reason.as_str()).collect();
    let order_ids: Vec<Option<i64>> =
        links.iter().map(|l| l.as_ref().map(|l| l.order_id)).collect();
    let line_nos: Vec<Option<i32>> = links.iter().map(|l| l.as_ref().map(|l| l.line_no)).collect();
    let prices: Vec<Decimal> = r
        .lines
        .iter()
        .zip(&links)
        .map(|(line, link)| match link {
            Some(l) => l.unit_price,
            None => line.unit_price.unwrap_or_default(),
        })
        .collect();
    sqlx::query(
        "INSERT INTO return_lines (return_id, line_no, sku, quantity, reason, order_id,
             order_line_no, unit_price)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::bigint[], $5::text[],
             $6::bigint[], $7::int[], $8::numeric[])",
    )
    .bind(return_id)
    .bind(&nos)
    .bind(&skus)
    .bind(&qtys)
    .bind(&reasons)
    .bind(&order_ids)
    .bind(&line_nos)
    .bind(&prices)
    .execute(&mut *conn)
    .await
    .context(format!("recording the lines of return {}", r.external_id))?;

    let status = if r.received {
        receive_in(&mut *conn, actor, return_id, r.at).await?;
        ReturnStatus::Received
    } else {
        ReturnStatus::Announced
    };
    let linked_lines = links.iter().flatten().count() as i64;
    tracing::debug!(return_id, linked_lines, lines = r.lines.len(), "return captured");
    Ok(ReturnOutcome::Captured { return_id, linked_lines, lines: r.lines.len() as i64, status })
}

fn check_shape(r: &ReturnRequest) -> Result<()> {
    let id = &r.external_id;
    let fail = |field: &str, reason: String| {
        Err(EngineError::InvalidInput(format!("return {id}: field {field}: {reason}")))
    };
    if r.channel.trim().is_empty() {
        return fail("channel", "is empty".into());
    }
    if id.trim().is_empty() {
        return fail("external_id", "is empty".into());
    }
    if r.lines.is_empty() {
        return fail("lines", "a return needs at least one line".into());
    }
    if let Some(problem) = crate::ledger::future_date_problem(r.at) {
        return fail("at", problem);
    }
    for (n, line) in r.lines.iter().enumerate() {
        let at = |field: &str, reason: &str| {
            Err(EngineError::InvalidInput(format!(
                "return {id} line {}: field {field}: {reason}",
                n + 1
            )))
        };
        if line.sku.trim().is_empty() {
            return at("sku", "is empty");
        }
        if let Some(problem) = crate::ledger::line_units_problem(line.quantity) {
            return at("quantity", &problem);
        }
        if line.unit_price.is_some_and(|p| p.is_sign_negative()) {
            return at("unit_price", "must not be negative");
        }
    }
    Ok(())
}

/// Refuses a return naming an unknown channel, location, SKU or reason, or a location
/// the rules do not let receive returns.
async fn check_references(conn: &mut PgConnection, r: &ReturnRequest) -> Result<()> {
    let id = &r.external_id;
    let channel: Option<String> = sqlx::query_scalar("SELECT code FROM channels WHERE code = $1")
        .bind(&r.channel)
        .fetch_optional(&mut *conn)
        .await
        .context("checking the return's channel")?;
    if channel.is_none() {
        return Err(EngineError::InvalidInput(format!(
            "return {id}: field channel: {} is not a known channel",
            r.channel
        )));
    }
    let receives: Option<bool> = sqlx::query_scalar(
        "SELECT r.receives_returns FROM locations l JOIN return_location_rules r USING (kind)
         WHERE l.code = $1",
    )
    .bind(&r.location)
    .fetch_optional(&mut *conn)
    .await
    .context("checking the receiving location")?;
    match receives {
        None => {
            return Err(EngineError::InvalidInput(format!(
                "return {id}: field location: {} is not a known location",
                r.location
            )))
        }
        Some(false) => {
            return Err(EngineError::InvalidInput(format!(
                "return {id}: field location: {} does not receive customer returns \
                 (see the return location rules)",
                r.location
            )))
        }
        Some(true) => {}
    }
    let skus: Vec<&str> = r.lines.iter().map(|l| l.sku.as_str()).collect();
    let known: HashSet<String> = sqlx::query_scalar("SELECT sku FROM products WHERE sku = ANY($1)")
        .bind(&skus)
        .fetch_all(&mut *conn)
        .await
        .context("checking the returned SKUs")?
        .into_iter()
        .collect();
    let reasons: HashSet<String> = sqlx::query_scalar("SELECT code FROM return_reasons")
        .fetch_all(&mut *conn)
        .await
        .context("reading return reasons")?
        .into_iter()
        .collect();
    for (n, line) in r.lines.iter().enumerate() {
        if !known.contains(&line.sku) {
            return Err(EngineError::InvalidInput(format!(
                "return {id} line {}: field sku: {} is not in the catalogue",
                n + 1,
                line.sku
            )));
        }
        if !reasons.contains(&line.reason) {
            let mut codes: Vec<&String> = reasons.iter().collect();
            codes.sort();
            let codes: Vec<&str> = codes.into_iter().map(String::as_str).collect();
            return Err(EngineError::InvalidInput(format!(
                "return {id} line {}: field reason: {} is not a reason code (use one of {})",
                n + 1,
                line.reason,
                codes.join(", ")
            )));
        }
    }
    Ok(())
}

/// An order line a returned line came from.
#[derive(Debug, Clone)]
struct Link {
    order_id: i64,
    line_no: i32,
    unit_price: Decimal,
}

#[derive(sqlx::FromRow)]
struct Candidate {
    order_id: i64,
    line_no: i32,
    sku: String,
    unit_price: Decimal,
    /// Shipped, not returned, not already expected back.
    units_out: i64,
}

/// Links each line to the order line it came from (None: unlinked).
async fn link_lines(
    conn: &mut PgConnection,
    r: &ReturnRequest,
    order_id: Option<i64>,
) -> Result<Vec<Option<Link>>> {
    if order_id.is_none() && r.customer_ref.is_none() {
        return Ok(vec![None; r.lines.len()]);
    }
    let skus: Vec<&str> = r.lines.iter().map(|l| l.sku.as_str()).collect();
    let mut candidates: Vec<Candidate> = sqlx::query_as(
        "SELECT s.order_id, s.line_no, s.sku, l.unit_price,
                (s.shipped - s.returned - coalesce((
                    SELECT sum(rl.quantity) FROM return_lines rl
                    WHERE rl.order_id = s.order_id AND rl.order_line_no = s.line_no
                      AND rl.received = 0), 0))::bigint AS units_out
         FROM orders o
         JOIN order_line_stock s ON s.order_id = o.id
         JOIN order_lines l ON l.order_id = s.order_id AND l.line_no = s.line_no
         WHERE s.sku = ANY($4)
           AND CASE WHEN $1::bigint IS NOT NULL THEN o.id = $1
                    ELSE o.customer_ref = $2 AND o.placed_at <= $3 END
         ORDER BY o.placed_at DESC, o.id DESC, s.line_no",
    )
    .bind(order_id)
    .bind(&r.customer_ref)
    .bind(r.at)
    .bind(&skus)
    .fetch_all(&mut *conn)
    .await
    .context("finding the sale behind the return")?;

    let mut links = Vec::with_capacity(r.lines.len());
    for (n, line) in r.lines.iter().enumerate() {
        let fits = |c: &&mut Candidate| {
            c.sku == line.sku
                && c.units_out >= line.quantity
                && line.order_line_no.is_none_or(|no| no == c.line_no)
        };
        match candidates.iter_mut().find(|c| fits(c)) {
            Some(c) => {
                c.units_out -= line.quantity;
                links.push(Some(Link {
                    order_id: c.order_id,
                    line_no: c.line_no,
                    unit_price: c.unit_price,
                }));
            }
            // The customer named the order: the line must be on it, with units out.
            None if order_id.is_some() => {
                let out: i64 = candidates
                    .iter()
                    .filter(|c| c.sku == line.sku)
                    .filter(|c| line.order_line_no.is_none_or(|no| no == c.line_no))
                    .map(|c| c.units_out)
                    .sum();
                return Err(EngineError::InvalidInput(format!(
                    "return {} line {}: field quantity: the order has {out} unit(s) of {} \
                     shipped and not yet returned; {} cannot come back against it",
                    r.external_id,
                    n + 1,
                    line.sku,
                    line.quantity
                )));
            }
            None => links.push(None),
        }
    }
    Ok(links)
}

/// Receives an announced return: its units enter `return_pending` at its location.
/// Receiving a return already received changes nothing.
pub async fn receive(
    pool: &PgPool,
    actor: &str,
    return_id: i64,
    at: DateTime<Utc>,
) -> Result<bool> {
    let mut tx = pool.begin().await.context("starting the return receipt")?;
    let done = receive_in(&mut tx, actor, return_id, at).await?;
    tx.commit().await.context("committing the return receipt")?;
    Ok(done)
}

/// Returns false when the return was already received.
pub(crate) async fn receive_in(
    conn: &mut PgConnection,
    actor: &str,
    return_id: i64,
    at: DateTime<Utc>,
) -> Result<bool> {
    let head: Option<(String, String, String, ReturnStatus)> = sqlx::query_as(
        "SELECT channel, external_id, location, status FROM returns WHERE id = $1 FOR UPDATE",
    )
    .bind(return_id)
    .fetch_optional(&mut *conn)
    .await
    .context(format!("locking return {return_id}"))?;
    let Some((channel, external_id, location, status)) = head else {
        return Err(EngineError::NotFound { what: "return", key: return_id.to_string() });
    };
    if status != ReturnStatus::Announced {
        return Ok(false);
    }
    let lines: Vec<(i32, String, i64, Decimal)> = sqlx::query_as(
        "UPDATE return_lines SET received = quantity WHERE return_id = $1
         RETURNING line_no, sku, quantity, unit_price",
    )
    .bind(return_id)
    .fetch_all(&mut *conn)
    .await
    .context(format!("receiving return {external_id}"))?;
    let moves: Vec<(String, NewMovement)> = lines
        .into_iter()
        .map(|(line_no, sku, quantity, price)| {
            (
                format!("return:{return_id}:{line_no}:receipt"),
                NewMovement {
                    kind: MovementKind::Return,
                    sku,
                    location: location.clone(),
                    from: None,
                    to: Some(StockState::ReturnPending),
                    quantity,
                    channel: Some(channel.clone()),
                    unit_price: Some(price),
                    unit_cost: None,
                    reason: None,
                    reference: Some(format!("RMA {channel}/{external_id}")),
                    event_time: at,
                },
            )
        })
        .collect();
    let keyed: Vec<Keyed<'_>> = moves
        .iter()
        .map(|(k, m)| Keyed { movement: m, idempotency_key: k.clone(), event_id: None })
        .collect();
    insert_movements(&mut *conn, actor, &keyed).await?;
    sqlx::query("UPDATE returns SET status = 'received', received_at = $2 WHERE id = $1")
        .bind(return_id)
        .bind(at)
        .execute(&mut *conn)
        .await
        .context(format!("marking return {external_id} received"))?;
    Ok(true)
}
