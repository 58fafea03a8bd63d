//! Replenishment stories against a real PostgreSQL: planning, approval, purchase orders,
//! transfers and receipts, with quantities checked in every state after each step.

mod common;

use chrono::{DateTime, Utc};
use common::{at, receive};
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use sqlx::PgPool;
use stockroom_engine::catalog::{self, Product};
use stockroom_engine::ledger::{self, position, verify};
use stockroom_engine::network::{self, Location, LocationKind};
use stockroom_engine::receiving::ReceiptLine;
use stockroom_engine::replenishment::plan;
use stockroom_engine::replenishment::policy::{self, DemandRow, Timing};
use stockroom_engine::replenishment::proposals::{
    self, Approval, Proposal, ProposalFilter, ProposalKind,
};
use stockroom_engine::replenishment::settings::{self, PolicyChange, Supplier, SupplierItem};
use stockroom_engine::{purchasing, transfers};

const SERVICE: f64 = 0.95;
const REVIEW: i32 = 5;
const LEAD: i32 = 5;

fn site(code: &str, kind: LocationKind, lat: f64, lon: f64) -> Location {
    Location {
        code: code.into(),
        kind,
        name: format!("{code} site"),
        town: "Testtown".into(),
        latitude: lat,
        longitude: lon,
        town_population: 1000,
        ships_orders: true,
        offers_pickup: kind == LocationKind::Store,
        daily_pick_capacity: 50,
        carrier_cutoff_local: None,
    }
}

/// A DC, three stores near it (ST-3 20 km from ST-1) and a far DC; one supplier.
async fn network_db(skus: &[&str]) -> PgPool {
    let pool = common::db().await;
    network::upsert(
        &pool,
        &[
            site("DC-1", LocationKind::DistributionCentre, 52.0, -1.0),
            site("DC-2", LocationKind::DistributionCentre, 55.0, -3.0),
            site("ST-1", LocationKind::Store, 52.1, -1.1),
            site("ST-2", LocationKind::Store, 52.2, -1.0),
            site("ST-3", LocationKind::Store, 52.28, -1.1),
            site("HUB", LocationKind::ReturnsHub, 52.0, -0.5),
        ],
    )
    .await
    .expect("network");
    let products: Vec<Product> = skus
        .iter()
        .map(|s| Product {
            sku: (*s).into(),
            description: format!("{s} thing"),
            base_unit: "each".into(),
        })
        .collect();
    catalog::upsert(&pool, &products).await.expect("products");
    settings::upsert_suppliers(
        &pool,
        &[Supplier {
            code: "SUP".into(),
            name: "Supplier".into(),
            lead_time_days: LEAD,
            lead_time_sd_days: 0.0,
        }],
    )
    .await
    .expect("supplier");
    let items: Vec<SupplierItem> = skus
        .iter()
        .map(|s| SupplierItem {
            sku: (*s).into(),
            supplier: "SUP".into(),
            unit_cost: Decimal::new(250, 2),
            min_order_qty: 1,
            pack_size: 1,
        })
        .collect();
    settings::upsert_supplier_items(&pool, &items).await.expect("supplier items");
    settings::assign_default_sources(&pool, 2).await.expect("sources");
    settings::change_policy(
        &pool,
        "planner",
        &PolicyChange {
            service_level: SERVICE,
            review_days: REVIEW,
            rebalance_max_km: 40.0,
            note: "test".into(),
        },
        at(1),
    )
    .await
    .expect("policy");
    pool
}

async fn forecast(pool: &PgPool, sku: &str, location: &str, mean: f64, sd: f64) {
    sqlx::query(
        "INSERT INTO demand_forecasts (sku, location, method, daily_mean, daily_sd, history_days)
         VALUES ($1, $2, 'test', $3, $4, 0)
         ON CONFLICT (sku, location) DO UPDATE SET daily_mean = $3, daily_sd = $4",
    )
    .bind(sku)
    .bind(location)
    .bind(mean)
    .bind(sd)
    .execute(pool)
    .await
    .expect("forecast");
}

