//! 64 clients x 50 orders of 1-3 units on one hot SKU with 1,000 units, 10% cancelled:
//! nothing is oversold, reserved equals the open order lines, positions equal the ledger.
//! The same load through a naive check-then-update path must oversell, which proves the
//! oversell check below can fail.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::receive;
use rust_decimal::Decimal;
use sqlx::PgPool;
use stockroom_engine::ledger::{position, verify};
use stockroom_engine::orders::reserver::Reserver;
use stockroom_engine::orders::{
    lifecycle, naive, CaptureOutcome, OrderLineRequest, OrderRequest, PartialPolicy,
};
use stockroom_engine::testkit;

const CLIENTS: usize = 64;
const ORDERS_EACH: usize = 50;
const STOCK: i64 = 1_000;

fn hot_order(client: usize, n: usize) -> OrderRequest {
    // 1-3 units, spread deterministically.
    let units = i64::try_from((client * 7 + n * 13) % 3 + 1).unwrap_or(1);
    OrderRequest {
        channel: "WEB".into(),
        external_id: format!("C{client}-{n}"),
        lines: vec![OrderLineRequest {
            sku: "SKU-A".into(),
            quantity: units,
            unit_price: Decimal::new(999, 2),
        }],
        customer: Some((52.0, -1.0)),
        pickup_location: None,
        partial_policy: PartialPolicy::AllOrNothing,
        placed_at: Utc::now(),
        confirmed: true,
        customer_ref: None,
    }
}

/// Units promised to orders (still reserved or shipped) beyond the stock that existed.
async fn oversold_units(pool: &PgPool) -> i64 {
    let promised: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(quantity - released), 0)::bigint FROM allocations
         WHERE sku = 'SKU-A' AND location = 'DC-1'",
    )
    .fetch_one(pool)
    .await
    .expect("sum of allocations");
    (promised - STOCK).max(0)
}

async fn concurrent_pool() -> PgPool {
    let pool = testkit::fresh_database_sized(72).await.expect("database");
    common::seed(&pool).await;
    // Only DC-1 holds the hot SKU, so every order competes for one row.
    receive(&pool, "stock", "SKU-A", "DC-1", STOCK).await;
    pool
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_clients_never_oversell_a_hot_sku() {
    let pool = concurrent_pool().await;
    let reserver = Reserver::spawn(pool.clone(), "test", 2, 256, Duration::from_micros(200));
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let reserver = reserver.clone();
        let pool = pool.clone();
        clients.push(tokio::spawn(async move {
            let (mut reserved, mut rejected, mut cancelled) = (0, 0, 0);
            for n in 0..ORDERS_EACH {
                match reserver.reserve(hot_order(client, n)).await.expect("captured") {
                    CaptureOutcome::Reserved { order_id, .. } => {
                        reserved += 1;
                        if (client + n) % 10 == 0 {
                            lifecycle::cancel(&pool, "test", order_id, "changed mind")
                                .await
                                .expect("cancelled");
                            cancelled += 1;
                        }
                    }
                    CaptureOutcome::Rejected { .. } => rejected += 1,
                    other => panic!("unexpected {other:?}"),
                }
            }
            (reserved, rejected, cancelled)
        }));
    }
    let (mut reserved, mut rejected, mut cancelled) = (0, 0, 0);
    for c in clients {
        let (a, b, d) = c.await.expect("client finished");
        reserved += a;
        rejected += b;
        cancelled += d;
    }
    println!("reserved {reserved}, rejected {rejected}, cancelled {cancelled}");
    assert_eq!(reserved + rejected, CLIENTS * ORDERS_EACH);
    assert!(cancelled > 0 && rejected > 0, "the test must exhaust stock and cancel some");

    assert_eq!(oversold_units(&pool).await, 0, "oversold");
    let open: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(quantity - shipped - released), 0)::bigint FROM allocations",
    )
    .fetch_one(&pool)
    .await
    .expect("open allocations");
    let p = position::one(&pool, "SKU-A", "DC-1").await.expect("read").expect("position");
    assert_eq!(p.reserved, open, "reserved = sum of open order lines");
    assert_eq!(p.available + p.reserved, STOCK, "nothing shipped: on hand unchanged");
    assert!(p.available >= 0);
    let report = verify::run(&pool).await.expect("verify");
    assert!(report.drifts.is_empty(), "positions = ledger: {:?}", report.drifts);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_naive_check_then_update_path_oversells_so_the_check_can_fail() {
    let pool = concurrent_pool().await;
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let pool = pool.clone();
        clients.push(tokio::spawn(async move {
            for n in 0..ORDERS_EACH {
                naive::check_then_reserve(&pool, &hot_order(client, n), "DC-1")
                    .await
                    .expect("naive reservation");
            }
        }));
    }
    for c in clients {
        c.await.expect("client finished");
    }
    let oversold = oversold_units(&pool).await;
    println!("naive path oversold {oversold} units");
    assert!(oversold > 0, "the naive path should oversell under 64 clients");
}
