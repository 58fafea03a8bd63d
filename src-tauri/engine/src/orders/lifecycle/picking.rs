//! The store side of fulfilment: a store that cannot find a unit re-routes the order
//! and feeds its measured accuracy; release waves flag picks likely to miss.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use specta::Type;
use sqlx::{PgConnection, PgPool};

use super::{
    lock_order, movement, open_allocations, record_picks, set_status, shipping_status, Change,
    OpenAllocation,
};
use crate::availability::Snapshot;
use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{insert_movements, Keyed, MovementKind, NewMovement};
use crate::orders::capture::{sourcing_policy, Writes};
use crate::orders::sourcing::{self, Demand, SourcingRequest};
use crate::orders::{OrderStatus, PartialPolicy};

/// A store could not find the units reserved at it for the order. The missing units are
/// written off there (a count correction the store must confirm), the miss counts
/// against the store's pick accuracy, an exception goes to the store, and the order is
/// re-routed to the rest of the network. Returns the units re-reserved elsewhere.
pub async fn store_rejection(
    pool: &PgPool,
    actor: &str,
    order_id: i64,
    location: &str,
) -> Result<Change> {
    let mut tx = pool.begin().await.context("starting store rejection")?;
    let head = lock_order(&mut tx, order_id).await?;
    let now = Utc::now();
    let missing: Vec<OpenAllocation> = open_allocations(&mut tx, order_id)
        .await?
        .into_iter()
        .filter(|a| a.location == location)
        .collect();
    if missing.is_empty() {
        return Err(EngineError::InvalidInput(format!(
            "{} has nothing reserved at {location} to reject",
            head.label()
        )));
    }
    let moves: Vec<(String, NewMovement)> = missing
        .iter()
        .map(|a| {
            let m = movement(
                &head,
                a,
                MovementKind::Adjustment,
                None,
                a.open,
                now,
                Some("not found at pick"),
            );
            (format!("order:{order_id}:alloc:{}:not-found", a.id), m)
        })
        .collect();
    let keyed: Vec<Keyed<'_>> = moves
        .iter()
        .map(|(k, m)| Keyed { movement: m, idempotency_key: k.clone(), event_id: None })
        .collect();
    insert_movements(&mut tx, actor, &keyed).await?;
    sqlx::query(
        "UPDATE allocations SET released = released + (quantity - shipped - released)
         WHERE id = ANY($1)",
    )
    .bind(missing.iter().map(|a| a.id).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await
    .context("releasing the rejected allocations")?;
    record_picks(
        &mut tx,
        order_id,
        missing.iter().map(|a| (a.location.as_str(), a.sku.as_str())),
        false,
    )
    .await?;
    for a in &missing {
        raise(
            &mut tx,
            "store_rejection",
            &a.sku,
            location,
            Some(order_id),
            &format!(
                "{location} could not find {} of {} for {}; count the shelf",
                a.open,
                a.sku,
                head.label()
            ),
            &owner_for(location),
        )
        .await?;
    }

    // Re-route what is missing, never back to the store that could not find it.
    let mut demand: Vec<Demand> = Vec::new();
    let mut lines: Vec<(i32, String, i64)> = Vec::new();
    for a in &missing {
        lines.push((a.line_no, a.sku.clone(), a.open));
        match demand.iter_mut().find(|d| d.sku == a.sku) {
            Some(d) => d.quantity += a.open,
            None => demand.push(Demand { sku: a.sku.clone(), quantity: a.open }),
        }
    }
    let policy = sourcing_policy(&mut tx, now).await?;
    let skus: Vec<String> = demand.iter().map(|d| d.sku.clone()).collect();
    let snapshot = Snapshot::load(&mut tx, &skus, true, now).await?;
    let exclude: HashSet<String> = HashSet::from([location.to_owned()]);
    let customer = head.customer_lat.zip(head.customer_lon);
    let request = SourcingRequest {
        channel: &head.channel,
        demand: &demand,
        order_value: head.order_value,
        customer,
        pickup: head.pickup_location.as_deref(),
        partial_policy: PartialPolicy::ReserveAvailable,
        now,
        exclude: &exclude,
    };
    let plan = sourcing::plan(&request, &snapshot, &policy);
    let seq: i32 = sqlx::query_scalar(
        "SELECT coalesce(max(seq), 0) + 1 FROM routing_decisions WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_one(&mut *tx)
    .await
    .context("numbering the re-route")?;
    let prices: HashMap<i32, Decimal> = HashMap::new();
    let mut writes = Writes::default();
    writes.add_plan(
        order_id,
        &head.channel,
        &head.external_id,
        now,
        &lines,
        &prices,
        &plan,
        seq,
        &policy,
    );
    writes.flush(&mut tx, actor).await?;
    let short = plan.requested_units - plan.filled_units;
    if short > 0 {
        for d in &demand {
            raise(
                &mut tx,
                "unfillable_after_rejection",
                &d.sku,
                location,
                Some(order_id),
                &format!(
                    "{} is short of {short} units after {location} could not find them; \
                     contact the customer or cancel the line",
                    head.label()
                ),
                "ops-lead",
            )
            .await?;
        }
    }
    let status = match shipping_status(&mut tx, order_id).await? {
        OrderStatus::Open if plan.filled_units == 0 && !has_open(&mut tx, order_id).await? => {
            OrderStatus::Cancelled
        }
        s => s,
    };
    set_status(&mut tx, order_id, status).await?;
    tx.commit().await.context("committing store rejection")?;
    Ok(Change { order_id, units: plan.filled_units, status })
}

async fn has_open(conn: &mut PgConnection, order_id: i64) -> Result<bool> {
    Ok(!open_allocations(conn, order_id).await?.is_empty())
}

/// Who owns an exception at a location.
fn owner_for(location: &str) -> String {
    format!("store-manager:{location}")
}

#[allow(clippy::too_many_arguments)]
async fn raise(
    conn: &mut PgConnection,
    kind: &str,
    sku: &str,
    location: &str,
    order_id: Option<i64>,
    detail: &str,
    owner: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO stock_exceptions (kind, sku, location, order_id, detail, owner)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (kind, sku, location, coalesce(order_id, 0)) WHERE resolved_at IS NULL
         DO UPDATE SET detail = excluded.detail, last_seen_at = now()",
    )
    .bind(kind)
    .bind(sku)
    .bind(location)
    .bind(order_id)
    .bind(detail)
    .bind(owner)
    .execute(conn)
    .await
    .context("raising an exception")?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Wave {
    /// Allocation lines sent to locations to pick.
    pub released_lines: i64,
    /// Of those, lines at locations whose measured accuracy makes a miss likely.
    pub flagged_lines: i64,
}

/// Sends every open, not yet waved allocation to its location to pick, and flags those
/// at locations picking below the policy's accuracy (with at least `min_picks` measured)
/// into the exception queue, owned by the location's manager.
pub async fn release_wave(pool: &PgPool, now: DateTime<Utc>, min_picks: i64) -> Result<Wave> {
    let mut tx = pool.begin().await.context("starting a release wave")?;
    let policy = sourcing_policy(&mut tx, now).await?;
    let lines: Vec<(i64, String, String, i64, Option<Decimal>, i64)> = sqlx::query_as(
        "WITH waved AS (
             UPDATE allocations SET waved_at = $1
             WHERE waved_at IS NULL AND quantity - shipped - released > 0
             RETURNING order_id, sku, location, quantity - shipped - released AS open)
         SELECT w.order_id, w.sku, w.location, w.open, a.accuracy, coalesce(a.picks, 0)
         FROM waved w LEFT JOIN location_accuracy a USING (location)",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await
    .context("releasing a wave")?;
    let mut flagged = 0;
    for (order_id, sku, location, open, accuracy, picks) in &lines {
        let Some(acc) = accuracy.filter(|a| *a < policy.min_pick_accuracy && *picks >= min_picks)
        else {
            continue;
        };
        flagged += 1;
        raise(
            &mut tx,
            "oversell_risk",
            sku,
            location,
            Some(*order_id),
            &format!(
                "{location} finds only {}% of picks ({picks} measured); {open} of {sku} may \
                 not be there: check the shelf before picking",
                (acc * Decimal::ONE_HUNDRED).round_dp(1)
            ),
            &owner_for(location),
        )
        .await?;
    }
    tx.commit().await.context("committing the release wave")?;
    Ok(Wave {
        released_lines: i64::try_from(lines.len()).unwrap_or(i64::MAX),
        flagged_lines: flagged,
    })
}
