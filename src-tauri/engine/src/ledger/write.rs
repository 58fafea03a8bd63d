//! Appending movements. One statement per batch: the ledger trigger applies the whole
//! batch to positions at once, so a thousand movements cost one position update per key.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use super::NewMovement;
use crate::error::{EngineError, Result, StorageContext};
use crate::finance::valuation::Recorded;

/// A movement with the keys that tie it to its source.
pub struct Keyed<'a> {
    pub movement: &'a NewMovement,
    pub idempotency_key: String,
    pub event_id: Option<i64>,
}

/// Appends the movements in one statement. Fails whole: if any movement is refused (a
/// promise beyond availability, an unknown SKU), none is recorded.
pub async fn insert_movements(
    conn: &mut PgConnection,
    actor: &str,
    movements: &[Keyed<'_>],
) -> Result<u64> {
    if movements.is_empty() {
        return Ok(0);
    }
    for k in movements {
        validate(k.movement)?;
    }
    let col = Columns::from(movements);
    let recorded: Vec<Recorded> = sqlx::query_as(
        "INSERT INTO movements (idempotency_key, event_id, kind, sku, location, from_state,
             to_state, quantity, channel, unit_price, reason, reference, actor, event_time,
             unit_cost)
         SELECT key, event_id, kind::movement_kind, sku, location, from_state::stock_state,
             to_state::stock_state, quantity, channel, unit_price, reason, reference, $14,
             event_time, unit_cost
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[],
             $6::text[], $7::text[], $8::bigint[], $9::text[], $10::numeric[], $11::text[],
             $12::text[], $13::timestamptz[], $15::numeric[])
             AS m(key, event_id, kind, sku, location, from_state, to_state, quantity,
                  channel, unit_price, reason, reference, event_time, unit_cost)
         RETURNING id, idempotency_key, kind, sku, location, from_state, to_state, quantity,
             unit_cost, event_time",
    )
    .bind(&col.keys)
    .bind(&col.event_ids)
    .bind(&col.kinds)
    .bind(&col.skus)
    .bind(&col.locations)
    .bind(&col.from_states)
    .bind(&col.to_states)
    .bind(&col.quantities)
    .bind(&col.channels)
    .bind(&col.unit_prices)
    .bind(&col.reasons)
    .bind(&col.references)
    .bind(&col.event_times)
    .bind(actor)
    .bind(&col.unit_costs)
    .fetch_all(&mut *conn)
    .await
    .context(format!("recording {} movements", movements.len()))?;
    let count = recorded.len() as u64;
    // The value of what moved, and its journal, in the same transaction.
    crate::finance::valuation::value_new(&mut *conn, recorded).await?;
    Ok(count)
}

/// Checks what the database would also refuse, with a clearer message.
pub fn validate(m: &NewMovement) -> Result<()> {
    let problem = if m.quantity <= 0 {
        Some(format!("quantity must be positive, got {}", m.quantity))
    } else if m.quantity > super::MAX_MOVEMENT_UNITS {
        Some(format!(
            "quantity {} is more than the {} one movement may carry",
            m.quantity,
            super::MAX_MOVEMENT_UNITS
        ))
    } else if m.sku.trim().is_empty() {
        Some("SKU is empty".to_owned())
    } else if m.location.trim().is_empty() {
        Some("location is empty".to_owned())
    } else if m.from.is_none() && m.to.is_none() {
        Some("a movement needs a from or a to state".to_owned())
    } else if m.from == m.to {
        Some("from and to states are the same".to_owned())
    } else {
        None
    };
    match problem {
        Some(p) => {
            Err(EngineError::InvalidInput(format!("movement of {} at {}: {p}", m.sku, m.location)))
        }
        None => Ok(()),
    }
}

struct Columns {
    keys: Vec<String>,
    event_ids: Vec<Option<i64>>,
    kinds: Vec<&'static str>,
    skus: Vec<String>,
    locations: Vec<String>,
    from_states: Vec<Option<&'static str>>,
    to_states: Vec<Option<&'static str>>,
    quantities: Vec<i64>,
    channels: Vec<Option<String>>,
    unit_prices: Vec<Option<Decimal>>,
    unit_costs: Vec<Option<Decimal>>,
    reasons: Vec<Option<String>>,
    references: Vec<Option<String>>,
    event_times: Vec<DateTime<Utc>>,
}

impl From<&[Keyed<'_>]> for Columns {
    fn from(rows: &[Keyed<'_>]) -> Self {
        Columns {
            keys: rows.iter().map(|k| k.idempotency_key.clone()).collect(),
            event_ids: rows.iter().map(|k| k.event_id).collect(),
            kinds: rows.iter().map(|k| k.movement.kind.as_str()).collect(),
            skus: rows.iter().map(|k| k.movement.sku.clone()).collect(),
            locations: rows.iter().map(|k| k.movement.location.clone()).collect(),
            from_states: rows.iter().map(|k| k.movement.from.map(|s| s.as_str())).collect(),
            to_states: rows.iter().map(|k| k.movement.to.map(|s| s.as_str())).collect(),
            quantities: rows.iter().map(|k| k.movement.quantity).collect(),
            channels: rows.iter().map(|k| k.movement.channel.clone()).collect(),
            unit_prices: rows.iter().map(|k| k.movement.unit_price).collect(),
            unit_costs: rows.iter().map(|k| k.movement.unit_cost).collect(),
            reasons: rows.iter().map(|k| k.movement.reason.clone()).collect(),
            references: rows.iter().map(|k| k.movement.reference.clone()).collect(),
            event_times: rows.iter().map(|k| k.movement.event_time).collect(),
        }
    }
}
