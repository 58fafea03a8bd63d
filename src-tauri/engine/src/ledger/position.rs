//! Positions: the quantity per SKU × location in every stock state, read for the
//! inventory explorer. Positions are written only by the ledger trigger.

use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgPool;

use crate::error::{Result, StorageContext};
use crate::network::LocationKind;

/// One SKU at one location, every state side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, sqlx::FromRow)]
pub struct Position {
    pub sku: String,
    pub description: String,
    pub location: String,
    pub location_name: String,
    pub location_kind: LocationKind,
    pub on_hand: i64,
    pub available: i64,
    pub reserved: i64,
    pub in_transit: i64,
    pub damaged: i64,
    pub quarantined: i64,
    pub return_pending: i64,
    pub inbound: i64,
    /// Movements behind this position; the drill-down lists them.
    pub movement_count: i64,
}

/// Totals over many positions, one figure per state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type, sqlx::FromRow)]
pub struct StockTotals {
    pub on_hand: i64,
    pub available: i64,
    pub reserved: i64,
    pub in_transit: i64,
    pub damaged: i64,
    pub quarantined: i64,
    pub return_pending: i64,
    pub inbound: i64,
}

/// A page of the catalogue × network grid.
#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct PositionQuery {
    /// Matches the start of the SKU or any part of the description, case-insensitively.
    pub search: Option<String>,
    pub location: Option<String>,
    pub location_kind: Option<LocationKind>,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct PositionPage {
    pub rows: Vec<Position>,
    /// Rows matching the query, for the grid's scroll bar.
    pub total: u32,
}

const POSITION_COLUMNS: &str = "p.sku, pr.description, p.location, l.name AS location_name,
    l.kind AS location_kind, p.on_hand, p.available, p.reserved, p.in_transit, p.damaged,
    p.quarantined, p.return_pending, p.inbound, p.movement_count";

const MAX_PAGE: u32 = 1000;

/// Every location that has ever held the SKU, DCs first.
pub async fn for_sku(pool: &PgPool, sku: &str) -> Result<Vec<Position>> {
    let sql = format!(
        "SELECT {POSITION_COLUMNS} FROM positions p
         JOIN products pr ON pr.sku = p.sku JOIN locations l ON l.code = p.location
         WHERE p.sku = $1 ORDER BY l.kind, p.location"
    );
    sqlx::query_as::<_, Position>(&sql)
        .bind(sku)
        .fetch_all(pool)
        .await
        .context(format!("reading positions of {sku}"))
}

pub async fn one(pool: &PgPool, sku: &str, location: &str) -> Result<Option<Position>> {
    let sql = format!(
        "SELECT {POSITION_COLUMNS} FROM positions p
         JOIN products pr ON pr.sku = p.sku JOIN locations l ON l.code = p.location
         WHERE p.sku = $1 AND p.location = $2"
    );
    sqlx::query_as::<_, Position>(&sql)
        .bind(sku)
        .bind(location)
        .fetch_optional(pool)
        .await
        .context(format!("reading position {sku} at {location}"))
}

/// One page of all positions, filtered, ordered by SKU then location.
pub async fn page(pool: &PgPool, query: &PositionQuery) -> Result<PositionPage> {
    let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let filter =
        "($1::text IS NULL OR p.sku ILIKE $1 || '%' OR pr.description ILIKE '%' || $1 || '%')
        AND ($2::text IS NULL OR p.location = $2)
        AND ($3::location_kind IS NULL OR l.kind = $3)";
    let from = "FROM positions p JOIN products pr ON pr.sku = p.sku
        JOIN locations l ON l.code = p.location";

    let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) {from} WHERE {filter}"))
        .bind(search)
        .bind(query.location.as_deref())
        .bind(query.location_kind)
        .fetch_one(pool)
        .await
        .context("counting positions")?;
    let rows = sqlx::query_as::<_, Position>(&format!(
        "SELECT {POSITION_COLUMNS} {from} WHERE {filter}
         ORDER BY p.sku, p.location OFFSET $4 LIMIT $5"
    ))
    .bind(search)
    .bind(query.location.as_deref())
    .bind(query.location_kind)
    .bind(i64::from(query.offset))
    .bind(i64::from(query.limit.min(MAX_PAGE)))
    .fetch_all(pool)
    .await
    .context("reading a page of positions")?;

    Ok(PositionPage { rows, total: u32::try_from(total).unwrap_or(u32::MAX) })
}

/// Stock by state over the whole network.
pub async fn totals(pool: &PgPool) -> Result<StockTotals> {
    sqlx::query_as::<_, StockTotals>(
        "SELECT coalesce(sum(on_hand),0)::bigint AS on_hand,
                coalesce(sum(available),0)::bigint AS available,
                coalesce(sum(reserved),0)::bigint AS reserved,
                coalesce(sum(in_transit),0)::bigint AS in_transit,
                coalesce(sum(damaged),0)::bigint AS damaged,
                coalesce(sum(quarantined),0)::bigint AS quarantined,
                coalesce(sum(return_pending),0)::bigint AS return_pending,
                coalesce(sum(inbound),0)::bigint AS inbound
         FROM positions",
    )
    .fetch_one(pool)
    .await
    .context("summing stock by state")
}
