//! Orders on a real PostgreSQL: reservation never oversells, releases happen exactly
//! once, routing follows the rules and the availability check agrees with capture.

mod common;

use std::collections::HashSet;

use chrono::{Duration, Utc};
use common::{receive, seeded_db};
use rust_decimal::Decimal;
use sqlx::PgPool;
use stockroom_engine::availability::atp::{self, BasketRequest};
use stockroom_engine::availability::rules::{self, RuleChange};
use stockroom_engine::exceptions::{self, ExceptionFilter};
use stockroom_engine::ledger::{position, verify};
use stockroom_engine::orders::lifecycle::{self, ShipLine};
use stockroom_engine::orders::{
    self, CaptureOutcome, OrderLineRequest, OrderRequest, OrderStatus, PartialPolicy,
};
use stockroom_engine::{EngineError, ErrorCode};

fn line(sku: &str, quantity: i64, pence: i64) -> OrderLineRequest {
    OrderLineRequest { sku: sku.into(), quantity, unit_price: Decimal::new(pence, 2) }
}

fn order(id: &str, lines: Vec<OrderLineRequest>) -> OrderRequest {
    OrderRequest {
        channel: "WEB".into(),
        external_id: id.into(),
        lines,
        customer: Some((52.2, -1.1)),
        pickup_location: None,
        partial_policy: PartialPolicy::AllOrNothing,
        placed_at: Utc::now(),
        confirmed: true,
        customer_ref: None,
    }
}

async fn stock(pool: &PgPool, sku: &str, location: &str) -> (i64, i64) {
    let p = position::one(pool, sku, location).await.expect("position").expect("exists");
    (p.available, p.reserved)
}

async fn assert_ledger_matches(pool: &PgPool) {
    let report = verify::run(pool).await.expect("verify");
    assert!(report.drifts.is_empty(), "positions drifted from the ledger: {:?}", report.drifts);
}

fn reserved_units(outcome: &CaptureOutcome) -> i64 {
    match outcome {
        CaptureOutcome::Reserved { reserved_units, .. } => *reserved_units,
        _ => 0,
    }
}

#[tokio::test]
async fn two_orders_for_three_racing_on_five_available_one_wins() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 5).await;
    let race = |id: &'static str| {
        let pool = pool.clone();
        tokio::spawn(async move {
            orders::capture(&pool, "test", &order(id, vec![line("SKU-A", 3, 500)])).await
        })
    };
    let (a, b) = (race("W-1"), race("W-2"));
    let outcomes =
        [a.await.expect("task").expect("captured"), b.await.expect("task").expect("captured")];
    let winners = outcomes.iter().filter(|o| reserved_units(o) == 3).count();
    let losers = outcomes.iter().filter(|o| matches!(o, CaptureOutcome::Rejected { .. })).count();
    assert_eq!((winners, losers), (1, 1), "{outcomes:?}");
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (2, 3));
    assert_ledger_matches(&pool).await;
}

#[tokio::test]
async fn a_cart_of_five_and_five_on_one_five_unit_item_is_rejected_whole() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 5).await;
    receive(&pool, "r2", "SKU-B", "DC-1", 9).await;
    let cart =
        order("W-1", vec![line("SKU-A", 5, 100), line("SKU-B", 1, 100), line("SKU-A", 5, 100)]);
    let outcome = orders::capture(&pool, "test", &cart).await.expect("captured");
    let CaptureOutcome::Rejected { reason, .. } = outcome else {
        panic!("expected a rejection, got {outcome:?}")
    };
    assert!(reason.contains("5 of 11 units") || reason.contains("only"), "{reason}");
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (5, 0), "nothing half-reserved");
    assert_eq!(stock(&pool, "SKU-B", "DC-1").await, (9, 0), "nothing half-reserved");
}

/// A database with 10 units of SKU-A at DC-1 and order W-1 reserving 5 of them.
async fn five_reserved_of_ten() -> (PgPool, i64) {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    let id = orders::capture(&pool, "test", &order("W-1", vec![line("SKU-A", 5, 100)]))
        .await
        .expect("captured")
        .order_id();
    (pool, id)
}

