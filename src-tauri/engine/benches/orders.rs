//! Order orchestration under load, measured side by side in one run on one durable
//! PostgreSQL (fsync on):
//!
//! 1. Hot-SKU reservations per second at 1, 8 and 64 clients: the batching reserver
//!    (each client waiting for its order before placing the next, and each client keeping
//!    8 orders in flight, as a channel connector streaming orders would), capture one
//!    order per transaction, the naive check-then-update path, and pgbench updating one
//!    row per transaction (PostgreSQL's limit for one hot row). Oversold units are
//!    counted after every run.
//! 2. Available-to-promise latency (p50/p99): one SKU across the network, and a
//!    100-line basket.
//! 3. Routing decisions per second over the 124-location network, in memory.
//!
//! Run: `cargo bench -p stockroom-engine --bench orders` (uses ../shared/data/network
//! when present, else a synthetic 124-location network). For profiling:
//! `BENCH_CLIENTS=64` runs one client count, `BENCH_BATCHED_ONLY=1` the two batched runs,
//! `BENCH_STREAMED_ONLY=1` the streamed run alone, `BENCH_IN_FLIGHT=16` changes the
//! orders each streaming client keeps in flight, and `BENCH_WORKERS` / `BENCH_LINGER_US`
//! tune the reserver.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::Utc;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use sqlx::PgPool;
use stockroom_engine::availability::atp::{self, BasketRequest};
use stockroom_engine::availability::Snapshot;
use stockroom_engine::catalog::{self, Product};
use stockroom_engine::cluster::LocalCluster;
use stockroom_engine::intake::{self, Event};
use stockroom_engine::ledger::{MovementKind, NewMovement, StockState};
use stockroom_engine::network::{self, Location, LocationKind};
use stockroom_engine::orders::reserver::Reserver;
use stockroom_engine::orders::sourcing::{self, Demand, SourcingRequest};
use stockroom_engine::orders::{
    self, naive, CaptureOutcome, OrderLineRequest, OrderRequest, PartialPolicy,
};
use stockroom_engine::testkit;

type Error = Box<dyn std::error::Error + Send + Sync>;

const HOT_SKU: &str = "HOT-1";
const HOT_DC: &str = "DC-SOUTH";
const RUN_FOR: Duration = Duration::from_secs(4);
const CLIENTS: [usize; 3] = [1, 8, 64];
/// Orders each client keeps in flight in the streaming run.
const IN_FLIGHT: usize = 8;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let locations = testkit::bench_network()?;
    let skus: Vec<String> = (0..200).map(|i| format!("SKU-{i:04}")).collect();
    println!("hot-SKU reservations per second ({RUN_FOR:?} per run, fsync on):");
    println!(
        "{:>8} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "clients",
        "batched",
        format!("batched x{IN_FLIGHT}"),
        "per-order",
        "naive",
        "pgbench"
    );
    // BENCH_CLIENTS=64 runs one client count only (for profiling).
    let only: Option<usize> = std::env::var("BENCH_CLIENTS").ok().and_then(|v| v.parse().ok());
    for clients in CLIENTS.into_iter().filter(|c| only.is_none_or(|o| o == *c)) {
        // A fresh database per client count: the naive path sums every allocation of
        // the SKU, so rows left by earlier runs would slow it and flatter the others.
        let (cluster, pool) = stocked_database(&locations, &skus).await?;
        if std::env::var_os("BENCH_STREAMED_ONLY").is_some() {
            // For profiling: the streamed run alone, announced when it starts.
            eprintln!("streaming starts");
            let streamed =
                hot_run(&pool, clients, env_or("BENCH_IN_FLIGHT", IN_FLIGHT), Path::Batched)
                    .await?;
            println!("{clients:>8} {:>12} {:>12.0}", "-", streamed.rate);
            continue;
        }
        let naive = hot_run(&pool, clients, 1, Path::Naive).await?;
        let batched = hot_run(&pool, clients, 1, Path::Batched).await?;
        let streamed = hot_run(&pool, clients, IN_FLIGHT, Path::Batched).await?;
        if std::env::var_os("BENCH_BATCHED_ONLY").is_some() {
            println!("{clients:>8} {:>12.0} {:>12.0}", batched.rate, streamed.rate);
            continue;
        }
        let single = hot_run(&pool, clients, 1, Path::PerOrder).await?;
        let pgbench = pgbench(&cluster, &pool, clients).await?;
        println!(
            "{clients:>8} {:>12.0} {:>12.0} {:>12.0} {:>12.0} {:>12.0}   batched/pgbench \
             {:.1}x, streamed/pgbench {:.1}x, batched/naive {:.1}x; oversold units: batched \
             {}, streamed {}, per-order {}",
            batched.rate,
            streamed.rate,
            single.rate,
            naive.rate,
            pgbench,
            batched.rate / pgbench,
            streamed.rate / pgbench,
            batched.rate / naive.rate,
            batched.broken.unwrap_or(-1),
            streamed.broken.unwrap_or(-1),
            single.broken.unwrap_or(-1)
        );
        pool.close().await;
    }

    let (_cluster, pool) = stocked_database(&locations, &skus).await?;
    atp_latency(&pool, &locations, &skus).await?;
    routing_rate(&locations, &skus);
    pool.close().await;
    Ok(())
}

