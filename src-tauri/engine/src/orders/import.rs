//! Order files from channels and partners: JSON (an array of orders, or one order per
//! line) or CSV (one row per order line, rows of one order sharing channel and order id).
//!
//! Reading never guesses: a row that cannot be read is rejected with its row, field and
//! reason, and the order it belongs to is not captured at all, so no order is ever taken
//! with a line missing. Every other order is captured as usual.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Europe::London;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::value::RawValue;
use specta::Type;
use sqlx::PgPool;

use super::{capture_batch, CaptureOutcome, OrderLineRequest, OrderRequest, PartialPolicy};
use crate::error::{EngineError, Result};
use crate::rejection::Rejection;

/// Orders captured per transaction when importing a file.
const CAPTURE_CHUNK: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    /// The format a file name implies (`.json`, `.jsonl`, `.ndjson`, `.csv`).
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" | "jsonl" | "ndjson" => Some(Self::Json),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }
}

/// An order read from a file, with the row it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct FileOrder {
    pub row: u64,
    /// The row of each line, where lines have rows of their own (CSV); empty when the
    /// whole order is one row.
    pub line_rows: Vec<u64>,
    pub order: OrderRequest,
}

impl FileOrder {
    /// The row a refusal points at: the refused line's own row when the field names a
    /// line (`lines[3].sku`) that has one, else the order's first row.
    fn row_of(&self, err: &EngineError) -> u64 {
        let line = match err {
            EngineError::InvalidField { field, .. } => field
                .strip_prefix("lines[")
                .and_then(|rest| rest.split(']').next())
                .and_then(|n| n.parse::<usize>().ok()),
            _ => None,
        };
        line.and_then(|i| self.line_rows.get(i).copied()).unwrap_or(self.row)
    }
}

#[derive(Debug, Clone, Default)]
pub struct OrderFile {
    pub orders: Vec<FileOrder>,
    pub rejections: Vec<Rejection>,
    /// CSV files name a refused field by its column, JSON files by its path.
    pub csv: bool,
}

/// What importing a file did, order by order.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ImportReport {
    pub file: String,
    pub orders_read: u64,
    pub reserved: u64,
    /// Orders taken but refused for want of stock (kept as rejected orders).
    pub not_reservable: u64,
    pub duplicates: u64,
    pub outcomes: Vec<ImportedOrder>,
    /// Rows and orders that were not captured, with the reason.
    pub rejections: Vec<Rejection>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ImportedOrder {
    pub channel: String,
    pub external_id: String,
    pub outcome: CaptureOutcome,
}

/// Reads an order file.
pub fn read(reader: impl Read, file: &str, format: Format) -> Result<OrderFile> {
    match format {
        Format::Json => read_json(reader, file),
        Format::Csv => read_csv(reader, file),
    }
}

/// The field a capture refusal names: the JSON path (`lines[1].sku`), or for a CSV file
/// the column (`sku`); "order" when the refusal is about the order as a whole.
fn refused_field(err: &EngineError, csv: bool) -> String {
    match err {
        EngineError::InvalidField { field, .. } if csv => {
            let column = field.rsplit('.').next().unwrap_or(field);
            match column {
                "external_id" => "order_id".to_owned(),
                "customer" => "customer_lat".to_owned(),
                other => other.to_owned(),
            }
        }
        EngineError::InvalidField { field, .. } => field.clone(),
        _ => "order".to_owned(),
    }
}

/// Reads and captures a file: each readable order goes through capture as if its
/// channel had sent it; the report lists what happened to every order and row.
pub async fn capture_file(
    pool: &PgPool,
    actor: &str,
    file: &str,
    parsed: OrderFile,
) -> ImportReport {
    let mut report = ImportReport {
        file: file.to_owned(),
        orders_read: (parsed.orders.len()) as u64,
        reserved: 0,
        not_reservable: 0,
        duplicates: 0,
        outcomes: Vec::new(),
        rejections: parsed.rejections,
    };
    for chunk in parsed.orders.chunks(CAPTURE_CHUNK) {
        let orders: Vec<OrderRequest> = chunk.iter().map(|o| o.order.clone()).collect();
        let outcomes = capture_batch(pool, actor, &orders).await;
        for (read, outcome) in chunk.iter().zip(outcomes) {
            match outcome {
                Ok(outcome) => {
                    match outcome {
                        CaptureOutcome::Reserved { .. } => report.reserved += 1,
                        CaptureOutcome::Rejected { .. } => report.not_reservable += 1,
                        CaptureOutcome::Duplicate { .. } => report.duplicates += 1,
                    }
                    report.outcomes.push(ImportedOrder {
                        channel: read.order.channel.clone(),
                        external_id: read.order.external_id.clone(),
                        outcome,
                    });
                }
                Err(err) => report.rejections.push(Rejection {
                    file: file.to_owned(),
                    row: read.row_of(&err),
                    field: refused_field(&err, parsed.csv),
                    reason: err.user_message(),
                }),
            }
        }
    }
    report.rejections.sort_by_key(|r| r.row);
    report
}

