//! Fulfilment figures over the orders placed in a period, computed from what the
//! database holds (orders, allocations, routing decisions), never from running counters:
//! fill rate, split rate, distance to the customer and fulfilment cost per order.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use specta::Type;
use sqlx::PgPool;

use crate::error::{Result, StorageContext};

#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct FulfilmentKpis {
    /// Orders placed in the period (rejected ones included).
    pub orders: i64,
    /// Orders that shipped or will ship every unit ordered.
    pub orders_complete: i64,
    /// Orders promised in part.
    pub orders_partial: i64,
    /// Orders of which nothing could be promised.
    pub orders_unfilled: i64,
    pub units_ordered: i64,
    pub units_shipped: i64,
    /// Reserved and not yet shipped.
    pub units_open: i64,
    /// Parcels: one per order and shipping location.
    pub shipments: i64,
    /// Orders shipped from more than one location.
    pub split_orders: i64,
    /// Units shipped or still reserved / units ordered.
    pub fill_rate: f64,
    /// Orders complete / orders.
    pub order_fill_rate: f64,
    /// Split orders / orders with at least one allocation.
    pub split_rate: f64,
    /// Mean great-circle distance from the shipping location to the customer, per parcel
    /// (parcels of orders with a delivery point).
    pub average_distance_km: f64,
    /// Carrier and handling cost of the routing decisions, per order with an allocation,
    /// in pounds rounded to pence.
    #[specta(type = String)]
    pub cost_per_order: Decimal,
}

/// Figures for the orders placed in `[from, to)` (either end open when `None`),
/// optionally of one channel.
pub async fn fulfilment(
    pool: &PgPool,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    channel: Option<&str>,
) -> Result<FulfilmentKpis> {
    sqlx::query_as::<_, FulfilmentKpis>(
        "WITH o AS (
             SELECT id, customer_lat, customer_lon FROM orders
             WHERE ($1::timestamptz IS NULL OR placed_at >= $1)
               AND ($2::timestamptz IS NULL OR placed_at < $2)
               AND ($3::text IS NULL OR channel = $3)
         ), lines AS (
             SELECT l.order_id, sum(l.quantity) AS ordered
             FROM order_lines l JOIN o ON o.id = l.order_id GROUP BY l.order_id
         ), parcels AS (
             SELECT a.order_id, a.location,
                    sum(a.quantity - a.released) AS promised, sum(a.shipped) AS shipped,
                    sum(a.quantity - a.shipped - a.released) AS open
             FROM allocations a JOIN o ON o.id = a.order_id
             GROUP BY a.order_id, a.location
             HAVING sum(a.quantity - a.released) > 0
         ), per_order AS (
             SELECT l.order_id, l.ordered, coalesce(sum(p.promised), 0) AS promised,
                    count(p.location) AS parcels
             FROM lines l LEFT JOIN parcels p USING (order_id) GROUP BY l.order_id, l.ordered
         ), cost AS (
             SELECT sum((d.candidates ->> 'shipping_cost')::numeric) AS total
             FROM routing_decisions d JOIN o ON o.id = d.order_id
         ), distance AS (
             SELECT avg(2 * 6371.0088 * asin(sqrt(
                        sin(radians(o.customer_lat - l.latitude) / 2) ^ 2
                        + cos(radians(l.latitude)) * cos(radians(o.customer_lat))
                          * sin(radians(o.customer_lon - l.longitude) / 2) ^ 2))) AS km
             FROM parcels p JOIN o ON o.id = p.order_id JOIN locations l ON l.code = p.location
             WHERE o.customer_lat IS NOT NULL
         )
         SELECT count(*) AS orders,
                count(*) FILTER (WHERE promised = ordered) AS orders_complete,
                count(*) FILTER (WHERE promised > 0 AND promised < ordered) AS orders_partial,
                count(*) FILTER (WHERE promised = 0) AS orders_unfilled,
                coalesce(sum(ordered), 0)::bigint AS units_ordered,
                (SELECT coalesce(sum(shipped), 0) FROM parcels)::bigint AS units_shipped,
                (SELECT coalesce(sum(open), 0) FROM parcels)::bigint AS units_open,
                coalesce(sum(parcels), 0)::bigint AS shipments,
                count(*) FILTER (WHERE parcels > 1) AS split_orders,
                coalesce(sum(promised)::float8 / nullif(sum(ordered), 0), 0) AS fill_rate,
                coalesce(count(*) FILTER (WHERE promised = ordered)::float8
                         / nullif(count(*), 0), 0) AS order_fill_rate,
                coalesce(count(*) FILTER (WHERE parcels > 1)::float8
                         / nullif(count(*) FILTER (WHERE parcels > 0), 0), 0) AS split_rate,
                coalesce((SELECT km FROM distance), 0)::float8 AS average_distance_km,
                round(coalesce((SELECT total FROM cost), 0)
                      / greatest(count(*) FILTER (WHERE parcels > 0), 1), 2) AS cost_per_order
         FROM per_order",
    )
    .bind(from)
    .bind(to)
    .bind(channel)
    .fetch_one(pool)
    .await
    .context("computing fulfilment figures")
}
