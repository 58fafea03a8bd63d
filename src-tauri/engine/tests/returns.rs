//! Returns on a real PostgreSQL: stories from sale to return to each disposition,
//! checking the units in every state after each step, the rules that refuse bad
//! returns, and refunds that share one record of what went back with cancellations.

mod common;

use chrono::{Duration, Utc};
use common::{receive, seeded_db};
use rust_decimal::Decimal;
use sqlx::PgPool;
use stockroom_engine::ledger::{position, verify};
use stockroom_engine::network::{self, Location, LocationKind};
use stockroom_engine::orders::lifecycle::{self, ShipLine};
use stockroom_engine::orders::{self, OrderLineRequest, OrderRequest, OrderStatus, PartialPolicy};
use stockroom_engine::receiving::ReceiptLine;
use stockroom_engine::returns::{
    self, DecisionRequest, Disposition, Grade, KpiDimension, OrderRef, RefundRequest,
    ReturnLineRequest, ReturnOutcome, ReturnRequest, ReturnStatus,
};
use stockroom_engine::{transfers, EngineError};

/// Units of a SKU at a location, state by state.
#[derive(Debug, PartialEq, Eq, Default)]
struct Units {
    available: i64,
    reserved: i64,
    return_pending: i64,
    quarantined: i64,
    in_transit: i64,
}

async fn units(pool: &PgPool, sku: &str, location: &str) -> Units {
    match position::one(pool, sku, location).await.expect("position") {
        Some(p) => Units {
            available: p.available,
            reserved: p.reserved,
            return_pending: p.return_pending,
            quarantined: p.quarantined,
            in_transit: p.in_transit,
        },
        None => Units::default(),
    }
}

fn u(available: i64, return_pending: i64, quarantined: i64, in_transit: i64) -> Units {
    Units { available, reserved: 0, return_pending, quarantined, in_transit }
}

async fn assert_ledger_matches(pool: &PgPool) {
    let report = verify::run(pool).await.expect("verify");
    assert!(report.drifts.is_empty(), "positions drifted from the ledger: {:?}", report.drifts);
}

/// The seeded network plus a returns hub (which cannot restock) and a dark store (which
/// cannot receive customer returns).
async fn db() -> PgPool {
    let pool = seeded_db().await;
    let site = |code: &str, kind, ships, (latitude, longitude)| Location {
        code: code.into(),
        kind,
        name: code.into(),
        town: "Testtown".into(),
        latitude,
        longitude,
        town_population: 1000,
        ships_orders: ships,
        offers_pickup: false,
        daily_pick_capacity: 100,
        carrier_cutoff_local: None,
    };
    network::upsert(
        &pool,
        &[
            site("HUB-1", LocationKind::ReturnsHub, false, (52.5, -0.5)),
            site("DS-1", LocationKind::DarkStore, true, (55.9, -3.2)),
        ],
    )
    .await
    .expect("locations");
    pool
}

/// Sells `qty` of SKU-A at £10.00 from wherever the stock is, ships it all; returns the
/// order id.
async fn sold(pool: &PgPool, id: &str, qty: i64, customer: Option<&str>) -> i64 {
    let order = OrderRequest {
        channel: "WEB".into(),
        external_id: id.into(),
        lines: vec![OrderLineRequest {
            sku: "SKU-A".into(),
            quantity: qty,
            unit_price: Decimal::new(1000, 2),
        }],
        customer: Some((52.0, -1.0)),
        pickup_location: None,
        partial_policy: PartialPolicy::AllOrNothing,
        placed_at: Utc::now() - Duration::hours(2),
        confirmed: true,
        customer_ref: customer.map(str::to_owned),
    };
    let order_id = orders::capture(pool, "test", &order).await.expect("captured").order_id();
    lifecycle::ship(pool, "test", order_id, "P-1", None).await.expect("shipped");
    order_id
}

fn back(rma: &str, location: &str, order: Option<&str>, qty: i64, reason: &str) -> ReturnRequest {
    ReturnRequest {
        channel: "WEB".into(),
        external_id: rma.into(),
        location: location.into(),
        order: order.map(|o| OrderRef { channel: "WEB".into(), external_id: o.into() }),
        customer_ref: None,
        lines: vec![ReturnLineRequest {
            sku: "SKU-A".into(),
            quantity: qty,
            reason: reason.into(),
            order_line_no: None,
            unit_price: None,
        }],
        at: Utc::now() - Duration::hours(1),
        received: true,
    }
}