async fn open_proposals(pool: &PgPool) -> Vec<Proposal> {
    proposals::list(pool, &ProposalFilter::default()).await.expect("proposals")
}

async fn state(pool: &PgPool, sku: &str, location: &str) -> (i64, i64, i64, i64) {
    match position::one(pool, sku, location).await.expect("position") {
        Some(p) => (p.available, p.in_transit, p.inbound, p.damaged),
        None => (0, 0, 0, 0),
    }
}

fn now() -> DateTime<Utc> {
    at(2)
}

#[tokio::test]
async fn safety_stock_applies_once_to_the_demand_rows_of_a_dc() {
    let pool = network_db(&["SKU-A"]).await;
    // 250 units of the DC's own demand and 1,000 of a store's over the 10-day protection
    // period; the store's spread is worth 100 units of safety stock.
    let z = policy::service_factor(SERVICE);
    let store_sd = 99.5 / (z * f64::from(LEAD + REVIEW).sqrt());
    forecast(&pool, "SKU-A", "DC-1", 25.0, 0.0).await;
    forecast(&pool, "SKU-A", "ST-1", 100.0, store_sd).await;

    plan::run(&pool, "planner", now()).await.expect("plan");

    let purchase: Vec<Proposal> = open_proposals(&pool)
        .await
        .into_iter()
        .filter(|p| p.kind == ProposalKind::Purchase)
        .collect();
    assert_eq!(purchase.len(), 1, "{purchase:?}");
    assert_eq!(purchase[0].location, "DC-1");
    assert_eq!(purchase[0].safety_stock, 100);
    assert_eq!(purchase[0].quantity, 1_350, "not 1,450: safety stock is netted once");
}

#[tokio::test]
async fn an_approved_purchase_becomes_a_po_whose_partial_receipt_moves_exactly_what_came() {
    let pool = network_db(&["SKU-A"]).await;
    forecast(&pool, "SKU-A", "DC-1", 10.0, 0.0).await;
    plan::run(&pool, "planner", now()).await.expect("plan");
    let proposal = open_proposals(&pool).await.remove(0);

    let done = proposals::approve(
        &pool,
        "alice",
        &[Approval { id: proposal.id, quantity: Some(100) }],
        Some("rounded"),
        now(),
    )
    .await
    .expect("approve");
    assert_eq!(done.decided, vec![proposal.id]);
    let po = done.purchase_orders[0];
    assert_eq!(state(&pool, "SKU-A", "DC-1").await, (0, 0, 100, 0));
    let decided = proposals::list(
        &pool,
        &ProposalFilter { status: Some(proposals::ProposalStatus::Approved), ..Default::default() },
    )
    .await
    .expect("approved list");
    assert_eq!(decided[0].decided_by.as_deref(), Some("alice"));
    assert_eq!(decided[0].approved_quantity, Some(100));
    assert_eq!(decided[0].purchase_order_id, Some(po));

    let line = |accepted, rejected| vec![ReceiptLine { line_no: 1, accepted, rejected }];
    let first = purchasing::receive(&pool, "dock", po, "GRN-1", &line(30, 0), now())
        .await
        .expect("receipt");
    assert_eq!((first.accepted, first.still_open), (30, 70));
    assert_eq!(state(&pool, "SKU-A", "DC-1").await, (30, 0, 70, 0));

    let again =
        purchasing::receive(&pool, "dock", po, "GRN-1", &line(30, 0), now()).await.expect("repeat");
    assert!(again.repeated, "the same receiving note twice is a no-op");
    assert_eq!(state(&pool, "SKU-A", "DC-1").await, (30, 0, 70, 0));
    let changed = purchasing::receive(&pool, "dock", po, "GRN-1", &line(31, 0), now())
        .await
        .expect_err("the same note with other quantities is refused");
    assert!(
        changed.user_message().contains("receiving note GRN-1 was already recorded for PO 1"),
        "{}",
        changed.user_message()
    );

    let over = purchasing::receive(&pool, "dock", po, "GRN-2", &line(71, 0), now())
        .await
        .expect_err("more than is open");
    assert!(
        over.to_string().contains("PO 1 line 1 (SKU-A): accepted + rejected = 71 but only 70 open"),
        "{over}"
    );
    assert_eq!(state(&pool, "SKU-A", "DC-1").await, (30, 0, 70, 0), "nothing half-applied");

    purchasing::receive(&pool, "dock", po, "GRN-3", &line(65, 5), now()).await.expect("rest");
    assert_eq!(state(&pool, "SKU-A", "DC-1").await, (95, 0, 0, 0));
    let po_row = purchasing::list(&pool, false, now()).await.expect("pos").remove(0);
    assert_eq!((po_row.received, po_row.rejected, po_row.open), (95, 5, 0));
    assert_eq!(verify::run(&pool).await.expect("verify").drifts.len(), 0);
}

