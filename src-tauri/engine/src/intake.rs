//! Idempotent event intake. Every event is identified by (source, external id) and
//! recorded with a hash of its payload: a repeat with the same payload is a no-op, a
//! repeat with a different payload is refused, and an event's movements are applied
//! whole or not at all.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use sqlx::PgPool;

use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{insert_movements, Keyed, NewMovement};

/// An event from a channel or an importer, with the movements it implies.
#[derive(Debug, Clone)]
pub struct Event {
    pub source: String,
    pub external_id: String,
    pub payload: serde_json::Value,
    pub movements: Vec<NewMovement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied {
        event_id: i64,
        movements: u64,
    },
    /// Already received with the same payload; nothing was changed.
    Duplicate {
        event_id: i64,
    },
}

impl Event {
    /// SHA-256 of the payload's canonical JSON (object keys sorted).
    pub fn payload_hash(&self) -> String {
        let bytes = serde_json::to_vec(&self.payload).unwrap_or_default();
        hex::encode(Sha256::digest(bytes))
    }

    fn movement_key(&self, index: usize) -> String {
        format!("{}:{}:{index}", self.source, self.external_id)
    }
}

/// Submits one event in its own transaction.
pub async fn submit(pool: &PgPool, actor: &str, event: &Event) -> Result<Outcome> {
    let mut results = submit_together(pool, actor, std::slice::from_ref(event)).await?;
    results.pop().unwrap_or_else(|| Err(EngineError::Internal("no outcome".into())))
}

/// Submits many events. They are tried together in one transaction for speed; if that
/// fails, each event is retried alone so one bad event cannot block the others.
/// Returns one outcome per event, in order.
#[tracing::instrument(skip_all, fields(events = events.len()))]
pub async fn submit_batch(pool: &PgPool, actor: &str, events: &[Event]) -> Vec<Result<Outcome>> {
    match submit_together(pool, actor, events).await {
        Ok(outcomes) => outcomes,
        Err(err) => {
            tracing::debug!(error = %err, "batch refused; retrying events one by one");
            let mut outcomes = Vec::with_capacity(events.len());
            for event in events {
                outcomes.push(submit(pool, actor, event).await);
            }
            outcomes
        }
    }
}

/// All events in one transaction. Idempotency conflicts are per-event outcomes; any
/// other failure aborts the whole transaction.
async fn submit_together(
    pool: &PgPool,
    actor: &str,
    events: &[Event],
) -> Result<Vec<Result<Outcome>>> {
    let hashes: Vec<String> = events.iter().map(Event::payload_hash).collect();
    let sources: Vec<&str> = events.iter().map(|e| e.source.as_str()).collect();
    let ids: Vec<&str> = events.iter().map(|e| e.external_id.as_str()).collect();
    let payloads: Vec<&serde_json::Value> = events.iter().map(|e| &e.payload).collect();
    let mut tx = pool.begin().await.context("starting event intake")?;

    let inserted: Vec<(i64, String, String)> = sqlx::query_as(
        "INSERT INTO intake_events (source, external_id, payload_hash, payload)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
         ON CONFLICT (source, external_id) DO NOTHING
         RETURNING id, source, external_id",
    )
    .bind(&sources)
    .bind(&ids)
    .bind(&hashes)
    .bind(&payloads)
    .fetch_all(&mut *tx)
    .await
    .context("recording intake events")?;
    let new_ids: HashMap<(String, String), i64> =
        inserted.into_iter().map(|(id, s, x)| ((s, x), id)).collect();

    let repeats: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT e.id, e.source, e.external_id, e.payload_hash
         FROM intake_events e JOIN unnest($1::text[], $2::text[]) AS k(source, external_id)
             USING (source, external_id)",
    )
    .bind(&sources)
    .bind(&ids)
    .fetch_all(&mut *tx)
    .await
    .context("looking up repeated events")?;
    let stored: HashMap<(String, String), (i64, String)> =
        repeats.into_iter().map(|(id, s, x, h)| ((s, x), (id, h))).collect();

    let mut outcomes = Vec::with_capacity(events.len());
    let mut keyed = Vec::new();
    for (event, hash) in events.iter().zip(&hashes) {
        let key = (event.source.clone(), event.external_id.clone());
        if let Some(&event_id) = new_ids.get(&key) {
            keyed.extend(event.movements.iter().enumerate().map(|(i, m)| Keyed {
                movement: m,
                idempotency_key: event.movement_key(i),
                event_id: Some(event_id),
            }));
            outcomes
                .push(Ok(Outcome::Applied { event_id, movements: event.movements.len() as u64 }));
        } else {
            outcomes.push(match stored.get(&key) {
                Some((event_id, stored_hash)) if stored_hash == hash => {
                    Ok(Outcome::Duplicate { event_id: *event_id })
                }
                _ => Err(EngineError::IdempotencyConflict {
                    source_name: event.source.clone(),
                    external_id: event.external_id.clone(),
                }),
            });
        }
    }

    insert_movements(&mut tx, actor, &keyed).await?;
    tx.commit().await.context("committing event intake")?;
    Ok(outcomes)
}