fn decision(return_id: i64, quantity: i64, grade: Grade) -> DecisionRequest {
    DecisionRequest {
        return_id,
        line_no: 1,
        quantity,
        grade,
        disposition: None,
        override_reason: None,
        destination: None,
        at: Utc::now(),
    }
}

fn overridden(mut d: DecisionRequest, way: Disposition, why: &str) -> DecisionRequest {
    d.disposition = Some(way);
    d.override_reason = Some(why.into());
    d
}

fn invalid(err: EngineError) -> String {
    match err {
        EngineError::InvalidInput(msg) => msg,
        other => panic!("expected a clear refusal, got {other:?}"),
    }
}

fn pounds(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

#[tokio::test]
async fn a_store_return_graded_as_new_is_restocked_there_and_sellable_at_once() {
    let pool = db().await;
    receive(&pool, "r1", "SKU-A", "ST-1", 10).await;
    let order_id = sold(&pool, "W-1", 3, None).await;
    assert_eq!(units(&pool, "SKU-A", "ST-1").await, u(7, 0, 0, 0));

    let rma = back("RMA-1", "ST-1", Some("W-1"), 3, "changed_mind");
    let captured = returns::capture(&pool, "desk", &rma).await.expect("captured");
    let ReturnOutcome::Captured {
        return_id, linked_lines: 1, status: ReturnStatus::Received, ..
    } = captured
    else {
        panic!("expected a linked, received return: {captured:?}")
    };
    assert_eq!(units(&pool, "SKU-A", "ST-1").await, u(7, 3, 0, 0), "received: return pending");

    let done =
        returns::decide(&pool, "desk", &decision(return_id, 3, Grade::AsNew)).await.expect("ok");
    assert_eq!(done.disposition, Disposition::Restock);
    assert_eq!(done.suggested, Disposition::Restock);
    assert_eq!(done.destination.as_deref(), Some("ST-1"), "a store restocks in place");
    assert_eq!(done.recovery, pounds("29.25"), "3 x (10.00 - 0.25 handling)");
    assert!(done.return_closed);
    assert_eq!(units(&pool, "SKU-A", "ST-1").await, u(10, 0, 0, 0), "available at once");

    let (shipped, returned, put_back): (i64, i64, i64) = sqlx::query_as(
        "SELECT shipped, returned, put_back FROM order_line_stock WHERE order_id = $1",
    )
    .bind(order_id)
    .fetch_one(&pool)
    .await
    .expect("line");
    assert_eq!((shipped, returned, put_back), (3, 3, 3));
    let repeat = returns::capture(&pool, "desk", &rma).await.expect("repeat");
    assert!(matches!(repeat, ReturnOutcome::Duplicate { .. }), "{repeat:?}");
    let mut fewer = rma.clone();
    fewer.lines[0].quantity = 2;
    let changed = returns::capture(&pool, "desk", &fewer).await.expect_err("a changed repeat");
    assert!(matches!(changed, EngineError::IdempotencyConflict { .. }), "{changed:?}");
    assert_eq!(units(&pool, "SKU-A", "ST-1").await, u(10, 0, 0, 0), "repeats change nothing");
    assert_ledger_matches(&pool).await;
}

#[tokio::test]
async fn every_disposition_from_the_hub_moves_units_to_its_state() {
    let pool = db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 20).await;
    sold(&pool, "W-1", 5, Some("CUST-9")).await;
    assert_eq!(units(&pool, "SKU-A", "DC-1").await, u(15, 0, 0, 0));

    // Mailed to the hub without an order number: found through the customer.
    let mut mailed = back("RMA-2", "HUB-1", None, 5, "defective");
    mailed.customer_ref = Some("CUST-9".into());
    let captured = returns::capture(&pool, "hub", &mailed).await.expect("captured");
    assert!(matches!(captured, ReturnOutcome::Captured { linked_lines: 1, .. }), "{captured:?}");
    let id = captured.return_id();
    assert_eq!(units(&pool, "SKU-A", "HUB-1").await, u(0, 5, 0, 0));

    // As new: restocked, but the hub may not hold sellable stock, so it travels to the
    // nearest location that ships orders.
    let restock = returns::decide(&pool, "hub", &decision(id, 1, Grade::AsNew)).await.expect("ok");
    let transfer = restock.transfer_id.expect("a restock transfer");
    assert_eq!(restock.destination.as_deref(), Some("DC-1"));
    assert_eq!(units(&pool, "SKU-A", "HUB-1").await, u(0, 4, 0, 0));
    assert_eq!(units(&pool, "SKU-A", "DC-1").await, u(15, 0, 0, 1));
    let line = ReceiptLine { line_no: 1, accepted: 1, rejected: 0 };
    transfers::receive(&pool, "dc", transfer, "GRN-1", &[line], Utc::now()).await.expect("in");
    assert_eq!(units(&pool, "SKU-A", "DC-1").await, u(16, 0, 0, 0), "sellable after receipt");

    // Damaged: refurbishment is worth most (10 x (0.75 - 0.30) - 0.25 = 4.25 > 4.00).
    let refurb = returns::decide(&pool, "hub", &decision(id, 1, Grade::Damaged)).await.expect("ok");
    assert_eq!((refurb.disposition, refurb.recovery), (Disposition::Refurbish, pounds("4.25")));
    assert_eq!(units(&pool, "SKU-A", "HUB-1").await, u(0, 3, 1, 0));
    let again = returns::complete_refurbishment(&pool, "hub", refurb.decision_id, Utc::now())
        .await
        .expect("refurbished");
    assert!(again.is_some(), "refurbished units travel to where they are sold");
    assert_eq!(units(&pool, "SKU-A", "HUB-1").await, u(0, 3, 0, 0));
    assert_eq!(units(&pool, "SKU-A", "DC-1").await, u(16, 0, 0, 1));
    let twice = returns::complete_refurbishment(&pool, "hub", refurb.decision_id, Utc::now())
        .await
        .expect_err("only once");
    assert!(invalid(twice).contains("already"), "completing twice is refused");

    // Defective, overridden to the vendor; open box liquidated; as new scrapped.
    let rtv =
        overridden(decision(id, 1, Grade::Defective), Disposition::ReturnToVendor, "vendor RMA");
    let rtv = returns::decide(&pool, "hub", &rtv).await.expect("ok");
    assert_eq!((rtv.suggested, rtv.recovery), (Disposition::Refurbish, pounds("4.00")));
    assert_eq!(units(&pool, "SKU-A", "HUB-1").await, u(0, 2, 0, 0));
    let sold_off = overridden(decision(id, 1, Grade::OpenBox), Disposition::Liquidate, "bulk lot");
    let sold_off = returns::decide(&pool, "hub", &sold_off).await.expect("ok");
    assert_eq!(sold_off.recovery, pounds("1.50"));
    let scrapped = overridden(decision(id, 1, Grade::AsNew), Disposition::Scrap, "hygiene seal");
    let scrapped = returns::decide(&pool, "hub", &scrapped).await.expect("ok");
    assert_eq!(scrapped.recovery, Decimal::ZERO);
    assert!(scrapped.return_closed, "every unit has a disposition");
    assert_eq!(units(&pool, "SKU-A", "HUB-1").await, u(0, 0, 0, 0));

    let kinds: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind::text, sum(quantity)::bigint FROM movements
         WHERE reference = 'RMA WEB/RMA-2' AND location = 'HUB-1' AND to_state IS NULL
         GROUP BY kind ORDER BY kind",
    )
    .fetch_all(&pool)
    .await
    .expect("movements");
    let expected = [("liquidation", 1), ("scrap", 1), ("vendor_return", 1)];
    let expected: Vec<(String, i64)> = expected.iter().map(|(k, q)| (k.to_string(), *q)).collect();
    assert_eq!(kinds, expected, "units left the company by their own movement kinds");

    let by_grade = returns::kpis(&pool, KpiDimension::Grade, None, None).await.expect("kpis");
    let all = by_grade.last().expect("totals");
    assert_eq!((all.key.as_str(), all.units, all.decisions), ("all", 5, 5));
    assert_eq!(all.original_value, pounds("50.00"));
    assert_eq!(all.recovery, pounds("19.50"), "9.75 + 4.25 + 4.00 + 1.50 + 0");
    assert_eq!(all.resold_units, 1, "the refurbished unit is still on its way");
    assert_ledger_matches(&pool).await;
}

