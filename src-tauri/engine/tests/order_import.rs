//! Order files captured through the engine and the command line: readable orders are
//! reserved, an order with one bad row is not captured at all, and every refusal names
//! its row, field and reason.

mod common;

use std::process::Command;

use common::{receive, seeded_db};
use sqlx::PgPool;
use stockroom_engine::ledger::{position, verify};
use stockroom_engine::orders::import::{self, Format};

const FILE: &str = "channel,order_id,sku,quantity,placed_at,unit_price,customer_lat,customer_lon\n\
                    WEB,W-1,SKU-A,2,2026-01-02 10:00:00,4.00,52.1,-1.2\n\
                    WEB,W-1,SKU-B,1,,3.00,52.1,-1.2\n\
                    WEB,W-2,SKU-A,3,2026-01-02 10:05:00,4.00,,\n\
                    WEB,W-2,SKU-B,lots,,3.00,,\n\
                    MARKETPLACE,M-1,SKU-A,40,2026-01-02 10:10:00,4.00,,\n\
                    B2B,B-1,SKU-Z,1,2026-01-02 10:15:00,1.00,,\n";

async fn reserved(pool: &PgPool, sku: &str) -> i64 {
    position::one(pool, sku, "DC-1").await.expect("read").map_or(0, |p| p.reserved)
}

async fn order_ids(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar("SELECT external_id FROM orders ORDER BY external_id")
        .fetch_all(pool)
        .await
        .expect("orders")
}

#[tokio::test]
async fn a_file_with_bad_rows_captures_only_the_whole_valid_orders() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    receive(&pool, "r2", "SKU-B", "DC-1", 10).await;

    let parsed = import::read(FILE.as_bytes(), "orders.csv", Format::Csv).expect("read");
    let report = import::capture_file(&pool, "test", "orders.csv", parsed).await;

    assert_eq!((report.orders_read, report.reserved, report.not_reservable), (3, 1, 1));
    let rejected: Vec<(u64, &str)> =
        report.rejections.iter().map(|r| (r.row, r.field.as_str())).collect();
    assert_eq!(rejected, vec![(4, "order_id"), (5, "quantity"), (7, "sku")]);
    assert!(report.rejections[2].reason.contains("SKU-Z is not in the catalogue"));
    // W-1 reserved whole; W-2 (a bad row) absent; M-1 (40 > 10) kept as rejected.
    assert_eq!(order_ids(&pool).await, vec!["M-1", "W-1"]);
    assert_eq!((reserved(&pool, "SKU-A").await, reserved(&pool, "SKU-B").await), (2, 1));

    // The same file again changes nothing.
    let again = import::read(FILE.as_bytes(), "orders.csv", Format::Csv).expect("read");
    let report = import::capture_file(&pool, "test", "orders.csv", again).await;
    assert_eq!((report.reserved, report.duplicates), (0, 2));
    assert_eq!(reserved(&pool, "SKU-A").await, 2);
    assert!(verify::run(&pool).await.expect("verify").drifts.is_empty());
}

#[tokio::test]
async fn a_refused_line_of_a_csv_order_is_named_by_its_own_row() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    let file = "channel,order_id,sku,quantity,placed_at\n\
                WEB,W-1,SKU-A,1,2026-01-02 10:00:00\n\
                WEB,W-1,SKU-A,1,\n\
                WEB,W-1,SKU-Z,1,\n";
    let parsed = import::read(file.as_bytes(), "orders.csv", Format::Csv).expect("read");
    let report = import::capture_file(&pool, "test", "orders.csv", parsed).await;
    let rejected: Vec<(u64, &str)> =
        report.rejections.iter().map(|r| (r.row, r.field.as_str())).collect();
    assert_eq!(rejected, vec![(4, "sku")], "the unknown SKU is on row 4, not the order's first");
    assert!(order_ids(&pool).await.is_empty(), "the order is not taken without its line");
    assert_eq!(reserved(&pool, "SKU-A").await, 0);
}

/// A database URL for the command line that reaches the test database over its socket.
fn database_url(pool: &PgPool) -> String {
    let o = pool.connect_options();
    let socket = o.get_socket().expect("the test cluster listens on a socket");
    format!(
        "postgres://{}@localhost:{}/{}?host={}",
        o.get_username(),
        o.get_port(),
        o.get_database().expect("a database"),
        socket.display()
    )
}

