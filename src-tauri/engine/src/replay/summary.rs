//! What a replay reports: progress while it runs and a reconciliation-ready summary.

use serde::Serialize;
use specta::Type;

use super::ReplayMode;
use crate::ledger::StockTotals;
use crate::orders::kpi::FulfilmentKpis;
pub use crate::rejection::Rejection;
use crate::returns::ReturnsOverview;

#[derive(Debug, Clone, Serialize, Type)]
pub struct ReplayProgress {
    /// The trading day just applied (YYYY-MM-DD).
    pub day: String,
    pub days_done: u32,
    pub days_total: u32,
    pub lines_read: u64,
}

/// A count with the reason or code it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ReasonCount {
    pub reason: String,
    pub lines: u64,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ReplaySummary {
    pub from: String,
    pub to: String,
    pub days: u32,
    pub mode: ReplayMode,
    pub lines_read: u64,
    /// Lines that took effect in this run: stock movements, or (replayed as orders) sale
    /// lines that became order lines, whether or not stock could be promised for them.
    pub lines_applied: u64,
    /// Lines read but not applied now (already applied by an earlier run), by reason.
    pub skipped: Vec<ReasonCount>,
    /// Lines refused as invalid, by reason; details in `rejections`.
    pub rejected: Vec<ReasonCount>,
    /// Postage, fees, discounts, vouchers and manual lines: real lines that move no stock.
    pub non_stock: Vec<ReasonCount>,
    /// Sale invoices captured as orders in this run (0 in direct mode).
    pub orders_captured: u64,
    /// Units on the sale lines applied in this run.
    pub units_ordered: i64,
    /// Units that left for customers in this run (as orders: shipped).
    pub units_sold: i64,
    pub units_returned: i64,
    pub units_written_off: i64,
    /// Derived supplier receipts and opening stock applied in this run.
    pub units_received: i64,
    pub stock: StockTotals,
    /// Fill rate, split rate, distance and cost of the orders placed in the range,
    /// computed from the database (order replay only).
    pub fulfilment: Option<FulfilmentKpis>,
    /// Returns received in the range: links to sales, cycle time and recovery (order
    /// replay only).
    pub returns: Option<ReturnsOverview>,
    /// The first rejected rows (at most 200), with row, field and reason.
    pub rejections: Vec<Rejection>,
    pub elapsed_ms: u64,
}
