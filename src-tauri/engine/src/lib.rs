//! Stockroom's engine: one governed inventory ledger for every channel and location.
//!
//! The engine owns the domain (catalogue, network, ledger, intake, replay) and its
//! storage in PostgreSQL. It has no GUI dependency: the desktop shell and the CLI are
//! thin layers over it, and its tests build without WebKit.

pub mod availability;
pub mod catalog;
pub mod cluster;
pub mod config;
pub mod error;
pub mod exceptions;
pub mod finance;
pub mod intake;
pub mod ledger;
pub mod network;
pub mod orders;
pub mod purchasing;
pub mod receiving;
pub mod rejection;
pub mod replay;
pub mod replenishment;
pub mod returns;
pub mod store;
pub mod testkit;
pub mod transfers;

pub use error::{EngineError, ErrorCode, Result};