#[tokio::test]
async fn ship_three_of_five_then_cancel_releases_two_and_never_twice() {
    let (pool, id) = five_reserved_of_ten().await;
    let ship = [ShipLine { line_no: 1, quantity: 3 }];
    let shipped = lifecycle::ship(&pool, "test", id, "P-1", Some(&ship)).await.expect("shipped");
    assert_eq!((shipped.units, shipped.status), (3, OrderStatus::PartiallyShipped));
    let again = lifecycle::ship(&pool, "test", id, "P-1", Some(&ship)).await.expect("repeat");
    assert_eq!(again.units, 0, "a repeated shipment confirmation ships nothing");

    let no_reason = lifecycle::cancel(&pool, "test", id, "  ").await;
    assert!(no_reason.is_err_and(|e| e.to_string().contains("needs a reason")));
    let cancelled = lifecycle::cancel(&pool, "test", id, "customer asked").await.expect("ok");
    assert_eq!((cancelled.units, cancelled.status), (2, OrderStatus::Cancelled));
    let twice = lifecycle::cancel(&pool, "test", id, "again").await.expect("ok");
    assert_eq!(twice.units, 0, "a second cancellation releases nothing");
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (7, 0));
    assert_ledger_matches(&pool).await;
}

#[tokio::test]
async fn a_shipment_naming_a_line_twice_a_missing_line_or_a_reused_reference_is_refused() {
    let (pool, id) = five_reserved_of_ten().await;
    let ship = |reference: &'static str, lines: Vec<(i32, i64)>| {
        let pool = pool.clone();
        async move {
            let lines: Vec<ShipLine> = lines
                .into_iter()
                .map(|(line_no, quantity)| ShipLine { line_no, quantity })
                .collect();
            lifecycle::ship(&pool, "test", id, reference, Some(&lines)).await
        }
    };
    let refused = |r: Result<_, stockroom_engine::EngineError>| r.expect_err("refused").to_string();
    assert!(refused(ship("P-1", vec![(1, 2), (1, 2)]).await).contains("line 1 is given twice"));
    assert!(refused(ship("P-1", vec![(3, 1)]).await).contains("the order has no line 3"));
    assert!(refused(ship("P-1", vec![(1, 0)]).await).contains("must be a positive whole number"));
    assert_eq!(ship("P-1", vec![(1, 3)]).await.expect("shipped").units, 3);
    assert_eq!(ship("P-1", vec![(1, 3)]).await.expect("a repeat").units, 0);
    let reused = refused(ship("P-1", vec![(1, 2)]).await);
    assert!(reused.contains("shipment P-1 was already recorded with 3 units"), "{reused}");
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (5, 2), "3 shipped, 2 still reserved");
    assert_ledger_matches(&pool).await;
}

#[tokio::test]
async fn ship_all_then_cancel_releases_nothing() {
    let (pool, id) = five_reserved_of_ten().await;
    let shipped = lifecycle::ship(&pool, "test", id, "P-1", None).await.expect("shipped");
    assert_eq!((shipped.units, shipped.status), (5, OrderStatus::Shipped));
    let cancelled = lifecycle::cancel(&pool, "test", id, "too late").await.expect("ok");
    assert_eq!((cancelled.units, cancelled.status), (0, OrderStatus::Shipped));
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (5, 0));
    let over =
        lifecycle::ship(&pool, "test", id, "P-2", Some(&[ShipLine { line_no: 1, quantity: 1 }]))
            .await;
    let message = over.expect_err("nothing is left to ship").to_string();
    assert!(message.contains(&format!("order {id} (WEB/W-1) is shipped")), "{message}");
}

fn click_and_collect(id: &str, units: i64) -> OrderRequest {
    OrderRequest {
        channel: "CLICK_COLLECT".into(),
        pickup_location: Some("ST-1".into()),
        customer: None,
        ..order(id, vec![line("SKU-A", units, 1000)])
    }
}

#[tokio::test]
async fn click_and_collect_allocates_from_its_pickup_store_only_or_first_with_fallback() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "ST-1", 1).await;
    receive(&pool, "r2", "SKU-A", "DC-1", 10).await;

    let strict = orders::capture(&pool, "test", &click_and_collect("C-1", 3)).await.expect("ok");
    assert!(matches!(strict, CaptureOutcome::Rejected { .. }), "{strict:?}");
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (10, 0), "the DC is not used");

    let first = orders::capture(&pool, "test", &click_and_collect("C-2", 1)).await.expect("ok");
    assert_eq!(reserved_units(&first), 1);
    assert_eq!(stock(&pool, "SKU-A", "ST-1").await, (0, 1), "the pickup store first");

    rules::record(&pool, &fallback_rule(), "planner").await.expect("rule recorded");
    let fallback = orders::capture(&pool, "test", &click_and_collect("C-3", 3)).await.expect("ok");
    assert_eq!(reserved_units(&fallback), 3);
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (7, 3), "falls back to the DC");
}

