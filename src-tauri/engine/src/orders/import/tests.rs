use chrono::TimeZone;

use super::*;

fn csv(body: &str) -> OrderFile {
    read(body.as_bytes(), "orders.csv", Format::Csv).expect("readable file")
}

fn json(body: &str) -> OrderFile {
    read(body.as_bytes(), "orders.json", Format::Json).expect("readable file")
}

fn reasons(file: &OrderFile) -> Vec<(u64, &str, &str)> {
    file.rejections.iter().map(|r| (r.row, r.field.as_str(), r.reason.as_str())).collect()
}

#[test]
fn csv_rows_of_one_order_become_its_lines() {
    let file = csv(
        "\u{feff}Channel,Order_ID,SKU,Quantity,unit_price,placed_at,customer_lat,customer_lon\n\
         WEB,W-1,A,2,1.50,2026-03-01 10:00:00,51.5,-0.1\n\
         WEB,W-2,B,1,,,,\n\
         WEB,W-1,B,3,2.00,,,\n\
         WEB,W-2,C,1,,2026-03-01 11:00:00,,\n",
    );
    assert!(file.rejections.is_empty(), "{:?}", file.rejections);
    assert_eq!(file.orders.len(), 2);
    let w1 = &file.orders[0];
    assert_eq!((w1.row, w1.order.external_id.as_str(), w1.order.lines.len()), (2, "W-1", 2));
    assert_eq!(w1.order.lines[1].quantity, 3);
    assert_eq!(w1.order.customer, Some((51.5, -0.1)));
    // 10:00 in London on 1 March (GMT) is 10:00 UTC.
    assert_eq!(w1.order.placed_at, Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap());
    assert_eq!(
        file.orders[1].order.placed_at,
        Utc.with_ymd_and_hms(2026, 3, 1, 11, 0, 0).unwrap(),
        "any row of the order may carry its order-level fields"
    );
    assert!(w1.order.confirmed);
}

#[test]
fn a_bad_csv_row_rejects_its_whole_order_and_names_row_and_field() {
    let file = csv("channel,order_id,sku,quantity,placed_at\n\
         WEB,W-1,A,2,2026-03-01T10:00:00Z\n\
         WEB,W-1,B,two,\n\
         WEB,W-2,A,1,2026-03-01T10:00:00Z\n\
         WEB,W-3,,1,2026-03-01T10:00:00Z\n\
         WEB,W-4,A,1,\n");
    assert_eq!(
        file.orders.iter().map(|o| o.order.external_id.as_str()).collect::<Vec<_>>(),
        vec!["W-2"],
        "only the order without bad rows is captured"
    );
    assert_eq!(
        reasons(&file),
        vec![
            (2, "order_id", "order WEB/W-1 not captured: row(s) 3 are invalid"),
            (3, "quantity", "'two' is not a whole number of units"),
            (5, "sku", "is empty"),
            (5, "order_id", "order WEB/W-3 not captured: row(s) 5 are invalid"),
            (6, "placed_at", "order WEB/W-4 has no placed_at on any row"),
        ]
    );
}

#[test]
fn rows_of_one_order_may_not_contradict_each_other() {
    let file = csv("channel,order_id,sku,quantity,placed_at,pickup_location\n\
         CLICK_COLLECT,C-1,A,1,2026-03-01 10:00:00,ST-001\n\
         CLICK_COLLECT,C-1,B,1,,ST-002\n");
    assert!(file.orders.is_empty());
    assert_eq!(file.rejections[1].field, "pickup_location");
    assert_eq!(file.rejections[1].reason, "differs from the order's earlier rows (from row 2)");
}

#[test]
fn a_csv_without_a_required_column_is_refused_whole() {
    let err = read("channel,sku,quantity\nWEB,A,1\n".as_bytes(), "x.csv", Format::Csv)
        .expect_err("no order_id column");
    assert!(err.to_string().contains("no 'order_id' column"), "{err}");
}

