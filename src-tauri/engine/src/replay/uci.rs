//! Reading and classifying the UCI Online Retail invoice lines (one gzipped CSV per
//! trading day). Parsing names the row, the field and the reason for every refusal;
//! classification decides what each valid line means for stock.

use std::io::Read;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Europe::London;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::summary::Rejection;
use crate::error::{EngineError, Result};

/// One valid invoice line, as it appears in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// Line number in its file, the header being line 1.
    pub row: u64,
    pub invoice: String,
    pub sku: String,
    pub description: String,
    pub quantity: i64,
    pub time: DateTime<Utc>,
    pub unit_price: Decimal,
    pub customer: Option<String>,
    pub country: String,
}

/// What a line means for stock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineClass {
    /// Units shipped to a customer.
    Sale,
    /// A `C` invoice: units coming back from a customer.
    Return,
    /// Negative quantity at price 0: damaged (kept apart) or scrapped (gone).
    WriteOff { damaged: bool },
    /// Positive quantity at price 0 with no customer: stock found in a count.
    FoundStock,
    /// Postage, fees, discounts, vouchers, manual and bad-debt lines: no stock moves.
    NonStock { code: String },
}

/// Codes that are charges or adjustments, not products.
const NON_STOCK_CODES: &[&str] =
    &["POST", "DOT", "M", "m", "C2", "D", "S", "B", "BANK CHARGES", "AMAZONFEE", "CRUK"];

const DAMAGE_WORDS: &[&str] =
    &["damage", "broken", "crush", "wet", "rust", "mould", "faulty", "smash", "crack"];

pub fn classify(line: &InvoiceLine) -> std::result::Result<LineClass, (String, String)> {
    let code = line.sku.as_str();
    if line.invoice.starts_with('A') {
        return Ok(LineClass::NonStock { code: "bad debt adjustment (A invoice)".into() });
    }
    if NON_STOCK_CODES.contains(&code) {
        return Ok(LineClass::NonStock { code: code.to_owned() });
    }
    if code.starts_with("gift_") {
        return Ok(LineClass::NonStock { code: "gift voucher".into() });
    }
    if line.unit_price.is_sign_negative() && !line.unit_price.is_zero() {
        return Err(("UnitPrice".into(), format!("negative price {}", line.unit_price)));
    }
    if line.invoice.starts_with('C') {
        return if line.quantity < 0 {
            Ok(LineClass::Return)
        } else {
            Err(("Quantity".into(), "cancellation (C invoice) with a positive quantity".into()))
        };
    }
    let free = line.unit_price.is_zero();
    match (line.quantity > 0, free) {
        (true, false) => Ok(LineClass::Sale),
        (true, true) if line.customer.is_some() => Ok(LineClass::Sale),
        (true, true) => Ok(LineClass::FoundStock),
        (false, true) => {
            let reason = line.description.to_lowercase();
            Ok(LineClass::WriteOff { damaged: DAMAGE_WORDS.iter().any(|w| reason.contains(w)) })
        }
        (false, false) => Err((
            "Quantity".into(),
            "negative quantity on a priced line outside a cancellation".into(),
        )),
    }
}

#[derive(Deserialize)]
struct RawLine {
    #[serde(rename = "InvoiceNo")]
    invoice: String,
    #[serde(rename = "StockCode")]
    sku: String,
    #[serde(rename = "Description")]
    description: String,
    #[serde(rename = "Quantity")]
    quantity: String,
    #[serde(rename = "InvoiceDate")]
    date: String,
    #[serde(rename = "UnitPrice")]
    unit_price: String,
    #[serde(rename = "CustomerID")]
    customer: String,
    #[serde(rename = "Country")]
    country: String,
}

/// Reads one day file (gzipped or plain CSV). Valid lines and rejections come back
/// separately; a rejected line never stops the others.
pub fn read_day(path: &Path) -> Result<(Vec<InvoiceLine>, Vec<Rejection>)> {
    let file = std::fs::File::open(path)
        .map_err(|e| EngineError::DataMissing(format!("{}: {e}", path.display())))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    read_lines(reader, &name)
}

pub fn read_lines(reader: impl Read, file: &str) -> Result<(Vec<InvoiceLine>, Vec<Rejection>)> {
    let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
    let mut lines = Vec::new();
    let mut rejections = Vec::new();
    for (index, record) in csv.deserialize::<RawLine>().enumerate() {
        let row = index as u64 + 2;
        let parsed = record
            .map_err(|e| ("row".to_owned(), format!("unreadable CSV record: {e}")))
            .and_then(|raw| parse(raw, row));
        match parsed {
            Ok(line) => lines.push(line),
            Err((field, reason)) => {
                rejections.push(Rejection { file: file.into(), row, field, reason })
            }
        }
    }
    Ok((lines, rejections))
}

