//! Finance on a real PostgreSQL: a story per movement kind checking units, values and
//! journal lines; backdated entries revalue what they reach; periods; and the
//! reconciliation of the stock ledger with the GL.

mod common;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::seeded_db;
use rust_decimal::Decimal;
use sqlx::PgPool;
use stockroom_engine::finance::journal::{self, JournalFilter};
use stockroom_engine::finance::markdown::{self, MarkdownRequest};
use stockroom_engine::finance::periods::{self, PeriodStatus};
use stockroom_engine::finance::reconcile;
use stockroom_engine::intake::{self, Event};
use stockroom_engine::ledger::{
    insert_movements, Keyed, MovementKind as K, NewMovement, StockState as S,
};
use stockroom_engine::{testkit, EngineError};

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).single().expect("time")
}

fn mv(
    kind: K,
    location: &str,
    states: (Option<S>, Option<S>),
    qty: i64,
    when: DateTime<Utc>,
) -> NewMovement {
    testkit::movement(kind, "SKU-A", location, states, qty, when)
}

fn costed(m: NewMovement, cost: &str) -> NewMovement {
    NewMovement { unit_cost: Some(d(cost)), ..m }
}

async fn submit(pool: &PgPool, id: &str, movements: Vec<NewMovement>) {
    let event = Event {
        source: "test".into(),
        external_id: id.into(),
        payload: serde_json::json!({ "id": id }),
        movements,
    };
    intake::submit(pool, "test", &event).await.expect("applied");
}

/// (units, value) of SKU-A's pool at a location.
async fn pool(pool: &PgPool, location: &str, kind: &str) -> (i64, Decimal) {
    sqlx::query_as(
        "SELECT quantity, value FROM cost_pools
         WHERE sku = 'SKU-A' AND location = $1 AND pool = $2::cost_pool",
    )
    .bind(location)
    .bind(kind)
    .fetch_optional(pool)
    .await
    .expect("pool")
    .unwrap_or_default()
}

/// Balance (debits - credits) per account over the whole journal.
async fn balances(pool: &PgPool) -> Vec<(String, Decimal)> {
    journal::totals(pool, &JournalFilter::default())
        .await
        .expect("totals")
        .into_iter()
        .filter(|t| !t.balance.is_zero())
        .map(|t| (t.account, t.balance))
        .collect()
}

fn b(pairs: &[(&str, &str)]) -> Vec<(String, Decimal)> {
    pairs.iter().map(|(a, v)| (a.to_string(), d(v))).collect()
}

async fn assert_reconciled(pool: &PgPool, day: NaiveDate) {
    let r = reconcile::reconcile(pool, day).await.expect("reconciliation");
    assert_eq!(r.difference, Decimal::ZERO, "{r:#?}");
    assert!(r.variances.is_empty(), "{:?}", r.variances);
    let unbalanced: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT entry_id FROM journal_lines GROUP BY entry_id
                               HAVING sum(debit) <> sum(credit)) x",
    )
    .fetch_one(pool)
    .await
    .expect("balance check");
    assert_eq!(unbalanced, 0, "every entry balances");
}

