//! Replenishment: demand forecasts from the ledger's sales, reorder points and order-up-to
//! levels from forecast, service level and lead times, and the proposals (purchase
//! orders and transfers) that planners approve, edit or reject.
//!
//! `policy` holds the arithmetic as plain functions; `plan` runs it set-based in the
//! database for the whole catalogue x network; `proposals` is the planner's workbench.

pub mod demand;
pub mod demo;
pub mod forecast;
pub mod plan;
pub mod policy;
pub mod proposals;
pub mod rebalance;
pub mod settings;