#[tokio::test]
async fn bad_decisions_are_refused_by_field_and_change_nothing() {
    let pool = db().await;
    receive(&pool, "r1", "SKU-A", "ST-1", 10).await;
    sold(&pool, "W-1", 4, None).await;
    let id = returns::capture(&pool, "desk", &back("RMA-3", "ST-1", Some("W-1"), 4, "not_given"))
        .await
        .expect("captured")
        .return_id();
    let before = units(&pool, "SKU-A", "ST-1").await;

    let damaged_restock =
        overridden(decision(id, 1, Grade::Damaged), Disposition::Restock, "looks fine");
    let err = invalid(returns::decide(&pool, "desk", &damaged_restock).await.expect_err("no"));
    assert!(err.contains("field disposition") && err.contains("damaged"), "{err}");

    let mut no_reason = decision(id, 1, Grade::AsNew);
    no_reason.disposition = Some(Disposition::Liquidate);
    let err = invalid(returns::decide(&pool, "desk", &no_reason).await.expect_err("no"));
    assert!(
        err.contains("field override_reason") && err.contains("restock was suggested"),
        "{err}"
    );

    let err = invalid(
        returns::decide(&pool, "desk", &decision(id, 5, Grade::AsNew)).await.expect_err("no"),
    );
    assert!(err.contains("field quantity") && err.contains("4 unit(s) wait"), "{err}");

    let mut to_hub = decision(id, 1, Grade::AsNew);
    to_hub.destination = Some("HUB-1".into());
    let err = invalid(returns::decide(&pool, "desk", &to_hub).await.expect_err("no"));
    assert!(err.contains("field destination") && err.contains("HUB-1"), "{err}");

    // A batch with one bad decision records none of them.
    let batch = [decision(id, 2, Grade::AsNew), decision(id, 3, Grade::AsNew)];
    let err = invalid(returns::decide_all(&pool, "desk", &batch).await.expect_err("no"));
    assert!(err.starts_with("decision 2 "), "the refusal names the decision: {err}");
    assert_eq!(units(&pool, "SKU-A", "ST-1").await, before, "nothing half-applied");
    assert_ledger_matches(&pool).await;
}