/// Runs the command line against the test database; returns (success, stdout, stderr).
fn cli(pool: &PgPool, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_stockroom-cli"))
        .args(args)
        .env("STOCKROOM_DATABASE_URL", database_url(pool))
        .output()
        .expect("run the CLI");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

/// Writes `contents` to a file of its own in a fresh temporary folder; returns the
/// folder (to remove) and the file's path.
fn temp_file(name: &str, contents: &str) -> (std::path::PathBuf, String) {
    let n: u64 = rand::random();
    let dir = std::env::temp_dir().join(format!("stockroom-cli-{}-{n:x}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(name);
    std::fs::write(&file, contents).expect("write file");
    let path = file.to_str().expect("a UTF-8 path").to_owned();
    (dir, path)
}

#[tokio::test]
async fn the_command_line_captures_a_json_file_and_reports_rejections() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 5).await;
    let (dir, file) = temp_file(
        "orders.json",
        r#"[{"channel":"WEB","external_id":"J-1","placed_at":"2026-01-02T10:00:00Z",
             "lines":[{"sku":"SKU-A","quantity":2,"unit_price":"4.00"}]},
            {"channel":"WEB","external_id":"J-2","placed_at":"2026-01-02T10:00:00Z",
             "lines":[{"sku":"SKU-A","quantity":-1}]}]"#,
    );
    let (ok, stdout, _) = cli(&pool, &["orders", "capture", &file]);
    assert!(!ok, "a file with rejections exits non-zero: {stdout}");
    assert!(stdout.contains("2 orders read; 1 reserved"), "{stdout}");
    assert!(
        stdout.contains(
            "row 2 field lines[0].quantity: order J-2 line 1: quantity must be a positive"
        ),
        "{stdout}"
    );
    assert_eq!(reserved(&pool, "SKU-A").await, 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn the_command_line_ships_part_of_an_order_and_a_cancellation_releases_the_rest() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 10).await;
    let (dir, file) = temp_file(
        "orders.csv",
        "channel,order_id,sku,quantity,placed_at\nWEB,P-1,SKU-A,5,2026-01-02 10:00:00\n",
    );
    let (ok, stdout, _) = cli(&pool, &["orders", "capture", &file]);
    assert!(ok, "{stdout}");
    let id: i64 = sqlx::query_scalar("SELECT id FROM orders WHERE external_id = 'P-1'")
        .fetch_one(&pool)
        .await
        .expect("captured");
    let id = id.to_string();

    let (ok, stdout, stderr) = cli(&pool, &["orders", "ship", &id, "--line", "1:3"]);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("3 units shipped, now partially_shipped"), "{stdout}");
    let (ok, _, stderr) = cli(&pool, &["orders", "ship", &id, "--line", "1:9"]);
    assert!(!ok && stderr.contains("9 to ship but 2 reserved"), "{stderr}");
    let (ok, _, stderr) = cli(&pool, &["orders", "list", "--limit", "0"]);
    assert!(!ok && stderr.contains("not in 1..=1000"), "{stderr}");
    let (ok, _, stderr) = cli(&pool, &["orders", "cancel", &id, "--reason", ""]);
    assert!(!ok && stderr.contains("needs a reason"), "{stderr}");
    let (ok, stdout, _) = cli(&pool, &["orders", "cancel", &id, "--reason", "customer"]);
    assert!(ok && stdout.contains("2 units released"), "{stdout}");
    assert_eq!(reserved(&pool, "SKU-A").await, 0);
    assert_eq!(
        position::one(&pool, "SKU-A", "DC-1").await.expect("read").map(|p| p.on_hand),
        Some(7)
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Misnamed data is refused, never dropped: an unknown JSON field fails its order (the
/// others are captured), an unknown CSV column fails the file before anything is read.
#[tokio::test]
async fn unknown_fields_and_columns_are_refused_not_ignored() {
    let pool = seeded_db().await;
    receive(&pool, "r1", "SKU-A", "DC-1", 5).await;
    // One order per line: J-2 has an unknown order field, J-3 an unknown line field.
    let order = |id: &str, extra: &str, line_extra: &str| {
        format!(
            r#"{{"channel":"WEB","external_id":"{id}","placed_at":"2026-01-02T10:00:00Z"{extra},"#
        ) + &format!(r#""lines":[{{"sku":"SKU-A","quantity":1{line_extra}}}]}}"#)
    };
    let json = [
        order("J-1", "", ""),
        order("J-2", r#","customer_lat":51.5"#, ""),
        order("J-3", "", r#","unit_prise":"2.00""#),
    ]
    .join("\n");
    let parsed = import::read(json.as_bytes(), "orders.jsonl", Format::Json).expect("read");
    let report = import::capture_file(&pool, "test", "orders.jsonl", parsed).await;
    let rejected: Vec<(u64, String)> =
        report.rejections.iter().map(|r| (r.row, r.reason.clone())).collect();
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert_eq!(rejected[0].0, 2);
    assert!(rejected[0].1.contains("unknown field `customer_lat`"), "{rejected:?}");
    assert_eq!(rejected[1].0, 3);
    assert!(rejected[1].1.contains("unknown field `unit_prise`"), "{rejected:?}");
    assert_eq!(order_ids(&pool).await, vec!["J-1"]);
    let confirmed: bool = sqlx::query_scalar("SELECT expires_at IS NULL FROM orders")
        .fetch_one(&pool)
        .await
        .expect("order");
    assert!(confirmed, "an order is confirmed unless it says otherwise, as in CSV");

    let csv = "channel,order_id,sku,quantity,placed_at,unit_prise\n\
               WEB,C-1,SKU-A,1,2026-01-02 10:00:00,2.00\n";
    let err = import::read(csv.as_bytes(), "orders.csv", Format::Csv).expect_err("unknown column");
    assert!(err.to_string().contains("column 'unit_prise' is not one Stockroom reads"), "{err}");
}
