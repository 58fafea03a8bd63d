//! Planning at scale: 30,000 SKUs x the 124-location network (synthetic demand and
//! stock), measured side by side in one run on one PostgreSQL:
//!
//! 1. the set-based planning run (`replenishment::plan::run`);
//! 2. the naive path, one round of queries per SKU x location (read the forecasts, the
//!    position and the terms, decide in Rust, write the proposal), timed on a sample
//!    and extrapolated to every row;
//! 3. PostgreSQL's floor: one statement that reads and joins the same input rows and
//!    writes them out, with no arithmetic.
//!
//! Run: `cargo bench -p stockroom-engine --bench planning` (PLAN_SKUS=3000 for a
//! smaller run).

use std::time::Instant;

use chrono::Utc;
use sqlx::PgPool;
use stockroom_engine::network;
use stockroom_engine::replenishment::plan;
use stockroom_engine::replenishment::policy::{self, DemandRow, Timing};
use stockroom_engine::replenishment::settings;
use stockroom_engine::testkit;

type Error = Box<dyn std::error::Error + Send + Sync>;

const NAIVE_SAMPLE: usize = 2_000;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let skus: i64 = std::env::var("PLAN_SKUS").ok().and_then(|v| v.parse().ok()).unwrap_or(30_000);
    let (_cluster, pool) = testkit::durable_database(4).await?;
    let locations = testkit::bench_network()?;
    network::upsert(&pool, &locations).await?;

    let started = Instant::now();
    seed(&pool, skus).await?;
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM demand_forecasts").fetch_one(&pool).await?;
    println!(
        "seeded {skus} SKUs x {} locations: {rows} forecasts, positions and terms in {:.1} s",
        locations.len(),
        started.elapsed().as_secs_f64()
    );

    // 1. The real plan (twice: the second run supersedes the first, as in daily use).
    let mut best = f64::MAX;
    for round in 1..=2 {
        let t = Instant::now();
        let s = plan::run(&pool, "bench", Utc::now()).await?;
        let secs = t.elapsed().as_secs_f64();
        best = best.min(secs);
        println!(
            "plan run {round}: {} SKU x location rows -> {} purchases, {} transfers, \
             {} rebalances in {secs:.1} s",
            s.planned_rows, s.purchases, s.transfers, s.rebalances
        );
    }

    // 2. Naive: per row, on a sample.
    let naive_per_row = naive(&pool, NAIVE_SAMPLE).await?;
    let naive_total = naive_per_row * rows as f64;

    // 3. PostgreSQL's floor: read and join every input row once.
    let floor = floor(&pool).await?;

    println!("set-based plan:        {best:>8.1} s  ({:.0} rows/s)", rows as f64 / best);
    println!(
        "naive, per row:        {naive_total:>8.1} s  (extrapolated from {NAIVE_SAMPLE} rows \
         at {:.2} ms each)",
        naive_per_row * 1000.0
    );
    println!("PostgreSQL floor:      {floor:>8.1} s  (join and write the {rows} input rows)");
    println!(
        "set-based is {:.0}x faster than naive and {:.1}x the floor; goal <= 30 s: {}",
        naive_total / best,
        best / floor,
        if best <= 30.0 { "met" } else { "NOT met" }
    );
    Ok(())
}

/// Suppliers, terms, sources, forecasts for every SKU at every planned location, and
/// opening stock so that about a third of the rows need replenishing.
async fn seed(pool: &PgPool, skus: i64) -> Result<(), Error> {
    let statements = [
        "INSERT INTO products (sku, description)
         SELECT 'P-' || lpad(i::text, 6, '0'), 'bench item ' || i FROM generate_series(1, $1) i",
        "INSERT INTO suppliers (code, name, lead_time_days, lead_time_sd_days)
         SELECT 'SUP-' || i, 'Supplier ' || i, 7 + i, (i % 4)::float8
         FROM generate_series(1, 10) i",
        "INSERT INTO supplier_items (sku, supplier, unit_cost, min_order_qty, pack_size)
         SELECT 'P-' || lpad(i::text, 6, '0'), 'SUP-' || (1 + i % 10), 1 + (i % 50),
             (ARRAY[1, 6, 12, 24])[1 + i % 4] * 2, (ARRAY[1, 6, 12, 24])[1 + i % 4]
         FROM generate_series(1, $1) i",
    ];
    for sql in statements {
        let q = sqlx::query(sql);
        let q = if sql.contains("$1") { q.bind(skus) } else { q };
        q.execute(pool).await?;
    }
    settings::assign_default_sources(pool, 2).await?;
    sqlx::query(
        "INSERT INTO demand_forecasts (sku, location, method, daily_mean, daily_sd, history_days)
         SELECT p.sku, s.location, 'bench', m.mu, m.mu * 0.6 + 0.1, 84
         FROM products p CROSS JOIN replenishment_sources s
         CROSS JOIN LATERAL (SELECT (abs(hashtext(p.sku || s.location)) % 400) / 100.0 AS mu) m",
    )
    .execute(pool)
    .await?;
    // Opening stock in slices: each slice is one statement through the ledger trigger.
    let slice = 2_000;
    let mut from = 1;
    while from <= skus {
        sqlx::query(
            "INSERT INTO movements (idempotency_key, kind, sku, location, to_state, quantity,
                 actor, event_time)
             SELECT 'open:' || f.sku || ':' || f.location, 'opening', f.sku, f.location,
                 'available', 1 + abs(hashtext(f.location || f.sku)) % 60, 'bench', now()
             FROM demand_forecasts f
             WHERE f.sku BETWEEN 'P-' || lpad($1::text, 6, '0') AND 'P-' || lpad($2::text, 6, '0')",
        )
        .bind(from)
        .bind((from + slice - 1).min(skus))
        .execute(pool)
        .await?;
        from += slice;
    }
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(())
}