#[tokio::test]
async fn returns_the_rules_forbid_are_refused_clearly() {
    let pool = db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    sold(&pool, "W-1", 2, None).await;

    let err = returns::capture(&pool, "desk", &back("RMA-4", "DS-1", Some("W-1"), 1, "defective"))
        .await
        .expect_err("dark stores do not take returns");
    assert!(invalid(err).contains("field location: DS-1 does not receive customer returns"));

    let err = returns::capture(&pool, "desk", &back("RMA-5", "ST-1", Some("W-1"), 3, "defective"))
        .await
        .expect_err("more than was shipped");
    let err = invalid(err);
    assert!(err.contains("line 1: field quantity") && err.contains("2 unit(s)"), "{err}");

    let err = returns::capture(&pool, "desk", &back("RMA-6", "ST-1", Some("W-1"), 1, "bored"))
        .await
        .expect_err("unknown reason");
    assert!(invalid(err).contains("field reason: bored is not a reason code"));

    let err =
        returns::capture(&pool, "desk", &back("RMA-7", "ST-1", Some("W-404"), 1, "defective"))
            .await
            .expect_err("unknown order");
    assert!(invalid(err).contains("order WEB/W-404 is not known"));

    // Dates: not before the sale, not in the future.
    let mut early = back("RMA-10", "ST-1", Some("W-1"), 1, "defective");
    early.at = Utc::now() - chrono::Duration::days(400);
    let err = returns::capture(&pool, "desk", &early).await.expect_err("before the sale");
    let err = invalid(err);
    assert!(err.contains("field at:") && err.contains("before order WEB/W-1 was placed"), "{err}");
    let mut later = back("RMA-11", "ST-1", Some("W-1"), 1, "defective");
    later.at = Utc::now() + chrono::Duration::days(30);
    let err = returns::capture(&pool, "desk", &later).await.expect_err("in the future");
    assert!(invalid(err).contains("field at:"), "future");

    // Without any link the return is kept and flagged.
    let mut stray = back("RMA-8", "ST-1", None, 1, "not_given");
    stray.lines[0].unit_price = Some(pounds("4.00"));
    let outcome = returns::capture(&pool, "desk", &stray).await.expect("kept");
    assert!(matches!(outcome, ReturnOutcome::Captured { linked_lines: 0, .. }), "{outcome:?}");
    let queue = returns::queue(&pool, None, false, 10).await.expect("queue");
    let flagged: Vec<&str> =
        queue.iter().filter(|r| r.unlinked_lines > 0).map(|r| r.external_id.as_str()).collect();
    assert_eq!(flagged, vec!["RMA-8"]);
    assert_eq!(units(&pool, "SKU-A", "ST-1").await, u(0, 1, 0, 0), "only the kept one arrived");
}