/// A new database on the durable bench cluster with the network, the catalogue and
/// opening stock.
async fn stocked_database(
    locations: &[Location],
    skus: &[String],
) -> Result<(LocalCluster, PgPool), Error> {
    let (cluster, pool) = testkit::durable_database(80).await?;
    network::upsert(&pool, locations).await?;
    let mut products: Vec<Product> = skus
        .iter()
        .map(|s| Product { sku: s.clone(), description: s.clone(), base_unit: "each".into() })
        .collect();
    products.push(Product {
        sku: HOT_SKU.into(),
        description: "hot".into(),
        base_unit: "each".into(),
    });
    catalog::upsert(&pool, &products).await?;
    stock_network(&pool, locations, skus).await?;
    Ok((cluster, pool))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Path {
    Batched,
    PerOrder,
    Naive,
}

struct Run {
    rate: f64,
    /// None for the naive path, which the check does not apply to.
    broken: Option<i64>,
}

/// `clients` clients each place 1-3 unit orders on the hot SKU for RUN_FOR, keeping
/// `in_flight` orders outstanding (1: each waits for its answer before the next);
/// returns reservations per second and whether the ledger still agrees.
async fn hot_run(
    pool: &PgPool,
    clients: usize,
    in_flight: usize,
    path: Path,
) -> Result<Run, Error> {
    let run = format!("{}-{clients}-{in_flight}-{}", path as u8, Utc::now().timestamp_micros());
    let stock = 2_000_000;
    receive(pool, &format!("hot-{run}"), HOT_SKU, HOT_DC, stock).await?;
    // Two workers: one plans and writes the order rows while the other holds the hot
    // position through its commit (BENCH_WORKERS overrides).
    let workers = env_or("BENCH_WORKERS", 2);
    let linger = Duration::from_micros(env_or("BENCH_LINGER_US", 500) as u64);
    let reserver = Reserver::spawn(pool.clone(), "bench", workers, 512, linger);
    let deadline = Instant::now() + RUN_FOR;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients * in_flight {
        let (pool, reserver, run) = (pool.clone(), reserver.clone(), run.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(client as u64);
            let mut reserved = 0u64;
            let mut n = 0;
            while Instant::now() < deadline {
                n += 1;
                let order = hot_order(&format!("{run}-{client}-{n}"), rng.random_range(1..=3));
                let ok = match path {
                    Path::Batched => reserved_ok(reserver.reserve(order).await),
                    Path::PerOrder => reserved_ok(orders::capture(&pool, "bench", &order).await),
                    Path::Naive => {
                        naive::check_then_reserve(&pool, &order, HOT_DC).await.unwrap_or(false)
                    }
                };
                reserved += u64::from(ok);
            }
            reserved
        }));
    }
    let mut reserved = 0;
    for t in tasks {
        reserved += t.await?;
    }
    let rate = reserved as f64 / started.elapsed().as_secs_f64();
    let broken = match path {
        Path::Naive => None,
        _ => Some(invariant_breaks(pool).await?),
    };
    release_all(pool).await?;
    Ok(Run { rate, broken })
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn reserved_ok(outcome: stockroom_engine::Result<CaptureOutcome>) -> bool {
    matches!(outcome, Ok(CaptureOutcome::Reserved { .. }))
}

fn hot_order(id: &str, units: i64) -> OrderRequest {
    OrderRequest {
        channel: "WEB".into(),
        external_id: id.into(),
        lines: vec![OrderLineRequest {
            sku: HOT_SKU.into(),
            quantity: units,
            unit_price: Decimal::new(999, 2),
        }],
        customer: Some((52.2, -0.9)),
        pickup_location: None,
        partial_policy: PartialPolicy::AllOrNothing,
        placed_at: Utc::now(),
        confirmed: true,
        customer_ref: None,
    }
}

