//! What planning works from besides forecasts: the versioned planning policy, suppliers
//! and their buying terms, and which DC replenishes each store.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{PgConnection, PgPool};

use crate::error::{EngineError, Result, StorageContext};

/// One version of the planning policy. A change is a new version; the latest version
/// effective at a moment applies to a run at that moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct Policy {
    pub version: i64,
    pub effective_from: DateTime<Utc>,
    pub author: String,
    /// Chance of not running out in a replenishment cycle, e.g. 0.95.
    pub service_level: f64,
    pub review_days: i32,
    pub rebalance_max_km: f64,
    pub note: String,
}

/// A new policy version as a planner enters it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PolicyChange {
    pub service_level: f64,
    pub review_days: i32,
    pub rebalance_max_km: f64,
    pub note: String,
}

impl PolicyChange {
    fn problem(&self) -> Option<String> {
        if !(0.5..1.0).contains(&self.service_level) {
            return Some(format!(
                "service level must be at least 0.5 and below 1, got {}",
                self.service_level
            ));
        }
        if self.review_days < 1 {
            return Some(format!("review days must be at least 1, got {}", self.review_days));
        }
        if self.rebalance_max_km.is_nan() || self.rebalance_max_km < 0.0 {
            return Some("rebalancing distance must be 0 km or more".into());
        }
        None
    }
}

pub async fn policy_at(conn: &mut PgConnection, at: DateTime<Utc>) -> Result<Policy> {
    sqlx::query_as::<_, Policy>(
        "SELECT * FROM replenishment_policies WHERE effective_from <= $1
         ORDER BY effective_from DESC, version DESC LIMIT 1",
    )
    .bind(at)
    .fetch_optional(conn)
    .await
    .context("reading the planning policy")?
    .ok_or(EngineError::NotFound { what: "planning policy", key: at.to_rfc3339() })
}

/// Every version, newest first.
pub async fn policy_history(pool: &PgPool) -> Result<Vec<Policy>> {
    sqlx::query_as::<_, Policy>(
        "SELECT * FROM replenishment_policies ORDER BY effective_from DESC, version DESC",
    )
    .fetch_all(pool)
    .await
    .context("reading planning policy versions")
}

pub async fn change_policy(
    pool: &PgPool,
    author: &str,
    change: &PolicyChange,
    effective_from: DateTime<Utc>,
) -> Result<Policy> {
    if let Some(problem) = change.problem() {
        return Err(EngineError::InvalidInput(problem));
    }
    sqlx::query_as::<_, Policy>(
        "INSERT INTO replenishment_policies
             (effective_from, author, service_level, review_days, rebalance_max_km, note)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
    )
    .bind(effective_from)
    .bind(author)
    .bind(change.service_level)
    .bind(change.review_days)
    .bind(change.rebalance_max_km)
    .bind(&change.note)
    .fetch_one(pool)
    .await
    .context("saving the planning policy")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct Supplier {
    pub code: String,
    pub name: String,
    pub lead_time_days: i32,
    pub lead_time_sd_days: f64,
}

/// A SKU's primary supplier and its terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct SupplierItem {
    pub sku: String,
    pub supplier: String,
    #[specta(type = String)]
    pub unit_cost: Decimal,
    pub min_order_qty: i64,
    pub pack_size: i64,
}

pub async fn upsert_suppliers(pool: &PgPool, suppliers: &[Supplier]) -> Result<()> {
    let codes: Vec<&str> = suppliers.iter().map(|s| s.code.as_str()).collect();
    let names: Vec<&str> = suppliers.iter().map(|s| s.name.as_str()).collect();
    let leads: Vec<i32> = suppliers.iter().map(|s| s.lead_time_days).collect();
    let spreads: Vec<f64> = suppliers.iter().map(|s| s.lead_time_sd_days).collect();
    sqlx::query(
        "INSERT INTO suppliers (code, name, lead_time_days, lead_time_sd_days)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::float8[])
         ON CONFLICT (code) DO UPDATE SET name = excluded.name,
             lead_time_days = excluded.lead_time_days,
             lead_time_sd_days = excluded.lead_time_sd_days",
    )
    .bind(&codes)
    .bind(&names)
    .bind(&leads)
    .bind(&spreads)
    .execute(pool)
    .await
    .context("saving suppliers")?;
    Ok(())
}

pub async fn upsert_supplier_items(pool: &PgPool, items: &[SupplierItem]) -> Result<()> {
    let skus: Vec<&str> = items.iter().map(|i| i.sku.as_str()).collect();
    let suppliers: Vec<&str> = items.iter().map(|i| i.supplier.as_str()).collect();
    let costs: Vec<Decimal> = items.iter().map(|i| i.unit_cost).collect();
    let moqs: Vec<i64> = items.iter().map(|i| i.min_order_qty).collect();
    let packs: Vec<i64> = items.iter().map(|i| i.pack_size).collect();
    sqlx::query(
        "INSERT INTO supplier_items (sku, supplier, unit_cost, min_order_qty, pack_size)
         SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::bigint[], $5::bigint[])
         ON CONFLICT (sku) DO UPDATE SET supplier = excluded.supplier,
             unit_cost = excluded.unit_cost, min_order_qty = excluded.min_order_qty,
             pack_size = excluded.pack_size",
    )
    .bind(&skus)
    .bind(&suppliers)
    .bind(&costs)
    .bind(&moqs)
    .bind(&packs)
    .execute(pool)
    .await
    .context("saving supplier terms")?;
    Ok(())
}

/// Gives every location without a replenishment source the usual one: DCs buy from
/// suppliers; stores and dark stores are served by the nearest DC. The returns hub is
/// not replenished. Existing choices are kept.
pub async fn assign_default_sources(pool: &PgPool, transfer_lead_days: i32) -> Result<u64> {
    let done = sqlx::query(
        "INSERT INTO replenishment_sources (location, source_location, transfer_lead_days)
         SELECT l.code,
             CASE WHEN l.kind = 'distribution_centre' THEN NULL ELSE (
                 SELECT dc.code FROM locations dc WHERE dc.kind = 'distribution_centre'
                 ORDER BY (dc.latitude - l.latitude) ^ 2
                     + ((dc.longitude - l.longitude) * cos(radians(l.latitude))) ^ 2,
                     dc.code
                 LIMIT 1) END,
             $1
         FROM locations l
         WHERE l.kind <> 'returns_hub'
           AND (l.kind = 'distribution_centre'
                OR EXISTS (SELECT 1 FROM locations dc WHERE dc.kind = 'distribution_centre'))
         ON CONFLICT (location) DO NOTHING",
    )
    .bind(transfer_lead_days)
    .execute(pool)
    .await
    .context("assigning replenishment sources")?;
    Ok(done.rows_affected())
}
