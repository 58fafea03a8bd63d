//! Valuation on a ledger of a million movements, measured side by side in one run on one
//! durable PostgreSQL (fsync on):
//!
//! 1. loading the ledger through `insert_movements` (every movement valued and posted
//!    in its own transaction's batch);
//! 2. appending one movement after the history (the everyday case);
//! 3. a backdated receipt on one SKU x location, which revalues the legs after it and
//!    posts corrections, and a backdated transfer, which also revalues the destination;
//! 4. the naive alternative: recompute every pool of the ledger from scratch (reading
//!    and re-costing all the legs; writing them back would only add to it);
//! 5. PostgreSQL's floor for any durable change: one single-row update, committed.
//!
//! Run: `cargo bench -p stockroom-engine --bench finance` (FIN_POOLS=1000 for a
//! smaller ledger; each pool gets FIN_LEGS movements).

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use sqlx::PgPool;
use stockroom_engine::catalog::{self, Product};
use stockroom_engine::finance::cost::{pence, PoolState};
use stockroom_engine::ledger::{
    insert_movements, Keyed, MovementKind as K, NewMovement, StockState as S,
};
use stockroom_engine::{network, testkit};

type Error = Box<dyn std::error::Error + Send + Sync>;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn day(d: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).single().unwrap_or_default()
        + chrono::Duration::days(d)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let pools = env("FIN_POOLS", 10_000);
    let legs = env("FIN_LEGS", 100);
    let (_cluster, db) = testkit::durable_database(4).await?;
    let locations: Vec<_> = testkit::bench_network()?.into_iter().take(10).collect();
    network::upsert(&db, &locations).await?;
    let skus: Vec<String> =
        (0..pools.div_ceil(locations.len())).map(|i| format!("F-{i:05}")).collect();
    let products: Vec<Product> = skus
        .iter()
        .map(|s| Product { sku: s.clone(), description: s.clone(), base_unit: "each".into() })
        .collect();
    catalog::upsert(&db, &products).await?;
    let sites: Vec<(String, String)> = skus
        .iter()
        .flat_map(|s| locations.iter().map(move |l| (s.clone(), l.code.clone())))
        .take(pools)
        .collect();

    // 1. Load: day by day, one movement per pool per day (a receipt every fourth day).
    let started = Instant::now();
    let mut loaded = 0usize;
    for d in 0..legs as i64 {
        let batch: Vec<(String, NewMovement)> = sites
            .iter()
            .enumerate()
            .map(|(i, (sku, loc))| {
                let receipt = d % 4 == 0;
                let m = testkit::movement(
                    if receipt { K::Receipt } else { K::Sale },
                    sku,
                    loc,
                    if receipt { (None, Some(S::Available)) } else { (Some(S::Available), None) },
                    if receipt { 40 } else { 1 + (i as i64 + d) % 9 },
                    day(d),
                );
                let cost = Decimal::new(100 + (i as i64 * 7 + d * 13) % 400, 2);
                let m = NewMovement { unit_cost: receipt.then_some(cost), ..m };
                (format!("b:{d}:{i}"), m)
            })
            .collect();
        for chunk in batch.chunks(5_000) {
            let keyed: Vec<Keyed<'_>> = chunk
                .iter()
                .map(|(k, m)| Keyed { movement: m, idempotency_key: k.clone(), event_id: None })
                .collect();
            let mut tx = db.begin().await?;
            insert_movements(&mut tx, "bench", &keyed).await?;
            tx.commit().await?;
            loaded += chunk.len();
        }
    }
    let load = started.elapsed();
    println!(
        "loaded {loaded} movements over {} pools x {legs} days in {:.1} s = {:.0} valued movements/s",
        sites.len(),
        load.as_secs_f64(),
        loaded as f64 / load.as_secs_f64()
    );

    // 2. Appending one sale after the history.
    let mut appends = Vec::new();
    for n in 0..20 {
        let (sku, loc) = &sites[n * 37 % sites.len()];
        let m = testkit::movement(
            K::Sale,
            sku,
            loc,
            (Some(S::Available), None),
            1,
            day(legs as i64 + 1),
        );
        appends.push(write(&db, format!("append:{n}"), m).await?);
    }
    let append = median(appends);

    // 3. Backdated: a receipt before almost all of a pool's history.
    let mut backdated = Vec::new();
    for n in 0..10 {
        let (sku, loc) = &sites[n * 101 % sites.len()];
        let m = NewMovement {
            unit_cost: Some(Decimal::new(999, 2)),
            ..testkit::movement(K::Receipt, sku, loc, (None, Some(S::Available)), 10, day(1))
        };
        backdated.push(write(&db, format!("backdated:{n}"), m).await?);
    }
    let back = median(backdated);
    let corrections: i64 =
        sqlx::query_scalar("SELECT count(*) FROM journal_entries WHERE kind = 'correction'")
            .fetch_one(&db)
            .await?;

    // ... and a backdated transfer, which revalues two pools and the transfer's receipt.
    let (sku, from) = &sites[0];
    let to = &sites[1].1;
    let t = Instant::now();
    let out = testkit::movement(K::TransferOut, sku, from, (Some(S::Available), None), 5, day(2));
    let transit = testkit::movement(K::TransferOut, sku, to, (None, Some(S::InTransit)), 5, day(2));
    let arrive = testkit::movement(
        K::TransferIn,
        sku,
        to,
        (Some(S::InTransit), Some(S::Available)),
        5,
        day(3),
    );
    let keyed = [
        Keyed { movement: &out, idempotency_key: "tr:1:1:out".into(), event_id: None },
        Keyed { movement: &transit, idempotency_key: "tr:1:1:in-transit".into(), event_id: None },
        Keyed { movement: &arrive, idempotency_key: "tr:1:1:in".into(), event_id: None },
    ];
    let mut tx = db.begin().await?;
    insert_movements(&mut tx, "bench", &keyed).await?;
    tx.commit().await?;
    let transfer = t.elapsed();

    // 4. Naive: re-cost the whole ledger from scratch.
    let t = Instant::now();
    let rows: Vec<(String, String, i64, Option<Decimal>)> = sqlx::query_as(
        "SELECT m.sku, m.location, CASE WHEN m.to_state IS NULL THEN -m.quantity ELSE m.quantity END,
                m.unit_cost
         FROM movements m ORDER BY m.sku, m.location, m.event_time, m.idempotency_key",
    )
    .fetch_all(&db)
    .await?;
    let mut state = PoolState::default();
    let mut current: Option<(&str, &str)> = None;
    let mut total = Decimal::ZERO;
    for (sku, loc, units, cost) in &rows {
        if current != Some((sku, loc)) {
            total += state.value;
            state = PoolState::default();
            current = Some((sku, loc));
        }
        let value = match cost {
            Some(c) if *units > 0 => pence(*c * Decimal::from(*units)),
            _ if *units > 0 => pence(state.unit_cost * Decimal::from(*units)),
            _ => -state.out_value(-units),
        };
        state.apply(*units, value);
    }
    total += state.value;
    let naive = t.elapsed();

    // 5. PostgreSQL's floor: one row changed and committed.
    let mut floors = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let mut tx = db.begin().await?;
        sqlx::query("UPDATE cost_pools SET value = value WHERE sku = $1 AND location = $2 AND pool = 'stock'")
            .bind(&sites[0].0)
            .bind(&sites[0].1)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        floors.push(t.elapsed());
    }
    let floor = median(floors);

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("append one movement:             {:>9.2} ms (median of 20)", ms(append));
    println!(
        "backdated receipt (~{legs} later legs revalued, {corrections} corrections in all): {:>9.2} ms (median of 10)",
        ms(back)
    );
    println!("backdated transfer (2 pools + receipt): {:>9.2} ms", ms(transfer));
    println!(
        "naive full re-costing of {} legs: {:>9.0} ms (read + compute only; ledger value {total})",
        rows.len(),
        ms(naive)
    );
    println!("PostgreSQL floor, one row committed: {:>9.2} ms", ms(floor));
    println!(
        "backdated revaluation is {:.0}x faster than naive re-costing and {:.1}x the floor",
        ms(naive) / ms(back),
        ms(back) / ms(floor)
    );
    let diff: Decimal = sqlx::query_scalar(
        "SELECT (SELECT coalesce(sum(value), 0) FROM movement_values)
              - (SELECT coalesce(sum(l.debit - l.credit), 0) FROM journal_lines l
                 JOIN accounts a ON a.code = l.account AND a.is_inventory)",
    )
    .fetch_one(&db)
    .await?;
    println!("stock ledger - GL after it all: {diff}");
    Ok(())
}

async fn write(db: &PgPool, key: String, m: NewMovement) -> Result<Duration, Error> {
    let t = Instant::now();
    let mut tx = db.begin().await?;
    insert_movements(
        &mut tx,
        "bench",
        &[Keyed { movement: &m, idempotency_key: key, event_id: None }],
    )
    .await?;
    tx.commit().await?;
    Ok(t.elapsed())
}