#[tokio::test]
async fn each_movement_kind_moves_units_values_and_journal_lines() {
    let db = seeded_db().await;
    let (avail, none) = (Some(S::Available), None);

    // Receipts at two costs: 10 at 1.00 and 10 at 2.00 average 1.50.
    submit(&db, "r1", vec![costed(mv(K::Receipt, "DC-1", (none, avail), 10, at(2, 9)), "1.00")])
        .await;
    submit(&db, "r2", vec![costed(mv(K::Receipt, "DC-1", (none, avail), 10, at(3, 9)), "2.00")])
        .await;
    assert_eq!(pool(&db, "DC-1", "stock").await, (20, d("30.00")));
    assert_eq!(balances(&db).await, b(&[("1300", "30.00"), ("2100", "-30.00")]));

    // A sale of 3 relieves 4.50 to cost of goods sold.
    submit(&db, "s1", vec![mv(K::Sale, "DC-1", (avail, none), 3, at(4, 9))]).await;
    assert_eq!(pool(&db, "DC-1", "stock").await, (17, d("25.50")));

    // A customer return of 1 comes back at the average it left at.
    submit(&db, "ret1", vec![mv(K::Return, "DC-1", (none, Some(S::ReturnPending)), 1, at(5, 9))])
        .await;
    assert_eq!(pool(&db, "DC-1", "stock").await, (18, d("27.00")));

    // A transfer of 4 to the store: 6.00 leaves the DC into goods in transit, then into
    // the store's inventory when received.
    let out = NewMovement {
        reference: Some("TR-1".into()),
        ..mv(K::TransferOut, "DC-1", (avail, none), 4, at(6, 9))
    };
    let transit = NewMovement {
        reference: Some("TR-1".into()),
        ..mv(K::TransferOut, "ST-1", (none, Some(S::InTransit)), 4, at(6, 9))
    };
    // Keys follow the transfer convention (`:out` pairs with `:in-transit`).
    let key = |movement, k: &str| Keyed { movement, idempotency_key: k.into(), event_id: None };
    let mut conn = db.acquire().await.expect("conn");
    let legs = [key(&out, "tr:1:1:out"), key(&transit, "tr:1:1:in-transit")];
    insert_movements(&mut conn, "test", &legs).await.expect("transfer shipped");
    drop(conn);
    assert_eq!(pool(&db, "DC-1", "stock").await, (14, d("21.00")));
    assert_eq!(pool(&db, "ST-1", "transit").await, (4, d("6.00")));
    submit(
        &db,
        "tr1-in",
        vec![mv(K::TransferIn, "ST-1", (Some(S::InTransit), avail), 4, at(7, 9))],
    )
    .await;
    assert_eq!(pool(&db, "ST-1", "transit").await, (0, d("0.00")));
    assert_eq!(pool(&db, "ST-1", "stock").await, (4, d("6.00")));

    // A write-off to damaged at the store: 2 units leave value (damaged carries none).
    submit(&db, "w1", vec![mv(K::WriteOff, "ST-1", (avail, Some(S::Damaged)), 2, at(8, 9))]).await;
    assert_eq!(pool(&db, "ST-1", "stock").await, (2, d("3.00")));

    // A supplier return of 2 from the DC leaves at average cost (3.00); the supplier
    // credits its receipt price (1.20 each), and the difference is price variance.
    let rtv = costed(mv(K::VendorReturn, "DC-1", (avail, none), 2, at(9, 9)), "1.20");
    submit(&db, "v1", vec![rtv]).await;
    assert_eq!(pool(&db, "DC-1", "stock").await, (12, d("18.00")));

    assert_eq!(
        balances(&db).await,
        b(&[
            ("1300", "18.00"),
            ("1310", "3.00"),
            ("1400", "2.40"),
            ("2100", "-30.00"),
            ("5000", "4.50"),
            ("5010", "-1.50"),
            ("5100", "3.00"),
            ("5300", "0.60"),
        ])
    );
    assert_reconciled(&db, NaiveDate::from_ymd_opt(2026, 3, 31).expect("day")).await;
    // As of the 6th, the transfer is still in transit.
    let r = reconcile::reconcile(&db, NaiveDate::from_ymd_opt(2026, 3, 6).expect("day"))
        .await
        .expect("reconciliation");
    let git = r.by_location.iter().find(|x| x.account == "1350").expect("in transit");
    assert_eq!((git.ledger_value, git.gl_value, git.units), (d("6.00"), d("6.00"), 4));
}

