//! Markdowns: units on hand revalued to a lower cost. Recorded as two movements in one
//! transaction, the units leaving `available` at their moving-average cost and coming
//! back at the new cost, so the markdown takes its place in the pool's dated sequence
//! like any other leg (a backdated markdown revalues what follows it) and the difference
//! posts to the markdowns account. The legs go in as two statements: the ledger checks a
//! promise against what a statement leaves available, and in one statement the leg
//! coming back would hide a leaving leg larger than the stock.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgPool;

use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{insert_movements, Keyed, MovementKind, NewMovement, StockState};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct MarkdownRequest {
    pub sku: String,
    pub location: String,
    pub units: i64,
    /// The new cost per unit.
    #[specta(type = String)]
    pub unit_cost: Decimal,
    /// The markdown's reference; with it a repeat is refused rather than applied twice.
    pub reference: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct MarkdownOutcome {
    /// Value of the units before and after, and the markdown posted.
    #[specta(type = String)]
    pub value_before: Decimal,
    #[specta(type = String)]
    pub value_after: Decimal,
    #[specta(type = String)]
    pub markdown: Decimal,
    /// The reference had already been applied with the same content; nothing changed.
    pub repeat: bool,
}

pub async fn markdown(pool: &PgPool, actor: &str, r: &MarkdownRequest) -> Result<MarkdownOutcome> {
    let fail = |field: &str, reason: &str| {
        EngineError::InvalidInput(format!("markdown {}: field {field}: {reason}", r.reference))
    };
    if r.reference.trim().is_empty() {
        return Err(fail("reference", "is empty"));
    }
    if let Some(problem) = crate::ledger::line_units_problem(r.units) {
        return Err(fail("units", &problem));
    }
    if r.unit_cost.is_sign_negative() {
        return Err(fail("unit_cost", "must not be negative"));
    }
    if let Some(problem) = crate::ledger::future_date_problem(r.at) {
        return Err(fail("at", &problem));
    }
    let (sku_known, location_known): (bool, bool) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM products WHERE sku = $1),
                EXISTS (SELECT 1 FROM locations WHERE code = $2)",
    )
    .bind(&r.sku)
    .bind(&r.location)
    .fetch_one(pool)
    .await
    .context("checking the markdown's SKU and location")?;
    if !sku_known {
        return Err(fail("sku", &format!("{} is not in the catalogue", r.sku)));
    }
    if !location_known {
        return Err(fail("location", &format!("{} is not a known location", r.location)));
    }
    let leg = |from, to, unit_cost| NewMovement {
        kind: MovementKind::Markdown,
        sku: r.sku.clone(),
        location: r.location.clone(),
        from,
        to,
        quantity: r.units,
        channel: None,
        unit_price: None,
        unit_cost,
        reason: Some("markdown".into()),
        reference: Some(format!("MD {}", r.reference)),
        event_time: r.at,
    };
    let available = Some(StockState::Available);
    let out = leg(available, None, None);
    let back = leg(None, available, Some(r.unit_cost));
    // Keys sort the leaving leg first in the pool's (time, key) order.
    let key = format!("markdown:{}", r.reference);
    let legs = [
        Keyed { movement: &out, idempotency_key: format!("{key}:1-leave"), event_id: None },
        Keyed { movement: &back, idempotency_key: format!("{key}:2-return"), event_id: None },
    ];
    // The same markdown again (reference, SKU, location, units and cost) changes
    // nothing and reports what it did; the reference on anything else is refused.
    if let Some(done) = recorded(pool, &legs).await? {
        if (done.sku.as_str(), done.location.as_str(), done.units, done.unit_cost)
            == (r.sku.as_str(), r.location.as_str(), r.units, Some(r.unit_cost))
        {
            return Ok(MarkdownOutcome { repeat: true, ..done.outcome });
        }
        return Err(fail("reference", "was already used for a different markdown"));
    }
    let average: Option<Decimal> = sqlx::query_scalar(
        "SELECT unit_cost FROM cost_pools WHERE sku = $1 AND location = $2 AND pool = 'stock'",
    )
    .bind(&r.sku)
    .bind(&r.location)
    .fetch_optional(pool)
    .await
    .context("reading the current cost")?;
    if let Some(avg) = average.filter(|avg| r.unit_cost > *avg) {
        return Err(fail(
            "unit_cost",
            &format!(
                "a markdown lowers the cost; {} at {} costs {} a unit",
                r.sku,
                r.location,
                avg.round_dp(4)
            ),
        ));
    }
    let mut tx = pool.begin().await.context("starting a markdown")?;
    match insert_movements(&mut tx, actor, &legs[..1]).await {
        Err(err) if err.is_insufficient_available() => {
            return Err(fail(
                "units",
                &format!("only available units can be marked down: {}", err.user_message()),
            ));
        }
        other => other?,
    };
    insert_movements(&mut tx, actor, &legs[1..]).await?;
    let done = recorded(&mut *tx, &legs).await?;
    tx.commit().await.context("committing the markdown")?;
    done.map(|d| d.outcome)
        .ok_or_else(|| EngineError::Internal("the markdown's legs were not valued".into()))
}

/// A markdown as the ledger holds it: what its leaving leg took, what its returning leg
/// cost, and the values of both.
struct Recorded {
    sku: String,
    location: String,
    units: i64,
    unit_cost: Option<Decimal>,
    outcome: MarkdownOutcome,
}

/// The markdown recorded under these legs' keys, if any.
async fn recorded(
    db: impl sqlx::PgExecutor<'_>,
    legs: &[Keyed<'_>; 2],
) -> Result<Option<Recorded>> {
    let row: Option<(String, String, i64, Option<Decimal>, Decimal, Decimal)> = sqlx::query_as(
        "SELECT o.sku, o.location, o.quantity, b.unit_cost, -vo.value, vb.value
         FROM movements o
         JOIN movements b ON b.idempotency_key = $2
         JOIN movement_values vo ON vo.movement_id = o.id
         JOIN movement_values vb ON vb.movement_id = b.id
         WHERE o.idempotency_key = $1",
    )
    .bind(&legs[0].idempotency_key)
    .bind(&legs[1].idempotency_key)
    .fetch_optional(db)
    .await
    .context("reading the markdown's legs")?;
    Ok(row.map(|(sku, location, units, unit_cost, before, after)| Recorded {
        sku,
        location,
        units,
        unit_cost,
        outcome: MarkdownOutcome {
            value_before: before,
            value_after: after,
            markdown: before - after,
            repeat: false,
        },
    }))
}
