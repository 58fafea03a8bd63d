//! Counting what a replay did, line by line, for its summary.

use std::collections::BTreeMap;
use std::time::Duration;

use super::plan::{SupplyEvent, SupplyKind};
use super::summary::{ReasonCount, Rejection, ReplaySummary};
use super::uci::{InvoiceLine, LineClass};
use super::ReplayOptions;
use crate::error::{EngineError, Result};
use crate::intake::Outcome;
use crate::ledger::StockTotals;
use crate::orders::kpi::FulfilmentKpis;
use crate::orders::CaptureOutcome;
use crate::returns::{ReturnOutcome, ReturnsOverview};

const MAX_LISTED_REJECTIONS: usize = 200;

#[derive(Default)]
pub(super) struct Tally {
    pub lines_read: u64,
    applied: u64,
    skipped: BTreeMap<String, u64>,
    rejected: BTreeMap<String, u64>,
    non_stock: BTreeMap<String, u64>,
    units_sold: i64,
    units_ordered: i64,
    orders_captured: u64,
    units_returned: i64,
    units_written_off: i64,
    units_received: i64,
    rejections: Vec<Rejection>,
}

impl Tally {
    /// Rows the parser refused.
    pub fn read_rejections(&mut self, rejections: &[Rejection]) {
        for r in rejections {
            self.lines_read += 1;
            self.add_rejection(r.clone());
        }
    }

    /// A row that parsed but means nothing valid for stock.
    pub fn reject_row(&mut self, file: &str, row: u64, field: &str, reason: &str) {
        self.lines_read += 1;
        self.add_rejection(Rejection {
            file: file.to_owned(),
            row,
            field: field.to_owned(),
            reason: reason.to_owned(),
        });
    }

    fn add_rejection(&mut self, rejection: Rejection) {
        *self.rejected.entry(format!("invalid {}", rejection.field)).or_default() += 1;
        if self.rejections.len() < MAX_LISTED_REJECTIONS {
            self.rejections.push(rejection);
        }
    }

    /// One invoice's lines and what intake did with them.
    pub fn invoice(
        &mut self,
        file: &str,
        lines: &[(&InvoiceLine, LineClass)],
        outcome: Result<Outcome>,
    ) {
        for (line, class) in lines {
            self.lines_read += 1;
            if let LineClass::NonStock { code } = class {
                *self.non_stock.entry(code.clone()).or_default() += 1;
                continue;
            }
            match &outcome {
                Ok(Outcome::Applied { .. }) => {
                    self.applied += 1;
                    let units = line.quantity.abs();
                    match class {
                        LineClass::Sale => {
                            self.units_sold += units;
                            self.units_ordered += units;
                        }
                        LineClass::Return => self.units_returned += units,
                        LineClass::WriteOff { .. } => self.units_written_off += units,
                        LineClass::FoundStock | LineClass::NonStock { .. } => {}
                    }
                }
                Ok(Outcome::Duplicate { .. }) => {
                    *self.skipped.entry("already applied".to_owned()).or_default() += 1;
                }
                Err(err) => {
                    let reason = match err {
                        EngineError::IdempotencyConflict { .. } => "invoice changed since applied",
                        _ => "refused by the ledger",
                    };
                    *self.rejected.entry(reason.to_owned()).or_default() += 1;
                    if self.rejections.len() < MAX_LISTED_REJECTIONS {
                        self.rejections.push(Rejection {
                            file: file.to_owned(),
                            row: line.row,
                            field: "InvoiceNo".to_owned(),
                            reason: err.user_message(),
                        });
                    }
                }
            }
        }
    }

