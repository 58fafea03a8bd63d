//! Finance: perpetual moving-average valuation, a balanced GL journal for every change of
//! stock value (written in the movement's own transaction), periods, and a
//! reconciliation of the stock ledger's value against the GL that proves itself.

pub mod cost;
pub mod journal;
pub mod markdown;
pub mod periods;
pub mod posting;
pub mod reconcile;
pub mod valuation;
