//! The ledger's invariants, enforced by the database: positions equal the movements,
//! promises never oversell, facts are always recorded, and history never changes.

mod common;

use common::{movement, receive, seeded_db, submit};
use stockroom_engine::ledger::{self, position, MovementKind as K, StockState as S};
use stockroom_engine::ErrorCode;

#[tokio::test]
async fn movements_update_positions_in_the_same_transaction() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    let reserve =
        movement(K::Reservation, "SKU-A", "DC-1", Some(S::Available), Some(S::Reserved), 4);
    submit(&pool, "o1", vec![reserve]).await.expect("reservation fits");

    let p = position::one(&pool, "SKU-A", "DC-1").await.expect("read").expect("exists");
    assert_eq!((p.available, p.reserved, p.on_hand, p.movement_count), (6, 4, 10, 2));
    let report = ledger::verify::run(&pool).await.expect("verify");
    assert_eq!(report.movements, 2);
    assert!(report.drifts.is_empty(), "drifts: {:?}", report.drifts);
}

#[tokio::test]
async fn a_reservation_beyond_available_is_refused_and_records_nothing() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 5).await;
    let too_many =
        movement(K::Reservation, "SKU-A", "DC-1", Some(S::Available), Some(S::Reserved), 6);
    let fine = movement(K::Reservation, "SKU-B", "DC-1", Some(S::Available), Some(S::Reserved), 1);
    receive(&pool, "r2", "SKU-B", "DC-1", 1).await;

    let err = submit(&pool, "o1", vec![fine, too_many]).await.expect_err("must refuse");
    assert_eq!(err.code(), ErrorCode::Storage);
    assert_eq!(err.user_message(), "SKU-A at DC-1 has 5 available; 6 requested");
    let a = position::one(&pool, "SKU-A", "DC-1").await.expect("read").expect("exists");
    let b = position::one(&pool, "SKU-B", "DC-1").await.expect("read").expect("exists");
    assert_eq!((a.available, a.reserved, b.available, b.reserved), (5, 0, 1, 0));
    let status = stockroom_engine::store::data_status(&pool).await.expect("status");
    assert_eq!((status.movements, status.events), (2, 2), "the refused order left no trace");
}

#[tokio::test]
async fn a_till_sale_beyond_stock_is_recorded_and_raises_an_exception() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "ST-1", 5).await;
    let sale = movement(K::Sale, "SKU-A", "ST-1", Some(S::Available), None, 7);
    submit(&pool, "till-1", vec![sale]).await.expect("a fact is always recorded");

    let p = position::one(&pool, "SKU-A", "ST-1").await.expect("read").expect("exists");
    assert_eq!(p.available, -2);
    let (kind, detail): (String, String) = sqlx::query_as(
        "SELECT kind, detail FROM stock_exceptions WHERE sku = 'SKU-A' AND location = 'ST-1'",
    )
    .fetch_one(&pool)
    .await
    .expect("an open exception");
    assert_eq!(kind, "negative_available");
    assert!(detail.contains("-2 available"), "{detail}");
}

#[tokio::test]
async fn a_promise_on_stock_already_oversold_is_refused() {
    let pool = seeded_db().await;
    let sale = movement(K::Sale, "SKU-A", "ST-1", Some(S::Available), None, 1);
    submit(&pool, "till-1", vec![sale]).await.expect("fact recorded");
    receive(&pool, "r1", "SKU-A", "ST-1", 1).await;
    let transfer = movement(K::TransferOut, "SKU-A", "ST-1", Some(S::Available), None, 1);
    assert!(submit(&pool, "t1", vec![transfer]).await.is_err(), "0 available after the fact");
}

#[tokio::test]
async fn states_other_than_available_never_go_negative() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 5).await;
    let release = movement(K::Release, "SKU-A", "DC-1", Some(S::Reserved), Some(S::Available), 1);
    assert!(submit(&pool, "rel", vec![release]).await.is_err());
    let p = position::one(&pool, "SKU-A", "DC-1").await.expect("read").expect("exists");
    assert_eq!((p.available, p.reserved), (5, 0));
}

#[tokio::test]
async fn movements_cannot_be_edited_or_deleted() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 5).await;
    for sql in [
        "UPDATE movements SET quantity = 50",
        "DELETE FROM movements",
        "TRUNCATE movements CASCADE",
    ] {
        let err = sqlx::query(sql).execute(&pool).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
}

