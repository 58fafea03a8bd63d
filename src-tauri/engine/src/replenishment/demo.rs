//! Planning set-up for the demo data, which has no suppliers or costs. What it assumes,
//! deterministically (the same data gives the same set-up):
//!
//! - Six suppliers; each SKU buys from one chosen by a hash of the SKU. Lead times are
//!   10 to 21 days with a spread of 2 to 4 days (the replay's own supply arrives two
//!   weeks after ordering).
//! - Unit cost is 55% of the SKU's median selling price (sales and order lines), to
//!   the penny.
//! - Cases: 24 units under 1.00, 12 under 5.00, 6 under 20.00, else singles; the minimum
//!   order is two cases.
//! - Stores and the dark store are replenished from the nearest DC, two days away.
//!
//! Then forecasts are fitted on the 12 weeks up to the last sale and a plan is run at
//! the end of that day.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use specta::Type;
use sqlx::PgPool;

use super::demand::{self, ForecastRefresh};
use super::plan::{self, PlanSummary};
use super::settings::{self, Supplier, SupplierItem};
use crate::error::{Result, StorageContext};

pub const HISTORY_DAYS: u32 = 84;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PlanningSetup {
    pub suppliers: i64,
    pub supplier_items: i64,
    pub forecasts: ForecastRefresh,
    pub plan: PlanSummary,
}

const SUPPLIERS: [(&str, &str, i32, f64); 6] = [
    ("SUP-GIFT", "Giftware Imports", 21, 4.0),
    ("SUP-HOME", "Home & Kitchen Trading", 14, 3.0),
    ("SUP-PAPER", "Paper Goods Ltd", 10, 2.0),
    ("SUP-LIGHT", "Lights and Lanterns", 18, 4.0),
    ("SUP-TEXT", "Textiles Direct", 14, 2.0),
    ("SUP-TOYS", "Toy Box Wholesale", 12, 3.0),
];

fn supplier_for(sku: &str) -> &'static str {
    let digest = Sha256::digest(sku.as_bytes());
    SUPPLIERS[usize::from(digest[0]) % SUPPLIERS.len()].0
}

/// Case size by unit cost band.
/// The demo's assumed purchase cost: 55% of the median selling price, in pence.
pub fn assumed_unit_cost(median_price: Decimal) -> Decimal {
    (median_price * Decimal::new(55, 2)).round_dp(2)
}

pub fn pack_for(unit_cost: Decimal) -> i64 {
    if unit_cost < Decimal::ONE {
        24
    } else if unit_cost < Decimal::from(5) {
        12
    } else if unit_cost < Decimal::from(20) {
        6
    } else {
        1
    }
}

/// Sets up suppliers, terms and sources, fits forecasts and runs a plan as of the last
/// day with sales. Safe to run again: it refreshes terms, forecasts and proposals.
#[tracing::instrument(skip(pool))]
pub async fn prepare(pool: &PgPool, actor: &str) -> Result<Option<PlanningSetup>> {
    let Some(last_day) = demand::last_sale_day(pool).await? else {
        return Ok(None);
    };
    let suppliers: Vec<Supplier> = SUPPLIERS
        .iter()
        .map(|(code, name, lead, spread)| Supplier {
            code: (*code).into(),
            name: (*name).into(),
            lead_time_days: *lead,
            lead_time_sd_days: *spread,
        })
        .collect();
    settings::upsert_suppliers(pool, &suppliers).await?;

    let prices: Vec<(String, Decimal)> = sqlx::query_as(
        "SELECT p.sku, coalesce(s.median, 0) FROM products p
         LEFT JOIN (SELECT sku, percentile_disc(0.5) WITHIN GROUP (ORDER BY unit_price)
                        AS median
                    FROM (SELECT sku, unit_price FROM movements
                          WHERE kind = 'sale' AND unit_price > 0
                          UNION ALL
                          SELECT sku, unit_price FROM order_lines WHERE unit_price > 0) x
                    GROUP BY sku) s
             ON s.sku = p.sku",
    )
    .fetch_all(pool)
    .await
    .context("reading median selling prices")?;
    let items: Vec<SupplierItem> = prices
        .into_iter()
        .map(|(sku, median)| {
            let unit_cost = assumed_unit_cost(median);
            let pack = pack_for(unit_cost);
            SupplierItem {
                supplier: supplier_for(&sku).into(),
                sku,
                unit_cost,
                min_order_qty: 2 * pack,
                pack_size: pack,
            }
        })
        .collect();
    settings::upsert_supplier_items(pool, &items).await?;
    settings::assign_default_sources(pool, 2).await?;

    let forecasts = demand::refresh(pool, last_day, HISTORY_DAYS).await?;
    let plan = plan::run(pool, actor, end_of_day(last_day)).await?;
    Ok(Some(PlanningSetup {
        suppliers: suppliers.len() as i64,
        supplier_items: items.len() as i64,
        forecasts,
        plan,
    }))
}

/// 23:59:59 London time on `day`.
pub fn end_of_day(day: NaiveDate) -> DateTime<Utc> {
    let next = day + Days::new(1);
    let midnight = next.and_hms_opt(0, 0, 0).unwrap_or_default();
    London
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.to_utc())
        - chrono::Duration::seconds(1)
}