#[tokio::test]
async fn the_database_refuses_bringing_back_more_than_a_line_shipped() {
    let pool = db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    let order_id = sold(&pool, "W-1", 2, None).await;
    let mut announced = back("RMA-9", "ST-1", Some("W-1"), 2, "defective");
    announced.received = false;
    let id = returns::capture(&pool, "desk", &announced).await.expect("announced").return_id();
    // Bypass the engine's own check: make the expected return bigger than the sale.
    sqlx::query("UPDATE return_lines SET quantity = 3 WHERE return_id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .expect("edited");
    let err = returns::receive(&pool, "desk", id, Utc::now()).await.expect_err("refused");
    let err = invalid(err);
    assert!(err.contains(&format!("order {order_id} line 1: 2 units shipped")), "{err}");
    assert_eq!(units(&pool, "SKU-A", "ST-1").await, u(0, 0, 0, 0));
}

#[tokio::test]
async fn a_refund_with_restock_then_a_cancellation_leaves_stock_at_its_pre_order_level() {
    let pool = db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    let order = |id: &str| OrderRequest {
        channel: "WEB".into(),
        external_id: id.into(),
        lines: vec![OrderLineRequest {
            sku: "SKU-A".into(),
            quantity: 5,
            unit_price: Decimal::new(1000, 2),
        }],
        customer: Some((52.0, -1.0)),
        pickup_location: None,
        partial_policy: PartialPolicy::AllOrNothing,
        placed_at: Utc::now(),
        confirmed: true,
        customer_ref: None,
    };
    let refund = |order_id, reference: &str| RefundRequest {
        order_id,
        line_no: 1,
        reference: reference.into(),
        quantity: 5,
        restock: true,
        reason: "changed_mind".into(),
        return_to: Some("ST-1".into()),
        at: Utc::now(),
    };

    // Before shipment: the refund releases the reservation; the cancellation adds nothing.
    let a = orders::capture(&pool, "t", &order("W-1")).await.expect("captured").order_id();
    let r = returns::refund(&pool, "t", &refund(a, "RF-1")).await.expect("refunded");
    assert_eq!((r.released, r.return_id), (5, None));
    let c = lifecycle::cancel(&pool, "t", a, "customer").await.expect("cancelled");
    assert_eq!(c.units, 0, "nothing left to release");
    assert_eq!(units(&pool, "SKU-A", "DC-1").await, u(10, 0, 0, 0), "pre-order level");
    let again = returns::refund(&pool, "t", &refund(a, "RF-1")).await.expect("repeat");
    assert!(again.repeat && again.released == 5);
    assert_eq!(units(&pool, "SKU-A", "DC-1").await, u(10, 0, 0, 0), "a repeat changes nothing");

    // After shipping 3 of 5: 2 are released, 3 are expected back; cancelling adds nothing.
    let b = orders::capture(&pool, "t", &order("W-2")).await.expect("captured").order_id();
    let ship = [ShipLine { line_no: 1, quantity: 3 }];
    lifecycle::ship(&pool, "t", b, "P-1", Some(&ship)).await.expect("shipped");
    let r = returns::refund(&pool, "t", &refund(b, "RF-2")).await.expect("refunded");
    assert_eq!(r.released, 2);
    let expected = r.return_id.expect("3 units expected back");
    let c = lifecycle::cancel(&pool, "t", b, "customer").await.expect("cancelled");
    assert_eq!((c.units, c.status), (0, OrderStatus::Shipped), "3 shipped, 2 refunded");
    assert_eq!(units(&pool, "SKU-A", "DC-1").await, u(7, 0, 0, 0));
    returns::receive(&pool, "desk", expected, Utc::now()).await.expect("received");
    assert_eq!(units(&pool, "SKU-A", "ST-1").await, u(0, 3, 0, 0));
    returns::decide(&pool, "desk", &decision(expected, 3, Grade::AsNew)).await.expect("restocked");
    let dc = units(&pool, "SKU-A", "DC-1").await.available;
    let store = units(&pool, "SKU-A", "ST-1").await.available;
    assert_eq!(dc + store, 10, "back to the pre-order level, never above");

    // Nothing more can come back against that line.
    let late =
        ReturnRequest { at: Utc::now(), ..back("RMA-10", "ST-1", Some("W-2"), 1, "defective") };
    let err = returns::capture(&pool, "desk", &late).await.expect_err("all units are back");
    assert!(invalid(err).contains("0 unit(s)"));
    let err = returns::refund(&pool, "t", &RefundRequest { quantity: 1, ..refund(b, "RF-3") })
        .await
        .expect_err("refunded in full already");
    assert!(invalid(err).contains("5 of 5 unit(s) were already refunded"));
    assert_ledger_matches(&pool).await;
}
