//! Returns and reverse logistics: capture from any channel, receipt into
//! `return_pending`, inspection with a grade, and a disposition (restock, refurbish,
//! return to vendor, liquidate, scrap) that moves the units on in the same transaction.
//!
//! A returned unit comes back to stock at most once. Per order line, the units put back
//! are the allocations' `released` (cancellation, expiry, a refund before shipment) plus
//! the line's `returned` (received back after shipment); the database refuses a receipt
//! that would bring back more than the line shipped, so no sequence of refunds,
//! cancellations and returns leaves more stock than before the sale.

mod capture;
mod disposition;
mod query;
mod refund;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use specta::Type;

pub use capture::{capture, receive};
pub use disposition::{
    complete_refurbishment, decide, decide_all, recovery_rules, suggest, RecoveryOption,
    RecoveryRules,
};
pub use query::{
    detail, find, kpis, overview, queue, KpiDimension, KpiRow, ReturnDetail, ReturnSummary,
    ReturnsOverview,
};
pub use refund::{refund, RefundOutcome, RefundRequest};

/// How a returned unit looks on inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "return_grade", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    AsNew,
    OpenBox,
    Damaged,
    Defective,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::AsNew, Grade::OpenBox, Grade::Damaged, Grade::Defective];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AsNew => "as_new",
            Self::OpenBox => "open_box",
            Self::Damaged => "damaged",
            Self::Defective => "defective",
        }
    }

    /// Only units that can be sold as they are may be restocked.
    pub fn sellable(self) -> bool {
        matches!(self, Self::AsNew | Self::OpenBox)
    }
}

/// Where inspected units go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "disposition", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    Restock,
    Refurbish,
    ReturnToVendor,
    Liquidate,
    Scrap,
}

impl Disposition {
    /// In the order ties are broken: the one that keeps the unit closest to a sale wins.
    pub const ALL: [Disposition; 5] = [
        Disposition::Restock,
        Disposition::Refurbish,
        Disposition::ReturnToVendor,
        Disposition::Liquidate,
        Disposition::Scrap,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Restock => "restock",
            Self::Refurbish => "refurbish",
            Self::ReturnToVendor => "return_to_vendor",
            Self::Liquidate => "liquidate",
            Self::Scrap => "scrap",
        }
    }

    /// Whether units of this grade may go this way.
    pub fn allowed_for(self, grade: Grade) -> bool {
        match self {
            Self::Restock => grade.sellable(),
            Self::Refurbish => grade != Grade::AsNew,
            Self::ReturnToVendor => matches!(grade, Grade::Damaged | Grade::Defective),
            Self::Liquidate | Self::Scrap => true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "return_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ReturnStatus {
    /// Expected (a refund with restock, a marketplace notice); not here yet.
    Announced,
    /// Units are in return_pending, waiting for inspection.
    Received,
    /// Every unit has a disposition.
    Closed,
}

/// The sale a return points at: the order's channel and the channel's order id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct OrderRef {
    pub channel: String,
    pub external_id: String,
}

/// A return as a channel (or the returns desk) sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    pub channel: String,
    /// The channel's return (RMA) number; with the channel, makes a repeat a no-op.
    pub external_id: String,
    /// Where the units are received.
    pub location: String,
    /// The original order, when the customer has it.
    #[serde(default)]
    pub order: Option<OrderRef>,
    /// The customer, to find the sale when the order number is missing.
    #[serde(default)]
    pub customer_ref: Option<String>,
    pub lines: Vec<ReturnLineRequest>,
    pub at: DateTime<Utc>,
    /// Received now (a store counter, the hub's dock) rather than announced.
    #[serde(default = "yes")]
    pub received: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct ReturnLineRequest {
    pub sku: String,
    pub quantity: i64,
    /// A code from `return_reasons`, e.g. `defective`, `changed_mind`, `not_given`.
    pub reason: String,
    /// The order line, when known; otherwise the first line of the SKU with units out.
    #[serde(default)]
    pub order_line_no: Option<i32>,
    /// Selling price per unit for an unlinked return (a linked one uses the order's).
    #[serde(default)]
    #[specta(type = Option<String>)]
    pub unit_price: Option<Decimal>,
}

impl ReturnRequest {
    pub fn payload_hash(&self) -> String {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(bytes))
    }
}

/// What capturing a return did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ReturnOutcome {
    Captured {
        return_id: i64,
        /// Lines linked to an order line; the others are flagged as unlinked.
        linked_lines: i64,
        lines: i64,
        status: ReturnStatus,
    },
    Duplicate {
        return_id: i64,
        status: ReturnStatus,
    },
}

impl ReturnOutcome {
    pub fn return_id(&self) -> i64 {
        match self {
            Self::Captured { return_id, .. } | Self::Duplicate { return_id, .. } => *return_id,
        }
    }
}

/// An inspector's decision on some units of one return line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct DecisionRequest {
    pub return_id: i64,
    pub line_no: i32,
    pub quantity: i64,
    pub grade: Grade,
    /// None accepts the suggestion.
    #[serde(default)]
    pub disposition: Option<Disposition>,
    /// Required when `disposition` differs from the suggestion.
    #[serde(default)]
    pub override_reason: Option<String>,
    /// Where restocked or refurbished units become available; by default the receiving
    /// location when it may restock, else the nearest location that ships orders.
    #[serde(default)]
    pub destination: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct DecisionOutcome {
    pub decision_id: i64,
    pub disposition: Disposition,
    pub suggested: Disposition,
    /// Expected recovery of these units, in pounds, rounded once to pence.
    #[specta(type = String)]
    pub recovery: Decimal,
    pub destination: Option<String>,
    /// The transfer carrying restocked units to another location.
    pub transfer_id: Option<i64>,
    /// Whether the return is now fully disposed.
    pub return_closed: bool,
}

#[cfg(test)]
mod tests {
    use super::ReturnRequest;

    const RETURN: &str = r#""channel":"WEB","external_id":"R-1","location":"RET-HUB",
        "at":"2026-03-01T10:00:00Z","lines":[{"sku":"A","quantity":1,"reason":"defective"}]"#;

    #[test]
    fn a_misspelt_field_is_refused_not_dropped() {
        assert!(serde_json::from_str::<ReturnRequest>(&format!("{{{RETURN}}}")).is_ok());
        // "recieved": false dropped would receive the units at once instead of announcing.
        let typo =
            serde_json::from_str::<ReturnRequest>(&format!("{{{RETURN},\"recieved\":false}}"));
        assert!(typo.is_err_and(|e| e.to_string().contains("unknown field `recieved`")));
        let in_line = RETURN.replace("\"reason\"", "\"order_line\":2,\"reason\"");
        assert!(serde_json::from_str::<ReturnRequest>(&format!("{{{in_line}}}")).is_err());
    }
}
