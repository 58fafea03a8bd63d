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

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use stockroom_engine::ledger::MovementKind;
    use stockroom_engine::network::LocationKind;

    use super::*;

    fn position(location: &str, available: i64, return_pending: i64) -> Position {
        Position {
            sku: "85123A".into(),
            description: "WHITE HANGING HEART T-LIGHT HOLDER".into(),
            location: location.into(),
            location_name: location.into(),
            location_kind: LocationKind::Store,
            on_hand: available,
            available,
            reserved: 0,
            in_transit: 0,
            damaged: 0,
            quarantined: 0,
            return_pending,
            inbound: 0,
            movement_count: 1,
        }
    }

    fn movement(id: i64) -> Movement {
        Movement {
            id,
            kind: MovementKind::Sale,
            sku: "85123A".into(),
            location: "ST-001".into(),
            from_state: None,
            to_state: None,
            quantity: 1,
            channel: None,
            unit_price: None,
            reason: None,
            reference: None,
            actor: "test".into(),
            event_time: Utc::now(),
            recorded_at: Utc::now(),
            idempotency_key: format!("k{id}"),
        }
    }

    #[test]
    fn sku_totals_add_up_every_state_across_locations() {
        let positions = [position("DC-NORTH", 466, 0), position("ST-001", -2, 3)];

        let totals = totals_of(&positions);

        assert_eq!(totals.available, 464);
        assert_eq!(totals.on_hand, 464);
        assert_eq!(totals.return_pending, 3);
    }

    #[test]
    fn a_full_page_points_below_its_oldest_movement_and_a_short_one_ends() {
        let full = [movement(9), movement(7)];
        let short = [movement(3)];

        assert_eq!(next_before_id(&full, 2), Some(7));
        assert_eq!(next_before_id(&short, 2), None);
        assert_eq!(next_before_id(&[], 2), None);
    }
}