/// Units the ledger and the order book disagree on: reserved units not matching the
/// open allocations, plus any availability driven below zero. 0 means nothing was
/// oversold. (The naive path writes allocations beside the ledger, so this check does
/// not apply to it; the concurrency test shows it oversells.)
async fn invariant_breaks(pool: &PgPool) -> Result<i64, Error> {
    let (available, reserved, open): (i64, i64, i64) = sqlx::query_as(
        "SELECT p.available, p.reserved,
                (SELECT coalesce(sum(quantity - shipped - released), 0)::bigint
                 FROM allocations WHERE sku = $1 AND location = $2)
         FROM positions p WHERE sku = $1 AND location = $2",
    )
    .bind(HOT_SKU)
    .bind(HOT_DC)
    .fetch_one(pool)
    .await?;
    Ok((open - reserved).abs() + (-available).max(0))
}

/// Ends a run: the naive path's allocations are closed (it reserved nothing in the
/// ledger), the real paths' reservations are written off, so every run starts from the
/// stock it receives.
async fn release_all(pool: &PgPool) -> Result<(), Error> {
    sqlx::query("UPDATE allocations SET released = quantity - shipped WHERE sku = $1")
        .bind(HOT_SKU)
        .execute(pool)
        .await?;
    let (available, reserved): (i64, i64) = sqlx::query_as(
        "SELECT available, reserved FROM positions WHERE sku = $1 AND location = $2",
    )
    .bind(HOT_SKU)
    .bind(HOT_DC)
    .fetch_one(pool)
    .await?;
    let tag = Utc::now().timestamp_micros();
    let mut moves = Vec::new();
    if reserved > 0 {
        moves.push(movement(
            MovementKind::WriteOff,
            HOT_SKU,
            HOT_DC,
            Some(StockState::Reserved),
            None,
            reserved,
        ));
    }
    if available > 0 {
        moves.push(movement(
            MovementKind::WriteOff,
            HOT_SKU,
            HOT_DC,
            Some(StockState::Available),
            None,
            available,
        ));
    }
    if !moves.is_empty() {
        submit(pool, &format!("reset-{tag}"), moves).await?;
    }
    Ok(())
}

/// pgbench updating one row per transaction from `clients` connections.
async fn pgbench(cluster: &LocalCluster, pool: &PgPool, clients: usize) -> Result<f64, Error> {
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_hot (id int PRIMARY KEY, n bigint NOT NULL)")
        .execute(pool)
        .await?;
    sqlx::query("INSERT INTO bench_hot VALUES (1, 0) ON CONFLICT DO NOTHING").execute(pool).await?;
    let script = std::env::temp_dir().join("stockroom-bench-hot.sql");
    std::fs::write(&script, "UPDATE bench_hot SET n = n + 1 WHERE id = 1;\n")?;
    let options = pool.connect_options();
    let db = options.get_database().unwrap_or("postgres").to_owned();
    let out = tokio::process::Command::new(cluster.binaries().program("pgbench"))
        .arg("-h")
        .arg(cluster.socket_dir())
        .args(["-p", "5432", "-U", options.get_username(), "-n", "-j", "2"])
        .args(["-c", &clients.to_string(), "-T", &RUN_FOR.as_secs().to_string(), "-f"])
        .arg(&script)
        .arg(&db)
        .output()
        .await?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|t| t.split_whitespace().next())
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| {
            format!("pgbench printed no tps: {text} {}", String::from_utf8_lossy(&out.stderr))
                .into()
        })
}

/// p50 and p99 of available-to-promise: one SKU for every channel, and a basket of 100
/// lines with a delivery point.
async fn atp_latency(pool: &PgPool, locations: &[Location], skus: &[String]) -> Result<(), Error> {
    let mut single = Vec::new();
    for i in 0..500 {
        let started = Instant::now();
        atp::for_sku(pool, &skus[i % skus.len()], Utc::now()).await?;
        single.push(started.elapsed());
    }
    let mut basket = Vec::new();
    let customer =
        locations.iter().find(|l| l.kind == LocationKind::Store).map(|l| (l.latitude, l.longitude));
    for i in 0..200 {
        let lines = (0..100)
            .map(|j| OrderLineRequest {
                sku: skus[(i + j) % skus.len()].clone(),
                quantity: 1 + (j as i64 % 3),
                unit_price: Decimal::new(500, 2),
            })
            .collect();
        let req = BasketRequest {
            channel: "WEB".into(),
            lines,
            customer,
            pickup_location: None,
            partial_policy: PartialPolicy::ReserveAvailable,
        };
        let started = Instant::now();
        atp::basket(pool, &req, Utc::now()).await?;
        basket.push(started.elapsed());
    }
    println!(
        "available-to-promise over {} locations: one SKU p50 {:.2} ms p99 {:.2} ms; \
         100-line basket p50 {:.2} ms p99 {:.2} ms",
        locations.len(),
        percentile(&mut single, 50.0),
        percentile(&mut single, 99.0),
        percentile(&mut basket, 50.0),
        percentile(&mut basket, 99.0)
    );
    Ok(())
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let i = ((p / 100.0) * (samples.len() - 1) as f64).round() as usize;
    samples[i].as_secs_f64() * 1000.0
}

