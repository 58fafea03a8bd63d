//! What the shell's screens receive besides the engine's own types: small compositions
//! of engine results, exported to TypeScript with the commands.

use serde::Serialize;
use specta::Type;
use stockroom_engine::catalog::Product;
use stockroom_engine::config::{DatabaseMode, SharedProfile};
use stockroom_engine::ledger::{Movement, Position, StockTotals};
use stockroom_engine::store::DataStatus;

/// The status bar and the first-run check.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AppStatus {
    pub mode: DatabaseMode,
    /// Where the data lives, e.g. "local cluster in …"; never a password.
    pub database: String,
    pub data: DataStatus,
    /// The demo data folder, when the demo can be loaded.
    pub demo_data_dir: Option<String>,
    pub log_dir: String,
}

/// One SKU across the network.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SkuView {
    pub product: Product,
    pub positions: Vec<Position>,
    /// The sum of `positions`, one figure per state.
    pub totals: StockTotals,
}

/// A page of a position's movements, newest first.
#[derive(Debug, Clone, Serialize, Type)]
pub struct MovementPage {
    pub position: Option<Position>,
    pub movements: Vec<Movement>,
    /// Pass as `before_id` for the next (older) page; absent on the last page.
    pub next_before_id: Option<i64>,
}

/// The outcome of saving a shared-server profile.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SavedProfile {
    /// The password is in the OS keyring and will not be asked for again.
    pub password_stored: bool,
    /// Why the password could not be stored; it is then kept for this session only.
    pub keyring_message: Option<String>,
}

/// The settings screen: the saved choice plus whether a keyring can hold a password.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SettingsView {
    pub mode: DatabaseMode,
    pub shared: Option<SharedProfile>,
    pub keyring_available: bool,
    /// Why no keyring is available, when it is not.
    pub keyring_message: Option<String>,
}

pub fn totals_of(positions: &[Position]) -> StockTotals {
    positions.iter().fold(StockTotals::default(), |mut t, p| {
        t.on_hand += p.on_hand;
        t.available += p.available;
        t.reserved += p.reserved;
        t.in_transit += p.in_transit;
        t.damaged += p.damaged;
        t.quarantined += p.quarantined;
        t.return_pending += p.return_pending;
        t.inbound += p.inbound;
        t
    })
}

/// The next page starts below the oldest movement shown, if the page was full.
pub fn next_before_id(movements: &[Movement], limit: u32) -> Option<i64> {
    let full = u32::try_from(movements.len()).is_ok_and(|n| n >= limit) && limit > 0;
    movements.last().filter(|_| full).map(|m| m.id)
}