#[tokio::test]
async fn a_markdown_revalues_units_on_hand_and_posts_the_difference() {
    let db = seeded_db().await;
    let (avail, none) = (Some(S::Available), None);
    submit(&db, "r1", vec![costed(mv(K::Receipt, "ST-1", (none, avail), 10, at(2, 9)), "2.00")])
        .await;
    let request = MarkdownRequest {
        sku: "SKU-A".into(),
        location: "ST-1".into(),
        units: 4,
        unit_cost: d("1.50"),
        reference: "MD-1".into(),
        at: at(3, 9),
    };
    let outcome = markdown::markdown(&db, "finance", &request).await.expect("marked down");
    assert_eq!(
        (outcome.value_before, outcome.value_after, outcome.markdown),
        (d("8.00"), d("6.00"), d("2.00"))
    );
    assert_eq!(pool(&db, "ST-1", "stock").await, (10, d("18.00")), "units stay, value drops");
    assert_eq!(balances(&db).await, b(&[("1310", "18.00"), ("2100", "-20.00"), ("5200", "2.00")]));
    let units: i64 = sqlx::query_scalar("SELECT available FROM positions WHERE location = 'ST-1'")
        .fetch_one(&db)
        .await
        .expect("position");
    assert_eq!(units, 10);

    let again = markdown::markdown(&db, "finance", &request).await.expect("a repeat");
    assert!(again.repeat && again.markdown == d("2.00"), "{again:?}");
    let other = MarkdownRequest { units: 3, ..request.clone() };
    let err = markdown::markdown(&db, "finance", &other).await.expect_err("reference reused");
    assert!(err.to_string().contains("already used for a different markdown"), "{err}");
    let up = MarkdownRequest { reference: "MD-2".into(), unit_cost: d("5.00"), ..request.clone() };
    let err = markdown::markdown(&db, "finance", &up).await.expect_err("not a markdown");
    assert!(err.to_string().contains("field unit_cost: a markdown lowers the cost"), "{err}");

    // More units than are available: refused by the ledger, nothing recorded.
    let many = MarkdownRequest { reference: "MD-3".into(), units: 11, ..request.clone() };
    let err = markdown::markdown(&db, "finance", &many).await.expect_err("beyond stock");
    assert!(err.to_string().contains("field units: only available units"), "{err}");
    assert!(err.to_string().contains("has 10 available; 11 requested"), "{err}");
    let unknown = MarkdownRequest { reference: "MD-4".into(), sku: "NOPE".into(), ..request };
    let err = markdown::markdown(&db, "finance", &unknown).await.expect_err("unknown SKU");
    assert!(err.to_string().contains("field sku: NOPE is not in the catalogue"), "{err}");
    assert_eq!(pool(&db, "ST-1", "stock").await, (10, d("18.00")), "the refusals changed nothing");
    assert_reconciled(&db, NaiveDate::from_ymd_opt(2026, 3, 31).expect("day")).await;
}

#[tokio::test]
async fn a_backdated_receipt_revalues_later_sales_and_posts_corrections() {
    let db = seeded_db().await;
    let (avail, none) = (Some(S::Available), None);
    submit(&db, "r1", vec![costed(mv(K::Receipt, "DC-1", (none, avail), 10, at(2, 9)), "1.00")])
        .await;
    submit(&db, "s1", vec![mv(K::Sale, "DC-1", (avail, none), 5, at(10, 9))]).await;
    assert_eq!(balances(&db).await, b(&[("1300", "5.00"), ("2100", "-10.00"), ("5000", "5.00")]));

    // Keyed later, dated before the sale: the sale now leaves at (10 + 30) / 20 = 2.00.
    submit(&db, "r0", vec![costed(mv(K::Receipt, "DC-1", (none, avail), 10, at(5, 9)), "3.00")])
        .await;
    assert_eq!(pool(&db, "DC-1", "stock").await, (15, d("30.00")));
    assert_eq!(balances(&db).await, b(&[("1300", "30.00"), ("2100", "-40.00"), ("5000", "10.00")]));
    let corrections: Vec<(String, Decimal)> = sqlx::query_as(
        "SELECT l.account, l.debit - l.credit FROM journal_entries e
         JOIN journal_lines l ON l.entry_id = e.id WHERE e.kind = 'correction' ORDER BY 1",
    )
    .fetch_all(&db)
    .await
    .expect("corrections");
    assert_eq!(corrections, b(&[("1300", "-5.00"), ("5000", "5.00")]), "a new entry, not an edit");
    assert_reconciled(&db, NaiveDate::from_ymd_opt(2026, 3, 31).expect("day")).await;
}