fn read_json(mut reader: impl Read, file: &str) -> Result<OrderFile> {
    let mut text = String::new();
    reader.read_to_string(&mut text).map_err(|e| {
        EngineError::InvalidInput(format!("{file}: not readable as UTF-8 text: {e}"))
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let mut out = OrderFile::default();
    let reject = |row: u64, field: String, reason: String| Rejection {
        file: file.to_owned(),
        row,
        field,
        reason,
    };
    if text.trim_start().starts_with('[') {
        // An array: "row" is the order's position in it, counted from 1.
        let values: Vec<Box<RawValue>> = serde_json::from_str(text).map_err(|e| {
            EngineError::InvalidInput(format!("{file}: not a JSON array of orders: {e}"))
        })?;
        for (i, value) in values.iter().enumerate() {
            let row = i as u64 + 1;
            match order_from_json(value.get()) {
                Ok(order) => out.orders.push(FileOrder { row, line_rows: Vec::new(), order }),
                Err((field, reason)) => out.rejections.push(reject(row, field, reason)),
            }
        }
    } else {
        // JSON Lines: one order per line; blank lines are allowed.
        for (i, line) in text.lines().enumerate() {
            let row = i as u64 + 1;
            if line.trim().is_empty() {
                continue;
            }
            match order_from_json(line) {
                Ok(order) => out.orders.push(FileOrder { row, line_rows: Vec::new(), order }),
                Err((field, reason)) => out.rejections.push(reject(row, field, reason)),
            }
        }
    }
    Ok(out)
}

/// Deserializes one order from its JSON text, naming the field at fault (e.g.
/// `lines[1].quantity`). Read from the text rather than a parsed value, so that a key
/// given twice is refused instead of the last one silently winning.
fn order_from_json(text: &str) -> std::result::Result<OrderRequest, (String, String)> {
    let mut json = serde_json::Deserializer::from_str(text);
    let order = serde_path_to_error::deserialize::<_, OrderRequest>(&mut json).map_err(|e| {
        let path = e.path().to_string();
        // "." is the order itself; "?" a place the text broke before a field was read.
        let field = if path == "." || path == "?" { "order".to_owned() } else { path };
        let inner = e.into_inner();
        let reason = if inner.is_syntax() || inner.is_eof() {
            format!("not valid JSON: {inner}")
        } else {
            inner.to_string()
        };
        (field, reason)
    })?;
    json.end().map_err(|e| ("order".to_owned(), format!("not valid JSON: {e}")))?;
    Ok(order)
}

/// The CSV columns, by lower-cased header name. Only the first five are required: the
/// time an order was placed is part of what makes a repeated file a repeat.
const REQUIRED_COLUMNS: usize = 5;
const CSV_COLUMNS: &[&str] = &[
    "channel",
    "order_id",
    "sku",
    "quantity",
    "placed_at",
    "unit_price",
    "customer_lat",
    "customer_lon",
    "pickup_location",
    "partial_policy",
    "confirmed",
];

/// One CSV row's order-level fields, which every row of an order must repeat or leave
/// empty.
#[derive(Debug, Clone, PartialEq)]
struct Head {
    placed_at: Option<DateTime<Utc>>,
    customer: Option<(f64, f64)>,
    pickup_location: Option<String>,
    partial_policy: Option<PartialPolicy>,
    confirmed: Option<bool>,
}

struct Building {
    row: u64,
    head: Head,
    lines: Vec<OrderLineRequest>,
    line_rows: Vec<u64>,
    bad_rows: Vec<u64>,
}

fn read_csv(reader: impl Read, file: &str) -> Result<OrderFile> {
    let mut csv =
        csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| EngineError::InvalidInput(format!("{file}: no readable header row: {e}")))?
        .clone();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let name = h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase();
        // A column given twice would let one of its values win unseen.
        if index.insert(name.clone(), i).is_some() {
            return Err(EngineError::InvalidInput(format!(
                "{file} row 1: column '{name}' is given twice"
            )));
        }
    }
    // A misspelt column would drop its values silently: refuse the file instead.
    if let Some(unknown) = index.keys().find(|h| !CSV_COLUMNS.contains(&h.as_str())) {
        return Err(EngineError::InvalidInput(format!(
            "{file} row 1: column '{unknown}' is not one Stockroom reads (columns: {})",
            CSV_COLUMNS.join(", ")
        )));
    }
    if let Some(missing) = CSV_COLUMNS[..REQUIRED_COLUMNS].iter().find(|c| !index.contains_key(**c))
    {
        return Err(EngineError::InvalidInput(format!(
            "{file} row 1: the header has no '{missing}' column (needs {})",
            CSV_COLUMNS[..REQUIRED_COLUMNS].join(", ")
        )));
    }

    let mut out = OrderFile { csv: true, ..OrderFile::default() };
    let mut building: Vec<((String, String), Building)> = Vec::new();
    let mut position: HashMap<(String, String), usize> = HashMap::new();
    for (i, record) in csv.records().enumerate() {
        let row = i as u64 + 2;
        let reject = |field: &str, reason: String| Rejection {
            file: file.to_owned(),
            row,
            field: field.to_owned(),
            reason,
        };
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.rejections.push(reject("row", format!("not a readable CSV row: {e}")));
                continue;
            }
        };
        let cells = Cells { record: &record, index: &index };
        let (channel, order_id) = (cells.get("channel"), cells.get("order_id"));
        if channel.is_empty() || order_id.is_empty() {
            let field = if channel.is_empty() { "channel" } else { "order_id" };
            out.rejections.push(reject(field, "is empty".into()));
            continue;
        }
        let key = (channel.to_owned(), order_id.to_owned());
        let parsed = csv_line(&cells).and_then(|line| Ok((line, csv_head(&cells)?)));
        let slot = *position.entry(key.clone()).or_insert_with(|| {
            building.push((
                key.clone(),
                Building {
                    row,
                    head: Head {
                        placed_at: None,
                        customer: None,
                        pickup_location: None,
                        partial_policy: None,
                        confirmed: None,
                    },
                    lines: Vec::new(),
                    line_rows: Vec::new(),
                    bad_rows: Vec::new(),
                },
            ));
            building.len() - 1
        });
        let order = &mut building[slot].1;
        match parsed
            .and_then(|(line, head)| merge_head(&mut order.head, head, order.row).map(|()| line))
        {
            Ok(line) => {
                order.lines.push(line);
                order.line_rows.push(row);
            }
            Err((field, reason)) => {
                order.bad_rows.push(row);
                out.rejections.push(reject(&field, reason));
            }
        }
    }

    for ((channel, external_id), b) in building {
        if !b.bad_rows.is_empty() {
            let rows: Vec<String> = b.bad_rows.iter().map(u64::to_string).collect();
            out.rejections.push(Rejection {
                file: file.to_owned(),
                row: b.row,
                field: "order_id".into(),
                reason: format!(
                    "order {channel}/{external_id} not captured: row(s) {} are invalid",
                    rows.join(", ")
                ),
            });
            continue;
        }
        let h = b.head;
        let Some(placed_at) = h.placed_at else {
            out.rejections.push(Rejection {
                file: file.to_owned(),
                row: b.row,
                field: "placed_at".into(),
                reason: format!("order {channel}/{external_id} has no placed_at on any row"),
            });
            continue;
        };
        out.orders.push(FileOrder {
            row: b.row,
            line_rows: b.line_rows,
            order: OrderRequest {
                channel,
                external_id,
                lines: b.lines,
                customer: h.customer,
                pickup_location: h.pickup_location,
                partial_policy: h.partial_policy.unwrap_or(PartialPolicy::AllOrNothing),
                placed_at,
                confirmed: h.confirmed.unwrap_or(true),
                customer_ref: None,
            },
        });
    }
    out.rejections.sort_by_key(|r| r.row);
    Ok(out)
}