#[tokio::test]
async fn positions_are_written_only_by_the_ledger() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 5).await;
    let err = sqlx::query("UPDATE positions SET available = 500")
        .execute(&pool)
        .await
        .expect_err("guarded");
    assert!(err.to_string().contains("written only by the ledger"), "{err}");
}

#[tokio::test]
async fn verify_reports_drift_when_a_position_is_corrupted() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 5).await;
    // Simulate corruption behind the ledger's back (only a superuser can do this).
    let mut conn = pool.acquire().await.expect("connection");
    sqlx::query("ALTER TABLE positions DISABLE TRIGGER positions_written_by_ledger")
        .execute(&mut *conn)
        .await
        .expect("disable guard");
    sqlx::query("UPDATE positions SET available = 7 WHERE sku = 'SKU-A'")
        .execute(&mut *conn)
        .await
        .expect("tamper");
    drop(conn);

    let report = ledger::verify::run(&pool).await.expect("verify");
    assert_eq!(report.drifts.len(), 1);
    let d = &report.drifts[0];
    assert_eq!((d.sku.as_str(), d.state, d.position, d.ledger), ("SKU-A", S::Available, 7, 5));
}

#[tokio::test]
async fn the_drill_down_lists_every_movement_behind_a_position_newest_first() {
    let pool = seeded_db().await;
    for i in 1..=5 {
        receive(&pool, &format!("r{i}"), "SKU-A", "DC-1", i).await;
    }
    let first =
        ledger::movements_for_position(&pool, "SKU-A", "DC-1", None, 3).await.expect("page");
    assert_eq!(first.iter().map(|m| m.quantity).collect::<Vec<_>>(), vec![5, 4, 3]);
    let older =
        ledger::movements_for_position(&pool, "SKU-A", "DC-1", first.last().map(|m| m.id), 3)
            .await
            .expect("older page");
    assert_eq!(older.iter().map(|m| m.quantity).collect::<Vec<_>>(), vec![2, 1]);
    let p = position::one(&pool, "SKU-A", "DC-1").await.expect("read").expect("exists");
    assert_eq!(p.on_hand, first.iter().chain(&older).map(|m| m.quantity).sum::<i64>());
}

#[tokio::test]
async fn master_data_is_never_deleted_or_rekeyed() {
    let pool = seeded_db().await;
    for sql in [
        "DELETE FROM products WHERE sku = 'SKU-B'",
        "UPDATE products SET sku = 'SKU-Z' WHERE sku = 'SKU-B'",
        "DELETE FROM locations WHERE code = 'ST-1'",
        "UPDATE locations SET code = 'ST-9' WHERE code = 'ST-1'",
        "DELETE FROM channels WHERE code = 'B2B'",
        "UPDATE channels SET code = 'B2X' WHERE code = 'B2B'",
    ] {
        let err = sqlx::query(sql).execute(&pool).await.expect_err(sql);
        assert!(err.to_string().contains("never deleted or re-keyed"), "{sql}: {err}");
    }
    // Changing anything but the key is still allowed.
    sqlx::query("UPDATE products SET description = 'renamed' WHERE sku = 'SKU-B'")
        .execute(&pool)
        .await
        .expect("a description may change");
}