fn fallback_rule() -> RuleChange {
    RuleChange {
        rule_key: "cc-fallback".into(),
        channel: Some("CLICK_COLLECT".into()),
        location: Some("ST-1".into()),
        location_kind: None,
        safety_stock: 0,
        pool_hold: 0,
        excluded: false,
        include_inbound: false,
        pickup_fallback: true,
        daily_capacity: None,
        cutoff_local: None,
        effective_from: Utc::now() - Duration::minutes(1),
    }
}

#[tokio::test]
async fn ten_over_two_locations_for_eight_reserves_five_and_three_and_the_check_agrees() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 5).await;
    receive(&pool, "r2", "SKU-A", "ST-1", 5).await;
    for (id, pence, splits) in [("CHEAP", 100, false), ("DEAR", 1000, true)] {
        let o = order(id, vec![line("SKU-A", 8, pence)]);
        let basket = BasketRequest {
            channel: o.channel.clone(),
            lines: o.lines.clone(),
            customer: o.customer,
            pickup_location: None,
            partial_policy: o.partial_policy,
        };
        let check = atp::basket(&pool, &basket, Utc::now()).await.expect("checked");
        let outcome = orders::capture(&pool, "test", &o).await.expect("captured");
        assert_eq!(check.accepted, splits, "{id}: {}", check.plan.explanation);
        assert_eq!(reserved_units(&outcome) == 8, splits, "{id}: {outcome:?}");
        if splits {
            let detail =
                orders::query::detail(&pool, outcome.order_id(), Utc::now()).await.expect("detail");
            let mut units: Vec<i64> = detail.allocations.iter().map(|a| a.quantity).collect();
            units.sort();
            assert_eq!(units, vec![3, 5]);
            let picks: HashSet<(String, i64)> =
                check.plan.picks.iter().map(|p| (p.location.clone(), p.quantity)).collect();
            let reserved: HashSet<(String, i64)> =
                detail.allocations.iter().map(|a| (a.location.clone(), a.quantity)).collect();
            assert_eq!(picks, reserved, "the check promised what capture reserved");
            assert_eq!(detail.decisions[0].rule, "split_fewest_shipments");
            assert!(detail.decisions[0].candidates.candidates.iter().all(|c| c.chosen));
        }
    }
}

#[tokio::test]
async fn a_repeat_is_a_no_op_and_a_changed_repeat_is_refused() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    let o = order("W-1", vec![line("SKU-A", 2, 100)]);
    let first = orders::capture(&pool, "test", &o).await.expect("captured");
    let again = orders::capture(&pool, "test", &o).await.expect("repeat");
    assert_eq!(
        again,
        CaptureOutcome::Duplicate { order_id: first.order_id(), status: OrderStatus::Open }
    );
    let changed = order("W-1", vec![line("SKU-A", 3, 100)]);
    let err = orders::capture(&pool, "test", &changed).await.expect_err("refused");
    assert_eq!(err.code(), ErrorCode::IdempotencyConflict);
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (8, 2));
}

/// Capture inserts a batch's orders without checking for repeats first and lets the
/// order key refuse the batch if one is there; the batch is then captured again,
/// recognising the repeats. Nothing may be reserved twice on the way.
#[tokio::test]
async fn a_batch_mixing_repeats_and_new_orders_reserves_each_order_once() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    // A repeat is the same order sent again: same content, same time.
    let at = Utc::now();
    let sent = |id: &str, units| OrderRequest {
        placed_at: at,
        ..order(id, vec![line("SKU-A", units, 100)])
    };
    let first = orders::capture(&pool, "test", &sent("W-1", 2)).await.expect("captured");
    let batch = vec![sent("W-2", 1), sent("W-1", 2), sent("W-3", 3), sent("W-2", 1)];
    let results = orders::capture_batch(&pool, "test", &batch).await;
    let outcomes: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(CaptureOutcome::Reserved { reserved_units, .. }) => {
                format!("reserved {reserved_units}")
            }
            Ok(CaptureOutcome::Duplicate { order_id, .. }) if *order_id == first.order_id() => {
                "repeat of W-1".to_owned()
            }
            Ok(CaptureOutcome::Duplicate { .. }) => "repeat".to_owned(),
            Ok(other) => format!("{other:?}"),
            Err(e) => e.user_message(),
        })
        .collect();
    assert_eq!(outcomes, vec!["reserved 1", "repeat of W-1", "reserved 3", "repeat"]);
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (4, 6));
    let orders: i64 =
        sqlx::query_scalar("SELECT count(*) FROM orders").fetch_one(&pool).await.expect("count");
    assert_eq!(orders, 3);
    assert_ledger_matches(&pool).await;
}