type Field = (String, String);

/// One CSV record's cells by column name; a column the file lacks reads as empty.
struct Cells<'a> {
    record: &'a csv::StringRecord,
    index: &'a HashMap<String, usize>,
}

impl<'a> Cells<'a> {
    fn get(&self, name: &str) -> &'a str {
        self.index.get(name).and_then(|&i| self.record.get(i)).unwrap_or("")
    }
}

fn bad(field: &str, reason: impl Into<String>) -> Field {
    (field.to_owned(), reason.into())
}

fn csv_line(cells: &Cells<'_>) -> std::result::Result<OrderLineRequest, Field> {
    let sku = cells.get("sku");
    if sku.is_empty() {
        return Err(bad("sku", "is empty"));
    }
    let quantity: i64 = cells.get("quantity").parse().map_err(|_| {
        bad("quantity", format!("'{}' is not a whole number of units", cells.get("quantity")))
    })?;
    if let Some(problem) = crate::ledger::line_units_problem(quantity) {
        return Err(bad("quantity", problem));
    }
    let price = cells.get("unit_price");
    let unit_price = if price.is_empty() {
        Decimal::ZERO
    } else {
        price
            .parse::<Decimal>()
            .map_err(|_| bad("unit_price", format!("'{price}' is not a price")))?
    };
    if unit_price.is_sign_negative() {
        return Err(bad("unit_price", format!("cannot be negative, got {price}")));
    }
    Ok(OrderLineRequest { sku: sku.to_owned(), quantity, unit_price })
}

