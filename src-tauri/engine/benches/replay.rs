//! Replay throughput: the UCI Online Retail invoices 2010-12-01..2011-09-30 through
//! intake and the ledger, in lines per second, measured side by side in one run with
//! the naive path (one transaction per invoice) and PostgreSQL's own floor (the same
//! movement rows inserted in one statement into a copy of the table with no triggers).
//!
//! Run: `cargo bench -p stockroom-engine --bench replay` (needs ../shared/data).

use std::path::PathBuf;
use std::time::Instant;

use stockroom_engine::replay::{self, Batching, ReplayMode, ReplayOptions};
use stockroom_engine::testkit;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if !data.join("online-retail").is_dir() {
        eprintln!("SKIPPED: ../shared/data not found; the replay benchmark needs it");
        return Ok(());
    }
    let options = |from: &str, to: &str| -> Result<ReplayOptions, Box<dyn std::error::Error>> {
        Ok(ReplayOptions {
            data_dir: data.clone(),
            from: replay::parse_day(from)?,
            to: replay::parse_day(to)?,
            actor: "bench".into(),
            mode: ReplayMode::Direct,
        })
    };

    // 1. The full replay, directly and through order orchestration.
    for mode in [ReplayMode::Direct, ReplayMode::Orders] {
        let pool = testkit::fresh_database().await?;
        let full = options(replay::FIRST_DAY, replay::LAST_DAY)?;
        let full = replay::load_demo(&pool, &ReplayOptions { mode, ..full }, |_| {}).await?;
        let full_rate = full.lines_read as f64 / (full.elapsed_ms as f64 / 1000.0);
        println!(
            "full replay {}..{} ({mode:?}): {} lines in {:.1} s = {:.0} lines/s \
             (incl. reading and planning)",
            full.from,
            full.to,
            full.lines_read,
            full.elapsed_ms as f64 / 1000.0,
            full_rate
        );
        if let Some(f) = &full.fulfilment {
            println!(
                "  {} orders: fill rate {:.2}%, split rate {:.2}%, {:.1} km per parcel, \
                 {} per order",
                f.orders,
                f.fill_rate * 100.0,
                f.split_rate * 100.0,
                f.average_distance_km,
                f.cost_per_order
            );
        }
    }

    // 2. One month, batched vs naive, each on a fresh database.
    let month = options("2011-03-01", "2011-03-31")?;
    let mut rates = Vec::new();
    for batching in [Batching::PerDay, Batching::PerInvoice] {
        let pool = testkit::fresh_database().await?;
        let prior = options(replay::FIRST_DAY, "2011-02-28")?;
        replay::load_demo(&pool, &prior, |_| {}).await?;
        let started = Instant::now();
        let s = replay::run_with(&pool, &month, batching, |_| {}).await?;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "march {batching:?}: {} lines, {} movements-lines in {secs:.2} s = {:.0} lines/s",
            s.lines_read,
            s.lines_applied,
            s.lines_read as f64 / secs
        );
        rates.push((s.lines_applied, s.lines_read as f64 / secs, pool));
    }

    // 3. PostgreSQL's floor: the same month's movement rows copied in one INSERT into a
    //    trigger-less, index-light copy of the ledger table.
    let (applied, _, pool) = &rates[0];
    sqlx::query("CREATE TABLE floor_movements (LIKE movements INCLUDING DEFAULTS)")
        .execute(pool)
        .await?;
    let started = Instant::now();
    let copied = sqlx::query(
        "INSERT INTO floor_movements (id, idempotency_key, event_id, kind, sku, location,
             from_state, to_state, quantity, channel, unit_price, reason, reference, actor,
             event_time, recorded_at)
         SELECT id, idempotency_key || ':copy', event_id, kind, sku, location, from_state,
             to_state, quantity, channel, unit_price, reason, reference, actor, event_time,
             recorded_at
         FROM movements WHERE event_time >= '2011-03-01' AND event_time < '2011-04-01'
             AND kind IN ('sale', 'return', 'write_off', 'adjustment')",
    )
    .execute(pool)
    .await?
    .rows_affected();
    let floor_secs = started.elapsed().as_secs_f64();
    let floor_rate = copied as f64 / floor_secs;
    println!(
        "postgres floor: {copied} rows (march has {applied} stock lines) \
         in {floor_secs:.3} s = {floor_rate:.0} rows/s"
    );

    let (batched, naive) = (rates[0].1, rates[1].1);
    println!(
        "ratios: batched/naive = {:.1}x; batched/postgres-floor = {:.2}",
        batched / naive,
        batched / (copied as f64 / floor_secs)
    );
    Ok(())
}
