//! The inventory ledger: an append-only list of movements, and the positions they add up
//! to. The database applies every movement to `positions` in the same statement (see the
//! `apply_movements` trigger), so positions can never drift from the ledger unnoticed;
//! [`verify`] recomputes them from scratch to prove it.

pub mod position;
pub mod verify;
mod write;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;

pub use position::{Position, PositionPage, PositionQuery, StockTotals};
pub use write::{insert_movements, Keyed};

use crate::error::{Result, StorageContext};
use sqlx::PgPool;

/// Where a unit sits. The buckets are disjoint: a unit is in exactly one of them.
/// On hand is derived: available + reserved (sellable goods physically at the location).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "stock_state", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum StockState {
    Available,
    Reserved,
    InTransit,
    Damaged,
    Quarantined,
    ReturnPending,
    Inbound,
}

impl StockState {
    pub const ALL: [StockState; 7] = [
        Self::Available,
        Self::Reserved,
        Self::InTransit,
        Self::Damaged,
        Self::Quarantined,
        Self::ReturnPending,
        Self::Inbound,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Reserved => "reserved",
            Self::InTransit => "in_transit",
            Self::Damaged => "damaged",
            Self::Quarantined => "quarantined",
            Self::ReturnPending => "return_pending",
            Self::Inbound => "inbound",
        }
    }
}

/// Why stock moved. Facts (see [`MovementKind::is_fact`]) are recorded even when they
/// drive availability below zero; everything else is a decision the ledger may refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "movement_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// Stock found on the first day of records.
    Opening,
    /// A supplier order placed: units become inbound at the receiving location.
    PurchaseOrder,
    /// Goods received from a supplier or another location.
    Receipt,
    /// Units that left with a customer.
    Sale,
    /// Units a customer sent back.
    Return,
    /// Units lost, damaged or thrown away.
    WriteOff,
    /// A count correction or found stock.
    Adjustment,
    TransferOut,
    TransferIn,
    Reservation,
    Release,
    /// Returned units made sellable again (from return_pending or refurbishment).
    Restock,
    /// Returned units sent for refurbishment (held as quarantined).
    Refurbish,
    /// Returned units sent back to the supplier for credit.
    VendorReturn,
    /// Returned units sold off to a liquidator.
    Liquidation,
    /// Returned units thrown away.
    Scrap,
    /// Units on hand revalued to a lower cost (a pair: out at average, back at the new cost).
    Markdown,
}

impl MovementKind {
    /// The database enum label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Opening => "opening",
            Self::PurchaseOrder => "purchase_order",
            Self::Receipt => "receipt",
            Self::Sale => "sale",
            Self::Return => "return",
            Self::WriteOff => "write_off",
            Self::Adjustment => "adjustment",
            Self::TransferOut => "transfer_out",
            Self::TransferIn => "transfer_in",
            Self::Reservation => "reservation",
            Self::Release => "release",
            Self::Restock => "restock",
            Self::Refurbish => "refurbish",
            Self::VendorReturn => "vendor_return",
            Self::Liquidation => "liquidation",
            Self::Scrap => "scrap",
            Self::Markdown => "markdown",
        }
    }

    /// A fact already happened in the physical world; refusing it would only make the
    /// ledger lie. Sales at a till, returns, write-offs, receipts and counts are facts.
    pub fn is_fact(self) -> bool {
        matches!(
            self,
            Self::Opening
                | Self::Receipt
                | Self::Sale
                | Self::Return
                | Self::WriteOff
                | Self::Adjustment
                | Self::TransferIn
        )
    }
}

/// A movement to be recorded. `from` or `to` is `None` when the units come from or go
/// to outside the company (a supplier, a customer, the bin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMovement {
    pub kind: MovementKind,
    pub sku: String,
    pub location: String,
    pub from: Option<StockState>,
    pub to: Option<StockState>,
    pub quantity: i64,
    pub channel: Option<String>,
    pub unit_price: Option<Decimal>,
    /// Cost per unit of units entering at a known cost (a supplier receipt, opening
    /// stock); the valuation uses the SKU's cost otherwise.
    #[serde(default)]
    pub unit_cost: Option<Decimal>,
    pub reason: Option<String>,
    pub reference: Option<String>,
    pub event_time: DateTime<Utc>,
}

/// A recorded movement, as the ledger drill-down shows it.
#[derive(Debug, Clone, Serialize, Type, sqlx::FromRow)]
pub struct Movement {
    pub id: i64,
    pub kind: MovementKind,
    pub sku: String,
    pub location: String,
    pub from_state: Option<StockState>,
    pub to_state: Option<StockState>,
    pub quantity: i64,
    pub channel: Option<String>,
    #[specta(type = Option<String>)]
    pub unit_price: Option<Decimal>,
    pub reason: Option<String>,
    pub reference: Option<String>,
    pub actor: String,
    pub event_time: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub idempotency_key: String,
}

/// Movements behind one position, newest first; `before_id` pages to older ones.
pub async fn movements_for_position(
    pool: &PgPool,
    sku: &str,
    location: &str,
    before_id: Option<i64>,
    limit: u32,
) -> Result<Vec<Movement>> {
    sqlx::query_as::<_, Movement>(
        "SELECT id, kind, sku, location, from_state, to_state, quantity, channel, unit_price,
                reason, reference, actor, event_time, recorded_at, idempotency_key
         FROM movements
         WHERE sku = $1 AND location = $2 AND ($3::bigint IS NULL OR id < $3)
         ORDER BY id DESC LIMIT $4",
    )
    .bind(sku)
    .bind(location)
    .bind(before_id)
    .bind(i64::from(limit.clamp(1, 1000)))
    .fetch_all(pool)
    .await
    .context(format!("reading movements of {sku} at {location}"))
}

/// How far ahead of this machine's clock an event may be dated (tills and channels keep
/// their own clocks, and a day covers any time zone).
pub const FUTURE_TOLERANCE_HOURS: i64 = 24;

/// Why an event dated `at` cannot be accepted yet, if it is too far in the future: stock
/// and postings record what has happened.
pub fn future_date_problem(at: chrono::DateTime<chrono::Utc>) -> Option<String> {
    let limit = chrono::Utc::now() + chrono::Duration::hours(FUTURE_TOLERANCE_HOURS);
    (at > limit).then(|| {
        format!("{} is in the future; only what has happened can be recorded", at.to_rfc3339())
    })
}

/// The most units one line may carry (of an order, a return, a transfer, a markdown, a
/// refund, an approval or a channel event): far above any real line, far below what
/// could overflow stock arithmetic when lines are summed. A figure past it is a slip.
pub const MAX_LINE_UNITS: i64 = 1_000_000;

/// The most units one movement may carry. A movement can sum lines (a batch's
/// reservations of one SKU at one location), so its bound is wider than a line's; it is
/// there so that no sum of movements can overflow a position.
pub const MAX_MOVEMENT_UNITS: i64 = 1_000_000_000_000;

/// Why `quantity` cannot stand as the units of one line, if it cannot.
pub fn line_units_problem(quantity: i64) -> Option<String> {
    if quantity <= 0 {
        Some(format!("must be a positive whole number, got {quantity}"))
    } else if quantity > MAX_LINE_UNITS {
        Some(format!("{quantity} units is more than the {MAX_LINE_UNITS} one line may carry"))
    } else {
        None
    }
}