fn csv_head(cells: &Cells<'_>) -> std::result::Result<Head, Field> {
    let placed = cells.get("placed_at");
    let placed_at = (!placed.is_empty()).then(|| parse_time(placed)).transpose()?;
    let (lat, lon) = (cells.get("customer_lat"), cells.get("customer_lon"));
    let customer = match (lat.is_empty(), lon.is_empty()) {
        (true, true) => None,
        (false, false) => {
            let parse = |field: &str, v: &str| {
                v.parse::<f64>().map_err(|_| bad(field, format!("'{v}' is not a coordinate")))
            };
            Some((parse("customer_lat", lat)?, parse("customer_lon", lon)?))
        }
        (true, false) => return Err(bad("customer_lat", "is empty but customer_lon is given")),
        (false, true) => return Err(bad("customer_lon", "is empty but customer_lat is given")),
    };
    let pickup = cells.get("pickup_location");
    let policy = cells.get("partial_policy");
    let partial_policy = match policy.to_ascii_lowercase().as_str() {
        "" => None,
        "all_or_nothing" => Some(PartialPolicy::AllOrNothing),
        "reserve_available" => Some(PartialPolicy::ReserveAvailable),
        _ => {
            return Err(bad(
                "partial_policy",
                format!("'{policy}' is not all_or_nothing or reserve_available"),
            ))
        }
    };
    let confirmed_text = cells.get("confirmed");
    let confirmed = match confirmed_text.to_ascii_lowercase().as_str() {
        "" => None,
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => return Err(bad("confirmed", format!("'{confirmed_text}' is not true or false"))),
    };
    Ok(Head {
        placed_at,
        customer,
        pickup_location: (!pickup.is_empty()).then(|| pickup.to_owned()),
        partial_policy,
        confirmed,
    })
}

/// RFC 3339, or a local date-time in the company's time zone (Europe/London).
fn parse_time(text: &str) -> std::result::Result<DateTime<Utc>, Field> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.to_utc());
    }
    let local = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .ok_or_else(|| {
            bad(
                "placed_at",
                format!("'{text}' is not a date-time (RFC 3339 or YYYY-MM-DD HH:MM:SS)"),
            )
        })?;
    // In an autumn hour that happens twice, the first (summer time) is taken.
    local.and_local_timezone(London).earliest().map(|t| t.to_utc()).ok_or_else(|| {
        bad("placed_at", format!("'{text}' does not exist in London time: the clocks went forward"))
    })
}

/// Folds a row's order-level fields into the order's; a row may leave a field empty but
/// may not contradict an earlier row.
fn merge_head(into: &mut Head, row: Head, first_row: u64) -> std::result::Result<(), Field> {
    fn merge<T: PartialEq + Clone>(
        slot: &mut Option<T>,
        value: Option<T>,
        field: &str,
        first_row: u64,
    ) -> std::result::Result<(), Field> {
        match (slot.as_ref(), value) {
            (_, None) => Ok(()),
            (None, Some(v)) => {
                *slot = Some(v);
                Ok(())
            }
            (Some(old), Some(v)) if *old == v => Ok(()),
            (Some(_), Some(_)) => Err(bad(
                field,
                format!("differs from the order's earlier rows (from row {first_row})"),
            )),
        }
    }
    merge(&mut into.placed_at, row.placed_at, "placed_at", first_row)?;
    merge(&mut into.customer, row.customer, "customer_lat", first_row)?;
    merge(&mut into.pickup_location, row.pickup_location, "pickup_location", first_row)?;
    merge(&mut into.partial_policy, row.partial_policy, "partial_policy", first_row)?;
    merge(&mut into.confirmed, row.confirmed, "confirmed", first_row)
}

#[cfg(test)]
mod tests;
