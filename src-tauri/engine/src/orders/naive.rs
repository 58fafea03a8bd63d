//! A deliberately naive reservation, kept only so tests and benchmarks can show what the
//! real path prevents: it reads what is free, then writes an allocation, with no lock
//! and no ledger movement between the two. Under concurrency it oversells; the
//! concurrency test uses it to prove that its oversell check can fail.

use sqlx::PgPool;

use super::OrderRequest;
use crate::error::{Result, StorageContext};

/// Reserves the whole order at `location` if a plain read says the units are free.
/// Returns whether it reserved.
pub async fn check_then_reserve(
    pool: &PgPool,
    order: &OrderRequest,
    location: &str,
) -> Result<bool> {
    let mut tx = pool.begin().await.context("starting naive reservation")?;
    for d in order.demand() {
        let free: i64 = sqlx::query_scalar(
            "SELECT coalesce((SELECT available FROM positions WHERE sku = $1 AND location = $2), 0)
                  - coalesce((SELECT sum(quantity - shipped - released) FROM allocations
                              WHERE sku = $1 AND location = $2), 0)::bigint",
        )
        .bind(&d.sku)
        .bind(location)
        .fetch_one(&mut *tx)
        .await
        .context("reading free stock")?;
        if free < d.quantity {
            return Ok(false);
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (channel, external_id, payload_hash, status, partial_policy,
             placed_at)
         VALUES ($1, $2, $3, 'open', 'all_or_nothing', $4) RETURNING id",
    )
    .bind(&order.channel)
    .bind(&order.external_id)
    .bind(order.payload_hash())
    .bind(order.placed_at)
    .fetch_one(&mut *tx)
    .await
    .context("recording naive order")?;
    for (n, line) in order.lines.iter().enumerate() {
        let line_no = i32::try_from(n + 1).unwrap_or(i32::MAX);
        sqlx::query(
            "INSERT INTO order_lines (order_id, line_no, sku, quantity) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(line_no)
        .bind(&line.sku)
        .bind(line.quantity)
        .execute(&mut *tx)
        .await
        .context("recording naive line")?;
        sqlx::query(
            "INSERT INTO allocations (order_id, line_no, sku, location, quantity, ship_day)
             VALUES ($1, $2, $3, $4, $5, current_date)",
        )
        .bind(id)
        .bind(line_no)
        .bind(&line.sku)
        .bind(location)
        .bind(line.quantity)
        .execute(&mut *tx)
        .await
        .context("recording naive allocation")?;
    }
    tx.commit().await.context("committing naive reservation")?;
    Ok(true)
}