/// Routing decisions per second, in memory: orders of 1-5 lines over the network with
/// stock spread as in the database.
fn routing_rate(locations: &[Location], skus: &[String]) {
    let policy = stockroom_engine::orders::SourcingPolicy {
        version: 1,
        split_min_value: Decimal::new(4000, 2),
        parcel_cost: Decimal::new(32, 1),
        cost_per_km: Decimal::new(15, 3),
        handling_dc: Decimal::new(6, 1),
        handling_dark: Decimal::new(9, 1),
        handling_store: Decimal::new(18, 1),
        late_day_penalty: Decimal::new(4, 0),
        hold_minutes: 30,
        min_pick_accuracy: Decimal::new(95, 2),
    };
    let mut snapshot = Snapshot::new(locations.to_vec(), Vec::new());
    for (i, loc) in locations.iter().enumerate() {
        for (j, sku) in skus.iter().enumerate() {
            snapshot.set_stock(sku, &loc.code, stock_level(loc, i, j), 0);
        }
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let none = HashSet::new();
    let stores: Vec<&Location> =
        locations.iter().filter(|l| l.kind == LocationKind::Store).collect();
    let n = 20_000;
    let started = Instant::now();
    let mut splits = 0;
    for _ in 0..n {
        let lines = rng.random_range(1..=5);
        let demand: Vec<Demand> = (0..lines)
            .map(|_| Demand {
                sku: skus[rng.random_range(0..skus.len())].clone(),
                quantity: rng.random_range(1..=4),
            })
            .collect();
        let home = stores[rng.random_range(0..stores.len())];
        let req = SourcingRequest {
            channel: "WEB",
            demand: &demand,
            order_value: Decimal::new(6000, 2),
            customer: Some((home.latitude + 0.02, home.longitude - 0.02)),
            pickup: None,
            partial_policy: PartialPolicy::ReserveAvailable,
            now: Utc::now(),
            exclude: &none,
        };
        let plan = sourcing::plan(&req, &snapshot, &policy);
        splits += usize::from(plan.shipments() > 1);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "routing over {} locations: {n} orders of 1-5 lines in {secs:.2} s = {:.0} orders/s \
         ({:.1}% split)",
        locations.len(),
        n as f64 / secs,
        splits as f64 * 100.0 / n as f64
    );
}

/// DCs hold every SKU; each store a third of them, a few units deep.
fn stock_level(loc: &Location, i: usize, j: usize) -> i64 {
    match loc.kind {
        LocationKind::DistributionCentre => 500,
        LocationKind::DarkStore => 40,
        LocationKind::Store if (i + j).is_multiple_of(3) => 6,
        _ => 0,
    }
}

async fn stock_network(
    pool: &PgPool,
    locations: &[Location],
    skus: &[String],
) -> Result<(), Error> {
    for (i, loc) in locations.iter().enumerate() {
        let moves: Vec<NewMovement> = skus
            .iter()
            .enumerate()
            .map(|(j, sku)| (sku, stock_level(loc, i, j)))
            .filter(|(_, units)| *units > 0)
            .map(|(sku, units)| {
                movement(
                    MovementKind::Opening,
                    sku,
                    &loc.code,
                    None,
                    Some(StockState::Available),
                    units,
                )
            })
            .collect();
        if !moves.is_empty() {
            submit(pool, &format!("opening-{}", loc.code), moves).await?;
        }
    }
    Ok(())
}

async fn receive(
    pool: &PgPool,
    id: &str,
    sku: &str,
    location: &str,
    units: i64,
) -> Result<(), Error> {
    let m =
        movement(MovementKind::Receipt, sku, location, None, Some(StockState::Available), units);
    submit(pool, id, vec![m]).await
}

async fn submit(pool: &PgPool, id: &str, movements: Vec<NewMovement>) -> Result<(), Error> {
    let event = Event {
        source: "bench".into(),
        external_id: id.into(),
        payload: serde_json::json!({ "id": id }),
        movements,
    };
    intake::submit(pool, "bench", &event).await?;
    Ok(())
}

fn movement(
    kind: MovementKind,
    sku: &str,
    location: &str,
    from: Option<StockState>,
    to: Option<StockState>,
    quantity: i64,
) -> NewMovement {
    testkit::movement(kind, sku, location, (from, to), quantity, Utc::now())
}