    /// One return invoice captured through the returns process (its return id).
    pub fn returned(
        &mut self,
        file: &str,
        lines: &[(&InvoiceLine, LineClass)],
        outcome: Result<ReturnOutcome>,
    ) {
        self.lines_read += lines.len() as u64;
        match outcome {
            Ok(ReturnOutcome::Duplicate { .. }) => {
                *self.skipped.entry("already applied".to_owned()).or_default() +=
                    lines.len() as u64;
            }
            Ok(ReturnOutcome::Captured { .. }) => {
                self.applied += lines.len() as u64;
                self.units_returned += lines.iter().map(|(l, _)| l.quantity.abs()).sum::<i64>();
            }
            Err(err) => {
                let reason = match err {
                    EngineError::IdempotencyConflict { .. } => "invoice changed since applied",
                    _ => "refused by returns capture",
                };
                *self.rejected.entry(reason.to_owned()).or_default() += lines.len() as u64;
                if let (Some((line, _)), true) =
                    (lines.first(), self.rejections.len() < MAX_LISTED_REJECTIONS)
                {
                    self.rejections.push(Rejection {
                        file: file.to_owned(),
                        row: line.row,
                        field: "InvoiceNo".to_owned(),
                        reason: err.user_message(),
                    });
                }
            }
        }
    }

    /// One sale invoice captured as an order, and the units its dispatch shipped.
    pub fn order(
        &mut self,
        file: &str,
        lines: &[(&InvoiceLine, LineClass)],
        outcome: Result<CaptureOutcome>,
        shipped: i64,
    ) {
        self.lines_read += lines.len() as u64;
        match &outcome {
            Ok(CaptureOutcome::Reserved { .. } | CaptureOutcome::Rejected { .. }) => {
                self.applied += lines.len() as u64;
                self.orders_captured += 1;
                self.units_ordered += lines.iter().map(|(l, _)| l.quantity).sum::<i64>();
                self.units_sold += shipped;
            }
            Ok(CaptureOutcome::Duplicate { .. }) => {
                *self.skipped.entry("already applied".to_owned()).or_default() +=
                    lines.len() as u64;
            }
            Err(err) => {
                let reason = match err {
                    EngineError::IdempotencyConflict { .. } => "invoice changed since applied",
                    _ => "refused by order capture",
                };
                *self.rejected.entry(reason.to_owned()).or_default() += lines.len() as u64;
                if let Some((line, _)) = lines.first() {
                    if self.rejections.len() < MAX_LISTED_REJECTIONS {
                        self.rejections.push(Rejection {
                            file: file.to_owned(),
                            row: line.row,
                            field: "InvoiceNo".to_owned(),
                            reason: err.user_message(),
                        });
                    }
                }
            }
        }
    }

    pub fn supply(&mut self, event: &SupplyEvent, outcome: Result<Outcome>) {
        match outcome {
            Ok(Outcome::Applied { .. }) if event.kind != SupplyKind::PurchaseOrder => {
                self.units_received += event.lines.iter().map(|(_, u)| u).sum::<i64>();
            }
            Ok(_) => {}
            Err(err) => {
                tracing::error!(event = %event.external_id, error = %err, "supply event refused")
            }
        }
    }

    pub fn into_summary(
        self,
        options: &ReplayOptions,
        days: u32,
        stock: StockTotals,
        fulfilment: Option<FulfilmentKpis>,
        returns: Option<ReturnsOverview>,
        elapsed: Duration,
    ) -> ReplaySummary {
        let counts = |m: BTreeMap<String, u64>| {
            m.into_iter().map(|(reason, lines)| ReasonCount { reason, lines }).collect()
        };
        ReplaySummary {
            from: options.from.to_string(),
            to: options.to.to_string(),
            days,
            lines_read: self.lines_read,
            lines_applied: self.applied,
            skipped: counts(self.skipped),
            rejected: counts(self.rejected),
            non_stock: counts(self.non_stock),
            mode: options.mode,
            orders_captured: self.orders_captured,
            units_ordered: self.units_ordered,
            units_sold: self.units_sold,
            units_returned: self.units_returned,
            units_written_off: self.units_written_off,
            units_received: self.units_received,
            stock,
            fulfilment,
            returns,
            rejections: self.rejections,
            elapsed_ms: elapsed.as_millis() as u64,
        }
    }
}
