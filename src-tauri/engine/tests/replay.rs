//! The UCI Online Retail replay, reconciled against counts computed here independently
//! from the raw files, and bad input refused row by row without losing the good rows.

mod common;

use std::io::Write;
use std::path::Path;

use common::db;
use common::uci_counts::{count_files, Expected};
use stockroom_engine::ledger::{self, position};
use stockroom_engine::replay::{self, ReplayMode, ReplayOptions, ReplaySummary};

fn options(data_dir: &Path, from: &str, to: &str) -> ReplayOptions {
    ReplayOptions {
        data_dir: data_dir.to_path_buf(),
        from: replay::parse_day(from).expect("date"),
        to: replay::parse_day(to).expect("date"),
        actor: "test".into(),
        mode: ReplayMode::Direct,
    }
}

fn observed(s: &ReplaySummary) -> Expected {
    Expected {
        lines: s.lines_read,
        non_stock: s.non_stock.iter().map(|c| (c.reason.clone(), c.lines)).collect(),
        stock_lines: s.lines_applied,
        sold: s.units_sold,
        returned: s.units_returned,
        written_off: s.units_written_off,
        // Direct replays count lines, not invoices.
        sale_invoices: 0,
    }
}

#[tokio::test]
async fn a_month_of_invoices_reconciles_exactly_and_positions_equal_the_ledger() {
    let Some(data) = common::shared_data() else { return };
    let pool = db().await;
    let opts = options(&data, "2011-03-01", "2011-03-31");

    let summary = replay::load_demo(&pool, &opts, |_| {}).await.expect("replay");

    let expected = Expected { sale_invoices: 0, ..count_files(&data, opts.from, opts.to) };
    assert_eq!(observed(&summary), expected);
    assert!(summary.rejected.is_empty(), "{:?}", summary.rejections);
    assert_eq!(summary.days, 27);
    let report = ledger::verify::run(&pool).await.expect("verify");
    assert!(report.drifts.is_empty(), "{:?}", report.drifts);
    assert_eq!(summary.stock.return_pending, summary.units_returned);
    assert!(summary.stock.on_hand > 0 && summary.units_received > summary.units_sold);

    // The same range again: every stock line is skipped as already applied.
    let again = replay::run(&pool, &opts, |_| {}).await.expect("second replay");
    assert_eq!(again.lines_applied, 0);
    assert_eq!(again.skipped.iter().map(|c| c.lines).sum::<u64>(), summary.lines_applied);
    assert_eq!(again.stock, summary.stock);
}

#[tokio::test]
async fn stock_sits_mostly_in_the_two_dcs_after_a_replay() {
    let Some(data) = common::shared_data() else { return };
    let pool = db().await;
    replay::load_demo(&pool, &options(&data, "2010-12-01", "2010-12-10"), |_| {})
        .await
        .expect("replay");
    let page = position::page(&pool, &Default::default()).await.expect("page");
    assert!(page.total > 1000, "{} positions", page.total);
    let dc: i64 = sqlx::query_scalar(
        "SELECT sum(on_hand + inbound)::bigint FROM positions WHERE location LIKE 'DC-%'",
    )
    .fetch_one(&pool)
    .await
    .expect("dc stock");
    let all: i64 = sqlx::query_scalar("SELECT sum(on_hand + inbound)::bigint FROM positions")
        .fetch_one(&pool)
        .await
        .expect("all stock");
    assert!(dc * 100 > all * 60, "DCs hold {dc} of {all}");
}

const NETWORK: &str = "code,kind,name,town,latitude,longitude,town_population,ships_orders,\
offers_pickup,daily_pick_capacity,carrier_cutoff_local
DC-SOUTH,distribution_centre,South DC,Milton Keynes,52.04,-0.75,256385,true,false,20000,18:00
RET-HUB,returns_hub,Returns,Peterborough,52.57,-0.24,163379,false,false,0,
ST-001,store,London store,London,51.50,-0.12,8961989,true,true,150,16:00
";

const DAY: &str =
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
1001,SKU1,LANTERN,6,2011-01-04 09:00:00,2.55,17850.0,United Kingdom
1002,,NO CODE,6,2011-01-04 09:05:00,1.00,17850.0,United Kingdom
1003,SKU2,CANDLE,lots,2011-01-04 09:10:00,1.00,17850.0,United Kingdom
1004,SKU2,CANDLE,2,04/01/2011 09:15,1.00,17850.0,United Kingdom
C1005,SKU1,LANTERN,-1,2011-01-04 10:00:00,2.55,17850.0,United Kingdom
1006,POST,POSTAGE,1,2011-01-04 10:05:00,18.00,12583.0,France
1007,SKU2,CANDLE,3,2011-01-04 11:00:00,1.00,,Germany
";

fn write_gz(path: &Path, text: &str) {
    let file = std::fs::File::create(path).expect("create");
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    gz.write_all(text.as_bytes()).expect("write");
    gz.finish().expect("finish");
}

#[tokio::test]
async fn bad_rows_are_rejected_by_row_and_field_while_good_rows_apply() {
    let dir = std::env::temp_dir().join(format!("stockroom-bad-rows-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("online-retail/by-day")).expect("dirs");
    std::fs::create_dir_all(dir.join("network")).expect("dirs");
    std::fs::write(dir.join("network/gb-network.csv"), NETWORK).expect("network");
    write_gz(&dir.join("online-retail/by-day/2011-01-04.csv.gz"), DAY);
    let pool = db().await;

    let s = replay::load_demo(&pool, &options(&dir, "2011-01-01", "2011-01-31"), |_| {})
        .await
        .expect("replay runs despite bad rows");

    let rejected: Vec<(u64, &str)> =
        s.rejections.iter().map(|r| (r.row, r.field.as_str())).collect();
    assert_eq!(rejected, vec![(3, "StockCode"), (4, "Quantity"), (5, "InvoiceDate")]);
    assert!(s.rejections[1].reason.contains("'lots' is not a whole number"));
    assert_eq!((s.lines_read, s.lines_applied), (7, 3));
    assert_eq!((s.units_sold, s.units_returned), (9, 1));
    assert_eq!(s.non_stock.iter().map(|c| c.lines).sum::<u64>(), 1);
    let returns = position::one(&pool, "SKU1", "RET-HUB").await.expect("read").expect("exists");
    assert_eq!(returns.return_pending, 1);
    std::fs::remove_dir_all(&dir).ok();
}