#[tokio::test]
async fn closed_periods_refuse_postings_and_close_only_in_order_after_reconciling() {
    let db = seeded_db().await;
    let (avail, none) = (Some(S::Available), None);
    let feb = Utc.with_ymd_and_hms(2026, 2, 10, 9, 0, 0).single().expect("time");
    submit(&db, "r1", vec![costed(mv(K::Receipt, "DC-1", (none, avail), 10, feb), "1.00")]).await;
    submit(&db, "r2", vec![costed(mv(K::Receipt, "DC-1", (none, avail), 10, at(2, 9)), "1.00")])
        .await;

    let march = NaiveDate::from_ymd_opt(2026, 3, 1).expect("day");
    let err = periods::close(&db, "finance", march).await.expect_err("February is open");
    assert!(err.to_string().contains("2026-02 is still open"), "{err}");
    let closed = periods::close(&db, "finance", NaiveDate::from_ymd_opt(2026, 2, 1).expect("d"))
        .await
        .expect("closed");
    assert_eq!(closed.status, PeriodStatus::Closed);
    assert_eq!(closed.reconciliation.difference, Decimal::ZERO);

    // Backdating into February is refused, and leaves nothing behind.
    let late = Utc.with_ymd_and_hms(2026, 2, 20, 9, 0, 0).single().expect("time");
    let event = Event {
        source: "test".into(),
        external_id: "late".into(),
        payload: serde_json::json!({ "id": "late" }),
        movements: vec![mv(K::Sale, "DC-1", (avail, none), 1, late)],
    };
    let err = intake::submit(&db, "test", &event).await.expect_err("closed period");
    let EngineError::InvalidInput(msg) = err else { panic!("a clear refusal, got {err:?}") };
    assert!(msg.contains("period 2026-02 is closed"), "{msg}");
    assert_eq!(pool(&db, "DC-1", "stock").await, (20, d("20.00")));
    let positions: i64 = sqlx::query_scalar("SELECT available FROM positions WHERE sku = 'SKU-A'")
        .fetch_one(&db)
        .await
        .expect("position");
    assert_eq!(positions, 20, "the movement was not recorded either");

    // A month before the closed one that has no period yet is closed too.
    let january = Utc.with_ymd_and_hms(2026, 1, 20, 9, 0, 0).single().expect("time");
    let event = Event {
        external_id: "older".into(),
        movements: vec![costed(mv(K::Receipt, "DC-1", (none, avail), 1, january), "1.00")],
        ..event
    };
    let err = intake::submit(&db, "test", &event).await.expect_err("before a closed period");
    let EngineError::InvalidInput(msg) = err else { panic!("a clear refusal, got {err:?}") };
    assert!(msg.contains("period 2026-01 is closed: it comes before 2026-02"), "{msg}");
    let months: Vec<NaiveDate> = sqlx::query_scalar("SELECT month FROM periods ORDER BY month")
        .fetch_all(&db)
        .await
        .expect("periods");
    assert_eq!(months.first(), Some(&NaiveDate::from_ymd_opt(2026, 2, 1).expect("d")));
}

#[tokio::test]
async fn a_tampered_gl_shows_as_a_variance_and_blocks_the_close() {
    let db = seeded_db().await;
    let (avail, none) = (Some(S::Available), None);
    submit(&db, "r1", vec![costed(mv(K::Receipt, "DC-1", (none, avail), 10, at(2, 9)), "1.00")])
        .await;
    // A manual entry straight into the inventory account, outside the stock ledger.
    sqlx::raw_sql(
        "INSERT INTO journal_entries (id, kind, event_time, period, memo)
         VALUES (999, 'posting', '2026-03-03T09:00:00Z', '2026-03-01', 'manual');
         INSERT INTO journal_lines VALUES (999, 1, '1300', 'SKU-A', 'DC-1', 2.00, 0),
                                          (999, 2, '5100', 'SKU-A', 'DC-1', 0, 2.00);",
    )
    .execute(&db)
    .await
    .expect("manual entry");
    let outcome = periods::close(&db, "finance", NaiveDate::from_ymd_opt(2026, 3, 1).expect("d"))
        .await
        .expect("close attempted");
    assert_eq!(outcome.status, PeriodStatus::Open, "a period with a difference stays open");
    assert_eq!(outcome.reconciliation.difference, d("-2.00"));
    assert_eq!(outcome.exceptions_raised, 1);
    let owner: String = sqlx::query_scalar(
        "SELECT owner FROM stock_exceptions WHERE kind = 'valuation_variance' AND amount = -2.00",
    )
    .fetch_one(&db)
    .await
    .expect("exception");
    assert_eq!(owner, "finance");
}