/// Orders of one batch placed within the same second reserve a SKU at a location with
/// one ledger movement; each order's share is its allocation, and each is released on
/// its own.
#[tokio::test]
async fn a_batch_reserves_a_sku_with_one_movement_and_releases_each_order_alone() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 20).await;
    let at = Utc::now();
    let batch: Vec<OrderRequest> = (1..=4)
        .map(|n| OrderRequest {
            placed_at: at,
            ..order(&format!("B-{n}"), vec![line("SKU-A", n, 100)])
        })
        .collect();
    let results = orders::capture_batch(&pool, "test", &batch).await;
    let ids: Vec<i64> = results.iter().map(|r| r.as_ref().expect("captured").order_id()).collect();
    let moves: Vec<(i64, String)> = sqlx::query_as(
        "SELECT quantity, reference FROM movements WHERE kind = 'reservation' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .expect("reservations");
    assert_eq!(moves, vec![(10, "WEB/B-1 and 3 more orders".to_owned())]);
    let shares: Vec<i64> = sqlx::query_scalar("SELECT quantity FROM allocations ORDER BY order_id")
        .fetch_all(&pool)
        .await
        .expect("allocations");
    assert_eq!(shares, vec![1, 2, 3, 4]);
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (10, 10));

    let change = lifecycle::cancel(&pool, "test", ids[2], "customer asked").await.expect("cancel");
    assert_eq!(change.units, 3);
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (13, 7));
    assert_ledger_matches(&pool).await;
}

#[tokio::test]
async fn bad_orders_are_named_and_the_rest_of_the_batch_is_captured() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    let batch = vec![
        order("OK-1", vec![line("SKU-A", 1, 100)]),
        order("BAD-1", vec![line("SKU-A", 1, 100), line("NOPE", 1, 100)]),
        order("BAD-2", vec![line("SKU-A", 0, 100)]),
        OrderRequest { channel: "FAX".into(), ..order("BAD-3", vec![line("SKU-A", 1, 100)]) },
        order("OK-2", vec![line("SKU-A", 2, 100)]),
        OrderRequest { pickup_location: Some("ST-999".into()), ..click_and_collect("BAD-4", 1) },
        OrderRequest { pickup_location: Some("DC-1".into()), ..click_and_collect("BAD-5", 1) },
    ];
    let results = orders::capture_batch(&pool, "test", &batch).await;
    let messages: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(o) => format!("reserved {}", reserved_units(o)),
            Err(e) => e.user_message(),
        })
        .collect();
    assert_eq!(
        messages,
        vec![
            "reserved 1",
            "order BAD-1 line 2: sku NOPE is not in the catalogue",
            "order BAD-2 line 1: quantity must be a positive whole number, got 0",
            "order BAD-3: channel FAX is not known",
            "reserved 2",
            "order BAD-4: pickup_location ST-999 is not a known location",
            "order BAD-5: pickup_location DC-1 does not offer pickup",
        ]
    );
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (7, 3));
}

#[tokio::test]
async fn an_unconfirmed_reservation_expires_once() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    let placed = Utc::now() - Duration::hours(2);
    let o = OrderRequest {
        confirmed: false,
        customer_ref: None,
        placed_at: placed,
        ..order("W-1", vec![line("SKU-A", 4, 100)])
    };
    let kept = OrderRequest { placed_at: placed, ..order("W-2", vec![line("SKU-A", 1, 100)]) };
    orders::capture(&pool, "test", &o).await.expect("captured");
    orders::capture(&pool, "test", &kept).await.expect("captured");
    let expired = lifecycle::expire_due(&pool, "test", Utc::now()).await.expect("expiry");
    assert_eq!(
        expired.iter().map(|c| (c.units, c.status)).collect::<Vec<_>>(),
        vec![(4, OrderStatus::Expired)]
    );
    let again = lifecycle::expire_due(&pool, "test", Utc::now()).await.expect("expiry");
    assert!(again.is_empty());
    let late = lifecycle::confirm(&pool, expired[0].order_id, Utc::now()).await;
    assert!(late.is_err(), "an expired reservation cannot be confirmed");
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (9, 1));
    assert_ledger_matches(&pool).await;
}

