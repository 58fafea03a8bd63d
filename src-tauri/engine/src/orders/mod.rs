//! Orders: capture from every channel, reservation that never oversells, routing,
//! shipment, cancellation and expiry.
//!
//! An order's reservation is one atomic decision: the positions of its SKUs are locked,
//! sourcing decides from what every location may promise under the channel's rules, and
//! the allocations, the reservation movements and the routing explanation are written in
//! the same transaction. The ledger trigger refuses any reservation beyond available, so
//! even a faulty decision cannot oversell. Each allocation's open quantity (reserved -
//! shipped - released) is released exactly once: the release movement's idempotency key
//! is unique and a CHECK forbids releasing more than is open.

mod capture;
pub mod import;
pub mod kpi;
pub mod lifecycle;
pub mod naive;
pub mod query;
pub mod reserver;
pub mod sourcing;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use specta::Type;

pub use capture::{capture, capture_batch, sourcing_policy};
pub use sourcing::{Plan, SourcingPolicy};

/// What to do when not every unit can be reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "partial_policy", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PartialPolicy {
    /// Every line in full, or nothing.
    AllOrNothing,
    /// Reserve what can be reserved; the rest is not promised.
    ReserveAvailable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "order_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Open,
    PartiallyShipped,
    Shipped,
    Cancelled,
    Expired,
    Rejected,
}

impl OrderStatus {
    pub fn is_closed(self) -> bool {
        !matches!(self, Self::Open | Self::PartiallyShipped)
    }

    /// The status as the CLI and files spell it (`partially_shipped`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::PartiallyShipped => "partially_shipped",
            Self::Shipped => "shipped",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
            Self::Rejected => "rejected",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct OrderLineRequest {
    pub sku: String,
    pub quantity: i64,
    #[serde(default)]
    #[specta(type = String)]
    pub unit_price: Decimal,
}

/// An order as a channel sends it. Unknown fields are refused, so a misspelt one is not
/// silently dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    pub channel: String,
    pub external_id: String,
    pub lines: Vec<OrderLineRequest>,
    /// Delivery point (latitude, longitude); none for a pickup or an unknown address.
    #[serde(default)]
    pub customer: Option<(f64, f64)>,
    /// Click-and-collect store.
    #[serde(default)]
    pub pickup_location: Option<String>,
    #[serde(default = "default_policy")]
    pub partial_policy: PartialPolicy,
    #[serde(deserialize_with = "placed_at_from_text")]
    #[specta(type = String)]
    pub placed_at: DateTime<Utc>,
    /// Whether the channel has confirmed the order (paid); unconfirmed reservations expire.
    /// True when not given, in JSON as in CSV: a hold is asked for, never assumed.
    #[serde(default = "confirmed_unless_said")]
    pub confirmed: bool,
    /// The channel's customer id, so a later return can find this sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_ref: Option<String>,
}

/// An RFC 3339 time with its offset; anything else is refused with an example.
fn placed_at_from_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(d)?;
    DateTime::parse_from_rfc3339(text.trim()).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        serde::de::Error::custom(format!(
            "'{text}' is not a date and time with its offset, e.g. 2026-12-04T10:00:00Z"
        ))
    })
}

fn confirmed_unless_said() -> bool {
    true
}

fn default_policy() -> PartialPolicy {
    PartialPolicy::AllOrNothing
}

/// The longest order id a channel may send.
pub const MAX_ID_CHARS: usize = 100;
/// Decimal places a unit price may carry (the column's scale): finer figures are
/// refused rather than rounded away unseen.
pub const PRICE_DECIMALS: u32 = 4;
/// The most lines one order may have.
pub const MAX_LINES: usize = 10_000;

/// The earliest an order may be placed: the first sourcing policy's start (a date
/// before it is a slip, and no rule could route it).
fn earliest_placed_at() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(946_684_800, 0).unwrap_or_default() // 2000-01-01
}

/// The highest unit price an order line may carry (the column's precision).
fn max_unit_price() -> Decimal {
    Decimal::new(99_999_999_999_999, 4)
}

/// The highest value an order may have (the column's precision).
fn max_order_value() -> Decimal {
    Decimal::new(99_999_999_999_999, 2)
}

