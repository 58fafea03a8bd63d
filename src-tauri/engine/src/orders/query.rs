//! Reading orders for the orders list and the order detail with its routing explanation.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgPool;

use super::sourcing::Candidate;
use super::OrderStatus;
use crate::error::{EngineError, Result, StorageContext};

#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub channel: Option<String>,
    /// Matches the channel's order id or a SKU on the order.
    pub text: Option<String>,
    pub before_id: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, Type, sqlx::FromRow)]
pub struct OrderSummary {
    pub id: i64,
    pub channel: String,
    pub external_id: String,
    pub status: OrderStatus,
    pub placed_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Hours since placed (until closed, for closed orders).
    pub age_hours: f64,
    pub lines: i64,
    pub units: i64,
    pub reserved_open: i64,
    pub shipped: i64,
    pub locations: i64,
    #[specta(type = String)]
    pub order_value: Decimal,
}

/// Newest first; `before_id` pages to older orders.
pub async fn list(
    pool: &PgPool,
    filter: &OrderFilter,
    now: DateTime<Utc>,
) -> Result<Vec<OrderSummary>> {
    let text = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    sqlx::query_as::<_, OrderSummary>(
        "SELECT o.id, o.channel, o.external_id, o.status, o.placed_at, o.expires_at, o.closed_at,
                extract(epoch FROM coalesce(o.closed_at, $6) - o.placed_at)::float8 / 3600
                    AS age_hours,
                (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id) AS lines,
                (SELECT coalesce(sum(quantity), 0)::bigint FROM order_lines l
                  WHERE l.order_id = o.id) AS units,
                coalesce(a.open, 0)::bigint AS reserved_open,
                coalesce(a.shipped, 0)::bigint AS shipped,
                coalesce(a.locations, 0) AS locations,
                o.order_value
         FROM orders o
         LEFT JOIN LATERAL (
             SELECT sum(quantity - shipped - released) AS open, sum(shipped) AS shipped,
                    count(DISTINCT location) AS locations
             FROM allocations WHERE order_id = o.id) a ON true
         WHERE ($1::order_status IS NULL OR o.status = $1)
           AND ($2::text IS NULL OR o.channel = $2)
           AND ($3::text IS NULL OR o.external_id ILIKE '%' || $3 || '%'
                OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.sku = $3))
           AND ($4::bigint IS NULL OR o.id < $4)
         ORDER BY o.id DESC LIMIT $5",
    )
    .bind(filter.status)
    .bind(&filter.channel)
    .bind(text)
    .bind(filter.before_id)
    .bind(i64::from(filter.limit.clamp(1, 1000)))
    .bind(now)
    .fetch_all(pool)
    .await
    .context("listing orders")
}

#[derive(Debug, Clone, Serialize, Type, sqlx::FromRow)]
pub struct OrderLine {
    pub line_no: i32,
    pub sku: String,
    pub quantity: i64,
    #[specta(type = String)]
    pub unit_price: Decimal,
}

#[derive(Debug, Clone, Serialize, Type, sqlx::FromRow)]
pub struct AllocationRow {
    pub id: i64,
    pub line_no: i32,
    pub sku: String,
    pub location: String,
    pub quantity: i64,
    pub shipped: i64,
    pub released: i64,
    pub open: i64,
    pub ship_day: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Type, sqlx::FromRow)]
pub struct RoutingDecision {
    pub seq: i32,
    pub rule: String,
    pub policy: String,
    pub explanation: String,
    #[specta(type = DecisionDetail)]
    pub candidates: sqlx::types::Json<DecisionDetail>,
    pub decided_at: DateTime<Utc>,
}

/// The figures behind a routing decision, as stored with it.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DecisionDetail {
    pub candidates: Vec<Candidate>,
    pub locations_without_stock: i64,
    pub requested_units: i64,
    pub filled_units: i64,
    #[specta(type = String)]
    pub shipping_cost: Decimal,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct OrderDetail {
    pub summary: OrderSummary,
    pub partial_policy: super::PartialPolicy,
    pub pickup_location: Option<String>,
    pub customer: Option<(f64, f64)>,
    pub lines: Vec<OrderLine>,
    pub allocations: Vec<AllocationRow>,
    pub decisions: Vec<RoutingDecision>,
}

pub async fn detail(pool: &PgPool, order_id: i64, now: DateTime<Utc>) -> Result<OrderDetail> {
    let summary = sqlx::query_as::<_, OrderSummary>(
        "SELECT o.id, o.channel, o.external_id, o.status, o.placed_at, o.expires_at, o.closed_at,
                extract(epoch FROM coalesce(o.closed_at, $2) - o.placed_at)::float8 / 3600
                    AS age_hours,
                (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id) AS lines,
                (SELECT coalesce(sum(quantity), 0)::bigint FROM order_lines l
                  WHERE l.order_id = o.id) AS units,
                (SELECT coalesce(sum(quantity - shipped - released), 0)::bigint
                   FROM allocations WHERE order_id = o.id) AS reserved_open,
                (SELECT coalesce(sum(shipped), 0)::bigint FROM allocations
                  WHERE order_id = o.id) AS shipped,
                (SELECT count(DISTINCT location) FROM allocations
                  WHERE order_id = o.id) AS locations,
                o.order_value
         FROM orders o WHERE o.id = $1",
    )
    .bind(order_id)
    .bind(now)
    .fetch_optional(pool)
    .await
    .context(format!("reading order {order_id}"))?
    .ok_or(EngineError::NotFound { what: "order", key: order_id.to_string() })?;
    let (partial_policy, pickup_location, lat, lon): (
        super::PartialPolicy,
        Option<String>,
        Option<f64>,
        Option<f64>,
    ) = sqlx::query_as(
        "SELECT partial_policy, pickup_location, customer_lat, customer_lon
             FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_one(pool)
    .await
    .context("reading order delivery")?;
    let lines = sqlx::query_as::<_, OrderLine>(
        "SELECT line_no, sku, quantity, unit_price FROM order_lines WHERE order_id = $1
         ORDER BY line_no",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await
    .context("reading order lines")?;
    let allocations = sqlx::query_as::<_, AllocationRow>(
        "SELECT id, line_no, sku, location, quantity, shipped, released,
                quantity - shipped - released AS open, ship_day
         FROM allocations WHERE order_id = $1 ORDER BY line_no, id",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await
    .context("reading allocations")?;
    let decisions = sqlx::query_as::<_, RoutingDecision>(
        "SELECT seq, rule, policy, explanation, candidates, decided_at
         FROM routing_decisions WHERE order_id = $1 ORDER BY seq",
    )
    .bind(order_id)
    .fetch_all(pool)
    .await
    .context("reading routing decisions")?;
    Ok(OrderDetail {
        summary,
        partial_policy,
        pickup_location,
        customer: lat.zip(lon),
        lines,
        allocations,
        decisions,
    })
}