#[tokio::test]
async fn a_store_rejection_reroutes_and_feeds_accuracy_and_the_exception_queue() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "ST-1", 4).await;
    receive(&pool, "r2", "SKU-A", "DC-1", 2).await;
    // The store is cheaper to the customer (same site, store handling is dearer: tie on
    // distance), so make the DC unable to fill alone: 3 units, DC has 2.
    let id = orders::capture(&pool, "test", &order("W-1", vec![line("SKU-A", 3, 100)]))
        .await
        .expect("captured")
        .order_id();
    let before = orders::query::detail(&pool, id, Utc::now()).await.expect("detail");
    assert_eq!(
        before.allocations.iter().map(|a| a.location.as_str()).collect::<Vec<_>>(),
        vec!["ST-1"]
    );

    let change = lifecycle::store_rejection(&pool, "test", id, "ST-1").await.expect("rerouted");
    assert_eq!(change.units, 2, "the DC had 2 of the 3 units");
    let after = orders::query::detail(&pool, id, Utc::now()).await.expect("detail");
    assert_eq!(after.decisions.len(), 2, "capture and the re-route are both explained");
    assert_eq!(stock(&pool, "SKU-A", "ST-1").await, (1, 0), "the 3 missing units are written off");
    assert_eq!(stock(&pool, "SKU-A", "DC-1").await, (0, 2));

    let queue = exceptions::list(
        &pool,
        &ExceptionFilter { open_only: true, limit: 50, ..Default::default() },
        Utc::now(),
    )
    .await
    .expect("queue");
    let kinds: HashSet<&str> = queue.iter().map(|e| e.kind.as_str()).collect();
    assert!(
        kinds.contains("store_rejection") && kinds.contains("unfillable_after_rejection"),
        "{kinds:?}"
    );
    assert!(queue.iter().all(|e| e.owner.is_some()), "every exception has an owner");

    // The store's measured accuracy is now 0 of 1: the next wave flags its picks.
    receive(&pool, "r3", "SKU-B", "ST-1", 5).await;
    orders::capture(&pool, "test", &order("W-2", vec![line("SKU-B", 1, 100)])).await.expect("ok");
    let wave = lifecycle::release_wave(&pool, Utc::now(), 1).await.expect("wave");
    assert_eq!(wave.flagged_lines, 1, "{wave:?}");
    let risk = exceptions::list(
        &pool,
        &ExceptionFilter {
            open_only: true,
            kind: Some("oversell_risk".into()),
            limit: 50,
            ..Default::default()
        },
        Utc::now(),
    )
    .await
    .expect("queue");
    assert_eq!(risk.len(), 1);
    exceptions::resolve(&pool, risk[0].id, "lead", "counted: 5 on the shelf")
        .await
        .expect("resolved");
    let err = exceptions::resolve(&pool, risk[0].id, "lead", "again").await.expect_err("closed");
    assert!(matches!(err, EngineError::NotFound { .. }));
    assert_ledger_matches(&pool).await;
}

#[tokio::test]
async fn availability_by_channel_honours_safety_stock_and_exclusions() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    receive(&pool, "r2", "SKU-A", "ST-1", 6).await;
    let mut web_safety = fallback_rule();
    web_safety.rule_key = "web-store-safety".into();
    web_safety.channel = Some("WEB".into());
    web_safety.pickup_fallback = false;
    web_safety.safety_stock = 2;
    rules::record(&pool, &web_safety, "planner").await.expect("rule");
    let mut no_marketplace = fallback_rule();
    no_marketplace.rule_key = "mp-no-stores".into();
    no_marketplace.channel = Some("MARKETPLACE".into());
    no_marketplace.excluded = true;
    rules::record(&pool, &no_marketplace, "planner").await.expect("rule");

    let view = atp::for_sku(&pool, "SKU-A", Utc::now()).await.expect("availability");
    let total = |c: &str| view.channels.iter().find(|x| x.channel == c).map(|x| x.promisable);
    assert_eq!(total("WEB"), Some(14), "10 at the DC + 6 - 2 safety at the store");
    assert_eq!(total("MARKETPLACE"), Some(10), "the store is excluded for marketplaces");
    assert_eq!(total("B2B"), Some(16));

    let unknown = atp::for_sku(&pool, "NO-SUCH", Utc::now()).await;
    assert!(unknown.is_err_and(|e| e.to_string() == "SKU not found: NO-SUCH"));

    // The reservation uses the same numbers: the web cannot take the safety stock.
    let big = order("W-1", vec![line("SKU-A", 15, 10_000)]);
    let outcome = orders::capture(&pool, "test", &big).await.expect("captured");
    assert!(matches!(outcome, CaptureOutcome::Rejected { .. }), "{outcome:?}");
}
