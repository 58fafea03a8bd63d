//! The UCI Online Retail files counted independently of the engine's parser and
//! classifier, for reconciliation tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;

/// What the files say, counted without the engine's parser or classifier.
#[derive(Debug, Default, PartialEq)]
pub struct Expected {
    pub lines: u64,
    pub non_stock: BTreeMap<String, u64>,
    pub stock_lines: u64,
    pub sold: i64,
    pub returned: i64,
    pub written_off: i64,
    /// Invoices with at least one sale line.
    pub sale_invoices: u64,
}

pub fn count_files(dir: &Path, from: NaiveDate, to: NaiveDate) -> Expected {
    let fees = ["POST", "DOT", "M", "m", "C2", "D", "S", "B", "BANK CHARGES", "AMAZONFEE", "CRUK"];
    let mut e = Expected::default();
    let mut sale_invoices = BTreeSet::new();
    let mut day = from;
    while day <= to {
        let path = dir.join(format!("online-retail/by-day/{day}.csv.gz"));
        day = day.succ_opt().expect("next day");
        let Ok(file) = std::fs::File::open(&path) else { continue };
        let mut reader = csv::Reader::from_reader(flate2::read::GzDecoder::new(file));
        for record in reader.records() {
            let r = record.expect("a well-formed CSV record");
            let (invoice, code, qty, price) =
                (&r[0], &r[1], r[3].parse::<i64>().expect("qty"), &r[5]);
            e.lines += 1;
            let key = if invoice.starts_with('A') {
                Some("bad debt adjustment (A invoice)".to_owned())
            } else if fees.contains(&code) {
                Some(code.to_owned())
            } else if code.starts_with("gift_") {
                Some("gift voucher".to_owned())
            } else {
                None
            };
            if let Some(key) = key {
                *e.non_stock.entry(key).or_default() += 1;
                continue;
            }
            e.stock_lines += 1;
            let free = price.parse::<f64>().expect("price") == 0.0;
            if invoice.starts_with('C') {
                e.returned += -qty;
            } else if qty < 0 && free {
                e.written_off += -qty;
            } else if qty > 0 && (!free || !r[6].is_empty()) {
                e.sold += qty;
                sale_invoices.insert(invoice.to_owned());
            }
        }
    }
    e.sale_invoices = sale_invoices.len() as u64;
    e
}
