//! The UCI Online Retail replay through order orchestration: every sale invoice becomes
//! an order that is captured, reserved, routed and shipped. Its figures are reconciled
//! three ways: against the raw files, against the ledger's sale movements, and against
//! the fulfilment figures computed from the order tables.

mod common;

use std::path::Path;

use common::db;
use common::uci_counts::count_files;
use stockroom_engine::ledger;
use stockroom_engine::replay::{self, ReplayMode, ReplayOptions};

fn options(data_dir: &Path, from: &str, to: &str, mode: ReplayMode) -> ReplayOptions {
    ReplayOptions {
        data_dir: data_dir.to_path_buf(),
        from: replay::parse_day(from).expect("date"),
        to: replay::parse_day(to).expect("date"),
        actor: "test".into(),
        mode,
    }
}

#[tokio::test]
async fn a_month_of_invoices_as_orders_reconciles_with_the_files_and_the_ledger() {
    let Some(data) = common::shared_data() else { return };
    let pool = db().await;
    let opts = options(&data, "2010-12-01", "2010-12-31", ReplayMode::Orders);
    let files = count_files(&data, opts.from, opts.to);

    let summary = replay::load_demo(&pool, &opts, |_| {}).await.expect("replay");

    assert!(summary.rejected.is_empty(), "{:?}", summary.rejections);
    assert_eq!(summary.lines_read, files.lines);
    assert_eq!(summary.lines_applied, files.stock_lines);
    assert_eq!(summary.orders_captured, files.sale_invoices);
    assert_eq!(summary.units_ordered, files.sold);
    assert_eq!(
        (summary.units_returned, summary.units_written_off),
        (files.returned, files.written_off)
    );

    let f = summary.fulfilment.clone().expect("fulfilment figures for an order replay");
    println!("{f:#?}");
    assert_eq!(f.orders as u64, files.sale_invoices);
    assert_eq!(f.units_ordered, files.sold);
    assert_eq!(f.units_shipped, summary.units_sold, "the order tables agree with the dispatch");
    assert_eq!(f.units_open, 0, "every reservation was shipped at the end of its day");
    assert_eq!(f.orders_complete + f.orders_partial + f.orders_unfilled, f.orders);
    assert!(f.units_shipped <= f.units_ordered && f.units_shipped > 0);
    let shipped_by_fill = (f.fill_rate * f.units_ordered as f64).round() as i64;
    assert_eq!(shipped_by_fill, f.units_shipped);
    assert!(f.split_orders <= f.orders && f.shipments >= f.orders - f.orders_unfilled);
    assert!(f.average_distance_km > 0.0 && f.cost_per_order > rust_decimal::Decimal::ZERO);

    // Every C invoice went through the returns process: received at the hub, linked to
    // the customer's sale where one was shipped, graded and disposed.
    let r = summary.returns.clone().expect("returns figures for an order replay");
    println!("{r:#?}");
    assert_eq!(r.units, files.returned);
    let totals = r.totals.clone().expect("decisions");
    assert_eq!(totals.units + r.units_waiting, r.units, "decided or waiting, nothing lost");
    // Only returns whose decision would fall after the range (72 h at most) wait.
    let queue = stockroom_engine::returns::queue(&pool, None, false, 5000).await.expect("queue");
    let waiting: i64 = queue.iter().map(|q| q.units_waiting).sum();
    assert_eq!(waiting, r.units_waiting);
    let range_end = opts.to + chrono::Days::new(1);
    for q in &queue {
        let received = q.received_at.expect("received").date_naive();
        assert!(received + chrono::Days::new(3) >= range_end, "{q:?} should have been decided");
    }
    assert!(r.linked_lines > 0 && r.linked_lines <= r.lines, "{r:?}");
    let returned_on_orders: i64 =
        sqlx::query_scalar("SELECT coalesce(sum(returned), 0)::bigint FROM order_lines")
            .fetch_one(&pool)
            .await
            .expect("returned");
    let linked_units: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(quantity), 0)::bigint FROM return_lines WHERE order_id IS NOT NULL",
    )
    .fetch_one(&pool)
    .await
    .expect("linked units");
    assert_eq!(returned_on_orders, linked_units, "order lines count what came back against them");
    assert_eq!(summary.stock.return_pending, r.units_waiting, "the queue is what is pending");
    let rate = totals.recovery_rate.expect("returns had value");
    assert!(rate > 0.0 && rate < 1.0, "recovery rate {rate}");

    // Valued on the way: the stock ledger's value equals the GL at the end of the range,
    // every entry balances, and the month's figures come out of the journal.
    let last_day = opts.to;
    let recon = stockroom_engine::finance::reconcile::reconcile(&pool, last_day)
        .await
        .expect("reconciliation");
    assert_eq!(recon.difference, rust_decimal::Decimal::ZERO, "{:?}", recon.variances);
    assert!(recon.variances.is_empty(), "{:?}", recon.variances);
    assert!(recon.ledger_value > rust_decimal::Decimal::ZERO);
    let unbalanced: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT entry_id FROM journal_lines GROUP BY entry_id
                               HAVING sum(debit) <> sum(credit)) x",
    )
    .fetch_one(&pool)
    .await
    .expect("balance");
    assert_eq!(unbalanced, 0);
    let months = stockroom_engine::finance::journal::monthly(&pool).await.expect("monthly");
    println!("{months:#?}");
    let december = months.iter().find(|m| m.period.to_string() == "2010-12-01").expect("Dec");
    assert_eq!(december.stock_value, recon.ledger_value, "month-end value is the ledger's");
    assert!(
        december.cogs > rust_decimal::Decimal::ZERO
            && december.returns > rust_decimal::Decimal::ZERO
    );
    // Valued units agree with the positions they value.
    let (valued, held): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT coalesce(sum(quantity), 0) FROM cost_pools)::bigint,
                (SELECT coalesce(sum(available + reserved + quarantined + return_pending
                                     + in_transit), 0) FROM positions)::bigint",
    )
    .fetch_one(&pool)
    .await
    .expect("units");
    assert_eq!(valued, held, "every valued unit is a unit the ledger holds");

    // The ledger tells the same story: sale movements are exactly the shipped units.
    let sold_in_ledger: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(quantity), 0)::bigint FROM movements WHERE kind = 'sale'",
    )
    .fetch_one(&pool)
    .await
    .expect("sales");
    assert_eq!(sold_in_ledger, summary.units_sold);
    let unpriced: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM movements WHERE kind = 'sale' AND unit_price IS NULL",
    )
    .fetch_one(&pool)
    .await
    .expect("unpriced sales");
    assert_eq!(unpriced, 0, "a shipped sale carries its order line's price");
    assert_eq!(summary.stock.reserved, 0);
    let report = ledger::verify::run(&pool).await.expect("verify");
    assert!(report.drifts.is_empty(), "{:?}", report.drifts);

    // The same month again changes nothing; the other mode is refused outright.
    let again = replay::run(&pool, &opts, |_| {}).await.expect("second replay");
    assert_eq!((again.lines_applied, again.orders_captured, again.units_sold), (0, 0, 0));
    assert_eq!(again.stock, summary.stock);
    let direct = options(&data, "2010-12-01", "2010-12-31", ReplayMode::Direct);
    let err = replay::run(&pool, &direct, |_| {}).await.expect_err("mixing modes");
    assert!(err.to_string().contains("count its sales twice"), "{err}");
}