/// Seconds per SKU x location on the naive path.
async fn naive(pool: &PgPool, sample: usize) -> Result<f64, Error> {
    let keys: Vec<(String, String)> =
        sqlx::query_as("SELECT sku, location FROM demand_forecasts ORDER BY random() LIMIT $1")
            .bind(sample as i64)
            .fetch_all(pool)
            .await?;
    let z = policy::service_factor(0.95);
    sqlx::query("CREATE TABLE IF NOT EXISTS naive_proposals (sku text, location text, qty bigint)")
        .execute(pool)
        .await?;
    let started = Instant::now();
    for (sku, location) in &keys {
        let rows: Vec<(f64, f64)> = sqlx::query_as(
            "SELECT f.daily_mean, f.daily_sd FROM demand_forecasts f
             JOIN replenishment_sources s ON s.location = f.location
             WHERE f.sku = $1 AND (f.location = $2 OR s.source_location = $2)",
        )
        .bind(sku)
        .bind(location)
        .fetch_all(pool)
        .await?;
        let position: Option<i64> = sqlx::query_scalar(
            "SELECT available + in_transit + inbound FROM positions
             WHERE sku = $1 AND location = $2",
        )
        .bind(sku)
        .bind(location)
        .fetch_optional(pool)
        .await?;
        let terms: (i32, f64, i64, i64) = sqlx::query_as(
            "SELECT coalesce(CASE WHEN rs.source_location IS NULL THEN su.lead_time_days
                                  ELSE rs.transfer_lead_days END, 2),
                 CASE WHEN rs.source_location IS NULL THEN su.lead_time_sd_days ELSE 0 END,
                 si.min_order_qty, si.pack_size
             FROM supplier_items si JOIN suppliers su ON su.code = si.supplier
             JOIN replenishment_sources rs ON rs.location = $2 WHERE si.sku = $1",
        )
        .bind(sku)
        .bind(location)
        .fetch_one(pool)
        .await?;
        let demand: Vec<DemandRow> =
            rows.iter().map(|&(daily_mean, daily_sd)| DemandRow { daily_mean, daily_sd }).collect();
        let timing =
            Timing { lead_days: f64::from(terms.0), lead_sd_days: terms.1, review_days: 7.0 };
        let levels = policy::levels(&demand, timing, z);
        let qty = policy::order_quantity(position.unwrap_or(0), levels, terms.2, terms.3);
        if qty > 0 {
            sqlx::query("INSERT INTO naive_proposals VALUES ($1, $2, $3)")
                .bind(sku)
                .bind(location)
                .bind(qty)
                .execute(pool)
                .await?;
        }
    }
    Ok(started.elapsed().as_secs_f64() / keys.len().max(1) as f64)
}

/// One statement that reads and joins every input row the plan reads (forecasts, sources,
/// terms, positions) and writes them to a table: what any set-based plan must at least do.
async fn floor(pool: &PgPool) -> Result<f64, Error> {
    let started = Instant::now();
    sqlx::query(
        "CREATE TABLE floor_rows AS
         SELECT f.sku, f.location, f.daily_mean, f.daily_sd, s.source_location, si.supplier,
             si.min_order_qty, si.pack_size, coalesce(p.available, 0) AS available,
             coalesce(p.in_transit, 0) AS in_transit, coalesce(p.inbound, 0) AS inbound
         FROM demand_forecasts f
         JOIN replenishment_sources s ON s.location = f.location
         LEFT JOIN supplier_items si ON si.sku = f.sku
         LEFT JOIN positions p ON p.sku = f.sku AND p.location = f.location",
    )
    .execute(pool)
    .await?;
    Ok(started.elapsed().as_secs_f64())
}
