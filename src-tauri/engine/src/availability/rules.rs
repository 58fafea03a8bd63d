//! Storing and loading versioned availability rules.

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{PgConnection, PgPool};

use crate::error::{EngineError, Result, StorageContext};
use crate::network::LocationKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct Rule {
    pub rule_key: String,
    pub version: i32,
    pub channel: Option<String>,
    pub location: Option<String>,
    pub location_kind: Option<LocationKind>,
    pub safety_stock: i64,
    pub pool_hold: i64,
    pub excluded: bool,
    pub include_inbound: bool,
    pub pickup_fallback: bool,
    pub daily_capacity: Option<i32>,
    #[specta(type = Option<String>)]
    pub cutoff_local: Option<NaiveTime>,
    pub effective_from: DateTime<Utc>,
    pub author: String,
}

/// A new version of a rule; the version number is assigned when it is stored.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct RuleChange {
    pub rule_key: String,
    pub channel: Option<String>,
    pub location: Option<String>,
    pub location_kind: Option<LocationKind>,
    pub safety_stock: i64,
    pub pool_hold: i64,
    pub excluded: bool,
    pub include_inbound: bool,
    pub pickup_fallback: bool,
    pub daily_capacity: Option<i32>,
    #[specta(type = Option<String>)]
    pub cutoff_local: Option<NaiveTime>,
    pub effective_from: DateTime<Utc>,
}

/// The latest version of every rule in force at `at`.
pub async fn in_force(pool: &PgPool, at: DateTime<Utc>) -> Result<Vec<Rule>> {
    let mut conn = pool.acquire().await.context("connecting to read rules")?;
    in_force_on(&mut conn, at).await
}

/// [`in_force`] inside the caller's transaction.
pub async fn in_force_on(conn: &mut PgConnection, at: DateTime<Utc>) -> Result<Vec<Rule>> {
    sqlx::query_as::<_, Rule>(
        "SELECT DISTINCT ON (rule_key) rule_key, version, channel, location, location_kind,
                safety_stock, pool_hold, excluded, include_inbound, pickup_fallback,
                daily_capacity, cutoff_local, effective_from, author
         FROM availability_rules WHERE effective_from <= $1
         ORDER BY rule_key, version DESC",
    )
    .bind(at)
    .fetch_all(conn)
    .await
    .context("reading availability rules")
}

/// Every version of every rule, newest first, for the rules screen and audits.
pub async fn history(pool: &PgPool) -> Result<Vec<Rule>> {
    sqlx::query_as::<_, Rule>(
        "SELECT rule_key, version, channel, location, location_kind, safety_stock, pool_hold,
                excluded, include_inbound, pickup_fallback, daily_capacity, cutoff_local,
                effective_from, author
         FROM availability_rules ORDER BY rule_key, version DESC",
    )
    .fetch_all(pool)
    .await
    .context("reading availability rule history")
}

/// Records a new version of a rule by `author`.
pub async fn record(pool: &PgPool, change: &RuleChange, author: &str) -> Result<Rule> {
    if change.location.is_some() && change.location_kind.is_some() {
        return Err(EngineError::InvalidInput(
            "a rule applies to one location or to a kind of location, not both".into(),
        ));
    }
    if change.safety_stock < 0 || change.pool_hold < 0 {
        return Err(EngineError::InvalidInput(
            "safety stock and pool hold cannot be negative".into(),
        ));
    }
    sqlx::query_as::<_, Rule>(
        "INSERT INTO availability_rules (rule_key, version, channel, location, location_kind,
             safety_stock, pool_hold, excluded, include_inbound, pickup_fallback,
             daily_capacity, cutoff_local, effective_from, author)
         SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
             $12, $13
         FROM availability_rules WHERE rule_key = $1
         RETURNING rule_key, version, channel, location, location_kind, safety_stock,
             pool_hold, excluded, include_inbound, pickup_fallback, daily_capacity,
             cutoff_local, effective_from, author",
    )
    .bind(&change.rule_key)
    .bind(&change.channel)
    .bind(&change.location)
    .bind(change.location_kind)
    .bind(change.safety_stock)
    .bind(change.pool_hold)
    .bind(change.excluded)
    .bind(change.include_inbound)
    .bind(change.pickup_fallback)
    .bind(change.daily_capacity)
    .bind(change.cutoff_local)
    .bind(change.effective_from)
    .bind(author)
    .fetch_one(pool)
    .await
    .context(format!("recording rule {}", change.rule_key))
}