#[tokio::test]
async fn ten_shipped_seven_accepted_three_rejected_leaves_nothing_in_transit() {
    let pool = network_db(&["SKU-A"]).await;
    receive(&pool, "r1", "SKU-A", "DC-1", 40).await;
    let lines =
        [transfers::TransferLineRequest { sku: "SKU-A".into(), quantity: 10, proposal_id: None }];
    let id = transfers::ship_now(&pool, "planner", "DC-1", "ST-1", &lines, 2, at(2))
        .await
        .expect("ship");
    assert_eq!(state(&pool, "SKU-A", "DC-1").await, (30, 0, 0, 0));
    assert_eq!(state(&pool, "SKU-A", "ST-1").await, (0, 10, 0, 0));

    let late = transfers::list(&pool, true, at(5)).await.expect("transfers");
    assert!(late[0].late && late[0].in_transit == 10, "expected on day 4, still open on day 5");

    let receipt = [ReceiptLine { line_no: 1, accepted: 7, rejected: 3 }];
    let done =
        transfers::receive(&pool, "store", id, "GRN-9", &receipt, at(3)).await.expect("receive");
    assert_eq!((done.accepted, done.rejected, done.still_open), (7, 3, 0));
    assert_eq!(state(&pool, "SKU-A", "ST-1").await, (7, 0, 0, 3), "10 accounted for");
    assert!(transfers::list(&pool, true, at(5)).await.expect("open").is_empty());
}

#[tokio::test]
async fn a_transfer_the_source_cannot_cover_is_refused_whole() {
    let pool = network_db(&["SKU-A", "SKU-B"]).await;
    receive(&pool, "r1", "SKU-A", "DC-1", 40).await;
    receive(&pool, "r2", "SKU-B", "DC-1", 2).await;
    let lines = [
        transfers::TransferLineRequest { sku: "SKU-A".into(), quantity: 10, proposal_id: None },
        transfers::TransferLineRequest { sku: "SKU-B".into(), quantity: 5, proposal_id: None },
    ];
    let err = transfers::ship_now(&pool, "planner", "DC-1", "ST-1", &lines, 2, at(2))
        .await
        .expect_err("SKU-B has only 2");
    assert!(
        err.user_message().contains("SKU-B at DC-1 has 2 available; 5 requested"),
        "{}",
        err.user_message()
    );
    assert_eq!(state(&pool, "SKU-A", "DC-1").await, (40, 0, 0, 0));
    assert_eq!(state(&pool, "SKU-A", "ST-1").await, (0, 0, 0, 0));
}