#[test]
fn json_arrays_and_json_lines_name_the_field_at_fault() {
    let good = r#"{"channel":"WEB","external_id":"W-1","placed_at":"2026-03-01T10:00:00Z",
                   "lines":[{"sku":"A","quantity":2,"unit_price":"1.50"}]}"#;
    let bad = r#"{"channel":"WEB","external_id":"W-2","placed_at":"2026-03-01T10:00:00Z",
                  "lines":[{"sku":"A","quantity":1},{"sku":"B","quantity":"x"}]}"#;
    let array = json(&format!("[{good},{bad}]"));
    assert_eq!(array.orders.len(), 1);
    assert_eq!(array.orders[0].order.lines[0].unit_price, Decimal::new(150, 2));
    assert_eq!(
        (array.rejections[0].row, array.rejections[0].field.as_str()),
        (2, "lines[1].quantity")
    );

    let lines =
        json(&format!("{}\n\n{}\n{{not json\n", good.replace('\n', " "), bad.replace('\n', " ")));
    assert_eq!(lines.orders.len(), 1);
    assert_eq!(
        lines.rejections.iter().map(|r| (r.row, r.field.as_str())).collect::<Vec<_>>(),
        vec![(3, "lines[1].quantity"), (4, "order")]
    );
}

#[test]
fn the_format_follows_the_file_name() {
    assert_eq!(Format::from_path(Path::new("a/orders.CSV")), Some(Format::Csv));
    assert_eq!(Format::from_path(Path::new("orders.jsonl")), Some(Format::Json));
    assert_eq!(Format::from_path(Path::new("orders.txt")), None);
}

#[test]
fn a_key_given_twice_or_a_time_without_its_offset_is_refused_by_name() {
    let twice = r#"{"channel":"WEB","external_id":"J-15","placed_at":"2026-03-01T10:00:00Z",
                    "lines":[{"sku":"A","quantity":1}],"external_id":"J-15b"}"#;
    let file = json(&twice.replace('\n', " "));
    assert!(file.orders.is_empty(), "the last key must not silently win");
    assert!(file.rejections[0].reason.contains("duplicate field `external_id`"), "{file:?}");

    let day_only = r#"{"channel":"WEB","external_id":"J-16","placed_at":"2026-03-01",
                       "lines":[{"sku":"A","quantity":1}]}"#;
    let file = json(&day_only.replace('\n', " "));
    let r = &file.rejections[0];
    assert_eq!(r.field, "placed_at");
    assert!(r.reason.contains("e.g. 2026-12-04T10:00:00Z"), "{}", r.reason);
}

#[test]
fn a_csv_quantity_past_one_line_is_refused_on_its_row() {
    let file = csv("channel,order_id,sku,quantity,placed_at\n\
                    WEB,W-1,A,1,2026-03-01 10:00:00\n\
                    WEB,W-1,B,5000000000000000000,2026-03-01 10:00:00\n");
    assert!(file.orders.is_empty(), "the order is not taken with a line missing");
    let all = reasons(&file);
    let (row, _, reason) =
        *all.iter().find(|r| r.1 == "quantity").unwrap_or_else(|| panic!("{all:?}"));
    assert_eq!(row, 3);
    assert!(reason.contains("more than the 1000000 one line may carry"), "{reason}");
}

#[test]
fn a_csv_column_given_twice_is_refused() {
    let err = read(
        "channel,order_id,sku,quantity,placed_at,Quantity\nWEB,W-1,A,1,2026-03-01 10:00:00,5\n"
            .as_bytes(),
        "orders.csv",
        Format::Csv,
    )
    .expect_err("two quantity columns");
    assert!(err.to_string().contains("column 'quantity' is given twice"), "{err}");
}

#[test]
fn a_london_time_the_clocks_skipped_is_named() {
    let file = csv("channel,order_id,sku,quantity,placed_at\nWEB,W-1,A,1,2026-03-29 01:30:00\n");
    let all = reasons(&file);
    assert!(
        all.iter().any(|r| r.1 == "placed_at" && r.2.contains("clocks went forward")),
        "{all:?}"
    );
}