/// The order path checks its references to master data once per statement: any row
/// naming something unknown refuses the whole statement, and the error names it.
#[tokio::test]
async fn order_path_references_to_unknown_master_data_refuse_the_whole_statement() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 5).await;
    let order = |channel: &str, pickup: &str| {
        format!(
            "INSERT INTO orders (channel, external_id, payload_hash, status, partial_policy,
                 pickup_location, placed_at)
             VALUES ('WEB', 'good', 'h', 'open', 'all_or_nothing', NULL, now()),
                    ('{channel}', 'bad', 'h', 'open', 'all_or_nothing', {pickup}, now())"
        )
    };
    let cases = [
        (order("NOPE", "NULL"), "channel NOPE"),
        (order("WEB", "'ST-404'"), "pickup_location ST-404"),
        (
            "INSERT INTO movements (idempotency_key, kind, sku, location, from_state, to_state,
                 quantity, channel, actor, event_time)
             VALUES ('m1', 'reservation', 'SKU-A', 'DC-1', 'available', 'reserved', 1, 'WEB',
                     't', now()),
                    ('m2', 'reservation', 'SKU-A', 'DC-1', 'available', 'reserved', 1, 'NOPE',
                     't', now())"
                .to_owned(),
            "channel NOPE",
        ),
    ];
    for (sql, named) in &cases {
        let err = sqlx::query(sql).execute(&pool).await.expect_err(sql);
        let text = err.to_string();
        assert!(text.contains(named) && text.contains("no such"), "{sql}: {text}");
    }
    let (orders, movements): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM movements)")
            .fetch_one(&pool)
            .await
            .expect("counts");
    assert_eq!((orders, movements), (0, 1), "only the receipt is recorded");

    // Lines and allocations of a real order.
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO orders (channel, external_id, payload_hash, status, partial_policy,
             placed_at)
         VALUES ('WEB', 'o1', 'h', 'open', 'all_or_nothing', now()) RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .expect("a valid order");
    let err = sqlx::query(
        "INSERT INTO order_lines (order_id, line_no, sku, quantity)
         VALUES ($1, 1, 'SKU-A', 1), ($1, 2, 'SKU-404', 1)",
    )
    .bind(id)
    .execute(&pool)
    .await
    .expect_err("unknown SKU");
    assert!(err.to_string().contains("sku SKU-404"), "{err}");
    sqlx::query(
        "INSERT INTO order_lines (order_id, line_no, sku, quantity) VALUES ($1, 1, 'SKU-A', 1)",
    )
    .bind(id)
    .execute(&pool)
    .await
    .expect("a valid line");
    let err = sqlx::query(
        "INSERT INTO allocations (order_id, line_no, sku, location, quantity, ship_day)
         VALUES ($1, 1, 'SKU-A', 'DC-404', 1, current_date)",
    )
    .bind(id)
    .execute(&pool)
    .await
    .expect_err("unknown location");
    assert!(err.to_string().contains("location DC-404"), "{err}");
    let err = sqlx::query("UPDATE orders SET channel = 'B2B' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .expect_err("channel fixed");
    assert!(err.to_string().contains("fixed once recorded"), "{err}");
}

/// An order's lines and decisions must name a recorded order, and its allocations a
/// recorded line; the check refuses the whole statement. Orders and lines are never
/// deleted and their keys never change, so nothing can be orphaned later.
#[tokio::test]
async fn order_rows_need_their_parent_and_parents_stay() {
    let pool = seeded_db().await;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO orders (channel, external_id, payload_hash, status, partial_policy,
             placed_at)
         VALUES ('WEB', 'o1', 'h', 'open', 'all_or_nothing', now()) RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .expect("a valid order");
    let missing = id + 1000;
    let cases = [
        (
            format!(
                "INSERT INTO order_lines (order_id, line_no, sku, quantity)
                 VALUES ({id}, 1, 'SKU-A', 1), ({missing}, 1, 'SKU-A', 1)"
            ),
            format!("order_id {missing}: no such orders"),
        ),
        (
            format!(
                "INSERT INTO routing_decisions (order_id, seq, rule, policy, explanation,
                     candidates)
                 VALUES ({missing}, 1, 'r', 'p', 'e', '{{}}')"
            ),
            format!("order_id {missing}: no such orders"),
        ),
        (
            format!(
                "INSERT INTO allocations (order_id, line_no, sku, location, quantity, ship_day)
                 VALUES ({id}, 7, 'SKU-A', 'DC-1', 1, current_date)"
            ),
            format!("{id}/7: no such order_lines"),
        ),
    ];
    for (sql, named) in &cases {
        let err = sqlx::query(sql).execute(&pool).await.expect_err(sql);
        assert!(err.to_string().contains(named.as_str()), "{sql}: {err}");
    }
    let lines: i64 = sqlx::query_scalar("SELECT count(*) FROM order_lines")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(lines, 0, "the valid line of the refused statement is not kept");

    sqlx::query(
        "INSERT INTO order_lines (order_id, line_no, sku, quantity) VALUES ($1, 1, 'SKU-A', 1)",
    )
    .bind(id)
    .execute(&pool)
    .await
    .expect("a valid line");
    for sql in [
        "DELETE FROM orders",
        "TRUNCATE orders CASCADE",
        "UPDATE orders SET id = id + 1",
        "DELETE FROM order_lines",
        "UPDATE order_lines SET line_no = 2",
    ] {
        let err = sqlx::query(sql).execute(&pool).await.expect_err(sql);
        assert!(err.to_string().contains("never deleted or re-keyed"), "{sql}: {err}");
    }
}