#[tokio::test]
async fn stores_share_their_dc_most_urgent_first_and_the_rest_is_rebalanced_between_stores() {
    let pool = network_db(&["SKU-A"]).await;
    receive(&pool, "dc", "SKU-A", "DC-1", 10).await;
    receive(&pool, "st1", "SKU-A", "ST-1", 1).await;
    receive(&pool, "st2", "SKU-A", "ST-2", 4).await;
    receive(&pool, "st3", "SKU-A", "ST-3", 30).await;
    // ST-1 and ST-2 sell 2 a day: order-up-to (2 + 5 days) x 2 = 14. ST-3 sells nothing.
    forecast(&pool, "SKU-A", "ST-1", 2.0, 0.0).await;
    forecast(&pool, "SKU-A", "ST-2", 2.0, 0.0).await;

    let summary = plan::run(&pool, "planner", now()).await.expect("plan");
    let all = open_proposals(&pool).await;
    let transfer = |to: &str, from: &str| {
        all.iter()
            .filter(|p| p.location == to && p.source_location.as_deref() == Some(from))
            .map(|p| p.quantity)
            .sum::<i64>()
    };
    // ST-1 (1 unit, critical) needs 13 and gets all 10 DC units; ST-2 (4 units) needs 10.
    assert_eq!(transfer("ST-1", "DC-1"), 10);
    assert_eq!(transfer("ST-2", "DC-1"), 0, "the DC had nothing left for ST-2");
    assert_eq!(transfer("ST-1", "ST-3"), 3, "ST-3 covers the rest of ST-1's need");
    assert_eq!(transfer("ST-2", "ST-3"), 10);
    assert_eq!(summary.rebalances, 2);
    assert!(all.iter().all(|p| p.source_location.as_deref() != Some("DC-2")));

    // Approving everything ships it all; positions still equal the ledger.
    let ids: Vec<Approval> = all.iter().map(|p| Approval { id: p.id, quantity: None }).collect();
    let done = proposals::approve(&pool, "planner", &ids, None, now()).await.expect("approve");
    assert!(done.failed.is_empty(), "{:?}", done.failed);
    assert_eq!(state(&pool, "SKU-A", "ST-3").await, (17, 0, 0, 0));
    assert_eq!(state(&pool, "SKU-A", "ST-1").await, (1, 13, 0, 0));
    assert_eq!(verify::run(&pool).await.expect("verify").drifts.len(), 0);
}

#[tokio::test]
async fn one_proposal_that_can_no_longer_ship_fails_alone_and_decisions_are_recorded_once() {
    let pool = network_db(&["SKU-A", "SKU-B"]).await;
    receive(&pool, "a", "SKU-A", "DC-1", 20).await;
    receive(&pool, "b", "SKU-B", "DC-1", 20).await;
    forecast(&pool, "SKU-A", "ST-1", 1.0, 0.0).await;
    forecast(&pool, "SKU-B", "ST-1", 1.0, 0.0).await;
    plan::run(&pool, "planner", now()).await.expect("plan");
    let all = open_proposals(&pool).await;
    assert_eq!(all.len(), 2);

    // Meanwhile a till sells all of SKU-B at the DC.
    let sale = ledger::NewMovement {
        event_time: at(2),
        ..common::movement(
            ledger::MovementKind::Sale,
            "SKU-B",
            "DC-1",
            Some(ledger::StockState::Available),
            None,
            20,
        )
    };
    common::submit(&pool, "till", vec![sale]).await.expect("sale");

    let ids: Vec<Approval> = all.iter().map(|p| Approval { id: p.id, quantity: None }).collect();
    let done = proposals::approve(&pool, "planner", &ids, None, now()).await.expect("approve");
    let b = all.iter().find(|p| p.sku == "SKU-B").expect("B proposal");
    assert_eq!(done.decided.len(), 1);
    assert_eq!(done.failed.len(), 1);
    assert_eq!(done.failed[0].id, b.id);
    assert!(done.failed[0].reason.contains("SKU-B at DC-1 has 0 available"), "{:?}", done.failed);
    assert_eq!(state(&pool, "SKU-A", "ST-1").await.1, 7, "SKU-A shipped");

    let again = proposals::approve(&pool, "planner", &ids[..1], None, now()).await.expect("again");
    assert!(again.decided.is_empty() && again.failed[0].reason.contains("already approved"));
    let no_reason = proposals::reject(&pool, "planner", &[b.id], " ", now()).await;
    assert!(no_reason.is_err(), "a rejection needs a reason");
    let rejected = proposals::reject(&pool, "planner", &[b.id], "stock sold at the till", now())
        .await
        .expect("reject");
    assert_eq!(rejected.decided, vec![b.id]);
}