impl OrderRequest {
    /// SHA-256 of the order's canonical JSON, to tell a repeat from a changed order.
    pub fn payload_hash(&self) -> String {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(bytes))
    }

    pub fn value(&self) -> Decimal {
        self.lines.iter().map(|l| l.unit_price * Decimal::from(l.quantity)).sum()
    }

    /// Units per SKU, summed over lines, in first-seen order.
    pub fn demand(&self) -> Vec<sourcing::Demand> {
        let mut demand: Vec<sourcing::Demand> = Vec::new();
        for line in &self.lines {
            match demand.iter_mut().find(|d| d.sku == line.sku) {
                Some(d) => d.quantity += line.quantity,
                None => {
                    demand.push(sourcing::Demand { sku: line.sku.clone(), quantity: line.quantity })
                }
            }
        }
        demand
    }

    /// The reason the order cannot be taken at all, naming the field.
    pub fn problem(&self) -> Option<String> {
        self.invalid_field().map(|(_, message)| message)
    }

    /// What is wrong with the order and in which field (`lines[2].quantity`, `channel`,
    /// ...), before anything is looked up.
    pub fn invalid_field(&self) -> Option<(String, String)> {
        let id = &self.external_id;
        let bad = |field: &str, message: String| Some((field.to_owned(), message));
        if self.channel.trim().is_empty() {
            return bad("channel", format!("order {id}: channel is empty"));
        }
        if id.trim().is_empty() {
            return bad("external_id", "order id is empty".to_owned());
        }
        if id.chars().any(char::is_control) {
            return bad("external_id", "order id contains a control character".to_owned());
        }
        if id.chars().count() > MAX_ID_CHARS {
            return bad(
                "external_id",
                format!("order id is longer than {MAX_ID_CHARS} characters"),
            );
        }
        if self.lines.is_empty() {
            return bad("lines", format!("order {id}: it has no lines"));
        }
        if self.lines.len() > MAX_LINES {
            return bad(
                "lines",
                format!(
                    "order {id}: {} lines is more than the {MAX_LINES} an order may have",
                    self.lines.len()
                ),
            );
        }
        for (i, line) in self.lines.iter().enumerate() {
            let n = i + 1;
            let field = |name: &str| format!("lines[{i}].{name}");
            if line.sku.trim().is_empty() {
                return bad(&field("sku"), format!("order {id} line {n}: sku is empty"));
            }
            if let Some(problem) = crate::ledger::line_units_problem(line.quantity) {
                return bad(&field("quantity"), format!("order {id} line {n}: quantity {problem}"));
            }
            if line.unit_price.is_sign_negative() {
                return bad(
                    &field("unit_price"),
                    format!("order {id} line {n}: unit_price cannot be negative"),
                );
            }
            if line.unit_price.normalize().scale() > PRICE_DECIMALS {
                return bad(
                    &field("unit_price"),
                    format!(
                        "order {id} line {n}: unit_price {} has more than {PRICE_DECIMALS} \
                         decimal places",
                        line.unit_price
                    ),
                );
            }
            if line.unit_price > max_unit_price() {
                return bad(
                    &field("unit_price"),
                    format!(
                        "order {id} line {n}: unit_price {} is more than {}",
                        line.unit_price,
                        max_unit_price()
                    ),
                );
            }
        }
        if self.value() > max_order_value() {
            return bad(
                "lines",
                format!(
                    "order {id}: its value {} is more than {} (check quantities and prices)",
                    self.value(),
                    max_order_value()
                ),
            );
        }
        if let Some((lat, lon)) = self.customer {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return bad(
                    "customer",
                    format!("order {id}: customer coordinates ({lat}, {lon}) are invalid"),
                );
            }
        }
        if self.channel == "CLICK_COLLECT" && self.pickup_location.is_none() {
            return bad(
                "pickup_location",
                format!("order {id}: click-and-collect needs a pickup_location"),
            );
        }
        if self.channel != "CLICK_COLLECT" && self.pickup_location.is_some() {
            return bad(
                "pickup_location",
                format!(
                    "order {id}: only CLICK_COLLECT orders name a pickup store, not {}",
                    self.channel
                ),
            );
        }
        if self.placed_at < earliest_placed_at() {
            return bad(
                "placed_at",
                format!(
                    "order {id}: placed_at {} is before {}; check the date",
                    self.placed_at.to_rfc3339(),
                    earliest_placed_at().date_naive()
                ),
            );
        }
        if let Some(problem) = crate::ledger::future_date_problem(self.placed_at) {
            return bad("placed_at", format!("order {id}: placed_at {problem}"));
        }
        None
    }
}

/// What capture did with one order.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CaptureOutcome {
    /// Reserved in full or, under the partial policy, in part.
    Reserved { order_id: i64, reserved_units: i64, requested_units: i64, shipments: i64 },
    /// Nothing could be reserved under the order's policy; the order is kept as rejected
    /// with the routing explanation.
    Rejected { order_id: i64, reason: String },
    /// Already captured with the same content; nothing changed.
    Duplicate { order_id: i64, status: OrderStatus },
}