fn parse(raw: RawLine, row: u64) -> std::result::Result<InvoiceLine, (String, String)> {
    let invoice = raw.invoice.trim().to_owned();
    if invoice.is_empty() {
        return Err(("InvoiceNo".into(), "empty".into()));
    }
    let sku = raw.sku.trim().to_owned();
    if sku.is_empty() {
        return Err(("StockCode".into(), "empty".into()));
    }
    let quantity: i64 = raw.quantity.trim().parse().map_err(|_| {
        ("Quantity".to_owned(), format!("'{}' is not a whole number", raw.quantity))
    })?;
    if quantity == 0 {
        return Err(("Quantity".into(), "zero".into()));
    }
    let local =
        NaiveDateTime::parse_from_str(raw.date.trim(), "%Y-%m-%d %H:%M:%S").map_err(|_| {
            ("InvoiceDate".to_owned(), format!("'{}' is not YYYY-MM-DD HH:MM:SS", raw.date))
        })?;
    let time = local
        .and_local_timezone(London)
        .earliest()
        .ok_or_else(|| {
            ("InvoiceDate".to_owned(), format!("'{}' does not exist in UK time", raw.date))
        })?
        .with_timezone(&Utc);
    let unit_price: Decimal = raw.unit_price.trim().parse().map_err(|_| {
        ("UnitPrice".to_owned(), format!("'{}' is not a decimal number", raw.unit_price))
    })?;
    let customer = match raw.customer.trim() {
        "" => None,
        text => Some(text.strip_suffix(".0").unwrap_or(text).to_owned()),
    };
    Ok(InvoiceLine {
        row,
        invoice,
        sku,
        description: raw.description.trim().to_owned(),
        quantity,
        time,
        unit_price,
        customer,
        country: raw.country.trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";

    fn read(body: &str) -> (Vec<InvoiceLine>, Vec<Rejection>) {
        read_lines(format!("{HEADER}{body}").as_bytes(), "test.csv").expect("readable")
    }

    #[test]
    fn bad_rows_are_rejected_with_row_field_and_reason_and_others_survive() {
        let (lines, rejected) = read(
            "536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n\
             536366,,NO CODE,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom\n\
             536367,22632,HAND WARMER,six,2010-12-01 08:34:00,1.85,13047.0,United Kingdom\n\
             536368,22633,HAND WARMER,6,01/12/2010 08:34,1.85,13047.0,United Kingdom\n\
             536369,22634,HAND WARMER,6,2010-12-01 08:35:00,1.85,,France\n",
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].customer, None);
        let summary: Vec<(u64, &str)> =
            rejected.iter().map(|r| (r.row, r.field.as_str())).collect();
        assert_eq!(summary, vec![(3, "StockCode"), (4, "Quantity"), (5, "InvoiceDate")]);
        assert!(rejected[1].reason.contains("'six' is not a whole number"));
    }

    #[test]
    fn uk_local_time_becomes_utc() {
        let (lines, _) = read("1,X,D,1,2011-06-01 12:00:00,1,,United Kingdom\n");
        assert_eq!(lines[0].time.to_rfc3339(), "2011-06-01T11:00:00+00:00");
    }

    fn line(invoice: &str, sku: &str, desc: &str, qty: i64, price: &str) -> InvoiceLine {
        InvoiceLine {
            row: 2,
            invoice: invoice.into(),
            sku: sku.into(),
            description: desc.into(),
            quantity: qty,
            time: Utc::now(),
            unit_price: price.parse().expect("decimal"),
            customer: None,
            country: "United Kingdom".into(),
        }
    }

    #[test]
    fn lines_are_classified_by_invoice_code_quantity_and_price() {
        assert_eq!(classify(&line("1", "22632", "W", 6, "1.85")), Ok(LineClass::Sale));
        assert_eq!(classify(&line("C1", "22632", "W", -6, "1.85")), Ok(LineClass::Return));
        assert_eq!(
            classify(&line("1", "22632", "wet damaged", -6, "0")),
            Ok(LineClass::WriteOff { damaged: true })
        );
        assert_eq!(
            classify(&line("1", "22632", "thrown away", -6, "0")),
            Ok(LineClass::WriteOff { damaged: false })
        );
        assert_eq!(classify(&line("1", "22632", "found", 6, "0")), Ok(LineClass::FoundStock));
        assert_eq!(
            classify(&line("1", "POST", "POSTAGE", 1, "18")),
            Ok(LineClass::NonStock { code: "POST".into() })
        );
        assert!(matches!(
            classify(&line("A1", "B", "Adjust bad debt", 1, "-11062.06")),
            Ok(LineClass::NonStock { .. })
        ));
        assert_eq!(
            classify(&line("C1", "22632", "W", 6, "1.85")).map_err(|e| e.0),
            Err("Quantity".to_owned())
        );
    }
}