/// The set-based plan in the database and the arithmetic in `policy.rs` agree for random
/// demand, spreads, lead times, positions, minimum orders and pack sizes.
#[tokio::test]
async fn the_database_plan_agrees_with_the_reference_arithmetic() {
    const N: usize = 150;
    let names: Vec<String> = (0..N).map(|i| format!("R-{i:03}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let pool = network_db(&refs).await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut expected = Vec::new();
    for (i, sku) in names.iter().enumerate() {
        let lead = rng.random_range(1..30);
        let lead_sd: f64 = rng.random_range(0.0..4.0);
        let (moq, pack) = (rng.random_range(1..200), rng.random_range(1..25));
        let supplier = format!("S{i}");
        settings::upsert_suppliers(
            &pool,
            &[Supplier {
                code: supplier.clone(),
                name: supplier.clone(),
                lead_time_days: lead,
                lead_time_sd_days: lead_sd,
            }],
        )
        .await
        .expect("supplier");
        settings::upsert_supplier_items(
            &pool,
            &[SupplierItem {
                sku: sku.clone(),
                supplier,
                unit_cost: Decimal::ONE,
                min_order_qty: moq,
                pack_size: pack,
            }],
        )
        .await
        .expect("item");
        let mut rows = Vec::new();
        for location in ["DC-1", "ST-1", "ST-2"] {
            if rng.random_bool(0.8) {
                let row = DemandRow {
                    daily_mean: rng.random_range(0.0..40.0),
                    daily_sd: rng.random_range(0.0..15.0),
                };
                forecast(&pool, sku, location, row.daily_mean, row.daily_sd).await;
                rows.push(row);
            }
        }
        let on_hand = rng.random_range(0..800);
        if on_hand > 0 {
            receive(&pool, &format!("r-{sku}"), sku, "DC-1", on_hand).await;
        }
        let timing = Timing {
            lead_days: f64::from(lead),
            lead_sd_days: lead_sd,
            review_days: f64::from(REVIEW),
        };
        let levels = policy::levels(&rows, timing, policy::service_factor(SERVICE));
        expected.push((sku.clone(), policy::order_quantity(on_hand, levels, moq, pack), levels));
    }

    plan::run(&pool, "planner", now()).await.expect("plan");
    let proposed = open_proposals(&pool).await;
    let mut ordered = 0;
    for (sku, quantity, levels) in expected {
        let got = proposed.iter().find(|p| p.sku == sku && p.kind == ProposalKind::Purchase);
        match got {
            Some(p) => {
                assert_eq!(p.quantity, quantity, "{sku}: database vs reference");
                assert_eq!(
                    (p.safety_stock, p.reorder_point, p.order_up_to),
                    (levels.safety_stock, levels.reorder_point, levels.order_up_to),
                    "{sku}"
                );
                ordered += 1;
            }
            None => assert_eq!(quantity, 0, "{sku}: the reference orders {quantity}"),
        }
    }
    assert!(ordered > N / 4, "the random cases should order often ({ordered} of {N})");
}

#[tokio::test]
async fn a_proposal_built_on_one_bulk_day_asks_the_planner_to_check() {
    let pool = network_db(&["SKU-A", "SKU-B"]).await;
    forecast(&pool, "SKU-A", "ST-1", 20.0, 0.0).await;
    forecast(&pool, "SKU-B", "ST-1", 20.0, 0.0).await;
    sqlx::query("UPDATE demand_forecasts SET peak_share = 0.9 WHERE sku = 'SKU-A'")
        .execute(&pool)
        .await
        .expect("mark the spike");
    plan::run(&pool, "planner", now()).await.expect("plan");

    let all = open_proposals(&pool).await;
    let note = "CHECK: one day made 90% of the sales history";
    let a: Vec<&Proposal> = all.iter().filter(|p| p.sku == "SKU-A").collect();
    assert!(!a.is_empty() && a.iter().all(|p| p.explanation.contains(note)), "{a:?}");
    assert!(all.iter().filter(|p| p.sku == "SKU-B").all(|p| !p.explanation.contains("CHECK")));
}