impl CaptureOutcome {
    pub fn order_id(&self) -> i64 {
        match self {
            Self::Reserved { order_id, .. }
            | Self::Rejected { order_id, .. }
            | Self::Duplicate { order_id, .. } => *order_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(sku: &str, quantity: i64) -> OrderLineRequest {
        OrderLineRequest { sku: sku.into(), quantity, unit_price: Decimal::new(250, 2) }
    }

    fn order(lines: Vec<OrderLineRequest>) -> OrderRequest {
        OrderRequest {
            channel: "WEB".into(),
            external_id: "W-1".into(),
            lines,
            customer: None,
            pickup_location: None,
            partial_policy: PartialPolicy::AllOrNothing,
            placed_at: DateTime::<Utc>::from_timestamp(1_772_359_200, 0).expect("2026-03-01"),
            confirmed: true,
            customer_ref: None,
        }
    }

    #[test]
    fn demand_for_the_same_sku_is_summed_before_the_check() {
        let o = order(vec![line("A", 5), line("B", 1), line("A", 5)]);
        let demand = o.demand();
        assert_eq!(demand.len(), 2);
        assert_eq!((demand[0].sku.as_str(), demand[0].quantity), ("A", 10));
        assert_eq!(o.value(), Decimal::new(2750, 2));
    }

    #[test]
    fn a_bad_line_is_named_with_its_field() {
        let o = order(vec![line("A", 1), line("B", 0)]);
        assert_eq!(
            o.problem().as_deref(),
            Some("order W-1 line 2: quantity must be a positive whole number, got 0")
        );
        assert_eq!(order(vec![]).problem().as_deref(), Some("order W-1: it has no lines"));
    }

    #[test]
    fn figures_past_what_stock_and_money_columns_hold_are_refused_before_any_sum() {
        let field = |o: &OrderRequest| o.invalid_field().map(|(f, _)| f);
        // Two lines that would wrap round a 64-bit sum: the first is already refused.
        let wraps = order(vec![line("A", 5_000_000_000_000_000_000), line("A", 1)]);
        assert_eq!(field(&wraps).as_deref(), Some("lines[0].quantity"));
        let max = crate::ledger::MAX_LINE_UNITS;
        assert_eq!(field(&order(vec![line("A", max)])), None);
        let over = order(vec![line("A", 1), line("B", max + 1)]);
        assert_eq!(field(&over).as_deref(), Some("lines[1].quantity"));
        assert!(over.problem().is_some_and(|p| p.contains("more than the 1000000")));

        let mut dear = order(vec![line("A", 1)]);
        dear.lines[0].unit_price = Decimal::new(10_000_000_000, 0);
        assert_eq!(field(&dear).as_deref(), Some("lines[0].unit_price"));
        // Each line within bounds, the order's value past its column.
        let price = Decimal::new(9_000_000, 0);
        let mut big = order(vec![line("A", max), line("B", max)]);
        big.lines.iter_mut().for_each(|l| l.unit_price = price);
        assert_eq!(field(&big).as_deref(), Some("lines"));

        let many = order((0..=MAX_LINES).map(|_| line("A", 1)).collect());
        assert_eq!(field(&many).as_deref(), Some("lines"));
        let mut long = order(vec![line("A", 1)]);
        long.external_id = "x".repeat(MAX_ID_CHARS + 1);
        assert_eq!(field(&long).as_deref(), Some("external_id"));
    }

    #[test]
    fn what_would_be_stored_differently_from_what_was_sent_is_refused() {
        let field = |o: &OrderRequest| o.invalid_field().map(|(f, _)| f);
        let mut fine = order(vec![line("A", 1)]);
        fine.lines[0].unit_price = Decimal::new(12_345, 4);
        assert_eq!(field(&fine), None, "four places fit the column");
        let mut fine_print = fine.clone();
        fine_print.lines[0].unit_price = Decimal::new(1_234_500, 6);
        assert_eq!(field(&fine_print), None, "trailing zeros lose nothing");
        let mut rounded = fine.clone();
        rounded.lines[0].unit_price = Decimal::new(1_234_567, 6);
        assert_eq!(field(&rounded).as_deref(), Some("lines[0].unit_price"));

        let mut two_rows = fine.clone();
        two_rows.external_id = "W-1\nW-2".into();
        assert_eq!(field(&two_rows).as_deref(), Some("external_id"));

        let mut long_ago = fine.clone();
        long_ago.placed_at = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(field(&long_ago).as_deref(), Some("placed_at"));

        let mut web_pickup = fine;
        web_pickup.pickup_location = Some("ST-1".into());
        assert_eq!(field(&web_pickup).as_deref(), Some("pickup_location"));
    }

    #[test]
    fn a_changed_order_hashes_differently() {
        let a = order(vec![line("A", 1)]);
        let b = order(vec![line("A", 2)]);
        assert_ne!(a.payload_hash(), b.payload_hash());
        assert_eq!(a.payload_hash(), a.clone().payload_hash());
    }
}
