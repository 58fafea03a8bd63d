//! Proof that positions equal the ledger: recompute every position from the movements
//! and list any state where the stored figure differs.

use serde::Serialize;
use specta::Type;
use sqlx::PgPool;

use super::StockState;
use crate::error::{Result, StorageContext};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, sqlx::FromRow)]
pub struct Drift {
    pub sku: String,
    pub location: String,
    pub state: StockState,
    /// What the positions table says.
    pub position: i64,
    /// What the movements add up to.
    pub ledger: i64,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct VerifyReport {
    pub positions_checked: i64,
    pub movements: i64,
    /// Empty when positions equal the ledger; at most 1,000 listed.
    pub drifts: Vec<Drift>,
}

#[tracing::instrument(skip(pool))]
pub async fn run(pool: &PgPool) -> Result<VerifyReport> {
    let mut tx = pool.begin().await.context("starting verification")?;
    // One snapshot for all three reads, so concurrent writers cannot fake a drift.
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await
        .context("setting the verification snapshot")?;

    let drifts = sqlx::query_as::<_, Drift>(
        "WITH ledger AS (
             SELECT sku, location, state, sum(delta)::bigint AS qty FROM (
                 SELECT sku, location, to_state AS state, quantity AS delta
                 FROM movements WHERE to_state IS NOT NULL
                 UNION ALL
                 SELECT sku, location, from_state, -quantity
                 FROM movements WHERE from_state IS NOT NULL) legs
             GROUP BY sku, location, state
         ), stored AS (
             SELECT p.sku, p.location, s.state, s.qty
             FROM positions p CROSS JOIN LATERAL (VALUES
                 ('available'::stock_state, p.available), ('reserved', p.reserved),
                 ('in_transit', p.in_transit), ('damaged', p.damaged),
                 ('quarantined', p.quarantined), ('return_pending', p.return_pending),
                 ('inbound', p.inbound)) AS s(state, qty)
         )
         SELECT coalesce(l.sku, s.sku) AS sku, coalesce(l.location, s.location) AS location,
                coalesce(l.state, s.state) AS state,
                coalesce(s.qty, 0) AS position, coalesce(l.qty, 0) AS ledger
         FROM ledger l FULL JOIN stored s
             ON s.sku = l.sku AND s.location = l.location AND s.state = l.state
         WHERE coalesce(s.qty, 0) <> coalesce(l.qty, 0)
         ORDER BY 1, 2, 3 LIMIT 1000",
    )
    .fetch_all(&mut *tx)
    .await
    .context("recomputing positions from the ledger")?;

    let (positions_checked, movements): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM positions), (SELECT count(*) FROM movements)")
            .fetch_one(&mut *tx)
            .await
            .context("counting positions and movements")?;
    tx.commit().await.context("ending verification")?;

    if !drifts.is_empty() {
        tracing::error!(drifts = drifts.len(), "positions differ from the ledger");
    }
    Ok(VerifyReport { positions_checked, movements, drifts })
}
