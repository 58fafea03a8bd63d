//! The Tauri commands, one file per area. Each parses its arguments, calls the engine
//! and maps the result; rules and SQL live in the engine.

pub mod demo;
pub mod finance;
pub mod inventory;
pub mod ledger;
pub mod orders;
pub mod replenishment;
pub mod returns;
pub mod settings;
pub mod status;
