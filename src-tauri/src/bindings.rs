//! The one list of commands: the runtime registers it and the bindings test exports it
//! to `ui/src/bindings.ts`, so the UI's types cannot drift from the shell's.

use specta_typescript::Typescript;
use tauri_specta::{collect_commands, Builder};

use crate::commands::{
    demo, finance, inventory, ledger, orders, replenishment, returns, settings, status,
};

pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            status::app_status,
            demo::load_demo,
            inventory::search_products,
            inventory::sku_positions,
            inventory::positions_page,
            inventory::list_locations,
            ledger::position_movements,
            ledger::verify_ledger,
            settings::get_settings,
            settings::save_shared_profile,
            settings::connect_shared,
            settings::use_local,
            orders::list_orders,
            orders::order_detail,
            orders::fulfilment_kpis,
            orders::capture_order,
            orders::ship_order,
            orders::cancel_order,
            orders::reject_at_store,
            orders::run_release_wave,
            orders::sku_availability,
            orders::check_basket,
            orders::availability_rules,
            orders::save_availability_rule,
            orders::list_exceptions,
            orders::assign_exception,
            orders::resolve_exception,
            replenishment::run_plan,
            replenishment::refresh_forecasts,
            replenishment::list_proposals,
            replenishment::approve_proposals,
            replenishment::reject_proposals,
            replenishment::demand_series,
            replenishment::list_transfers,
            replenishment::transfer_lines,
            replenishment::receive_transfer,
            replenishment::list_purchase_orders,
            replenishment::purchase_order_lines,
            replenishment::receive_purchase_order,
            replenishment::planning_policies,
            replenishment::change_planning_policy,
            returns::returns_queue,
            returns::find_returns,
            returns::return_detail,
            returns::decide_returns,
            returns::complete_refurbishment,
            returns::capture_return,
            returns::receive_return,
            returns::refund_order_line,
            returns::returns_kpis,
            returns::returns_overview,
            finance::journal_lines,
            finance::journal_totals,
            finance::reconciliation,
            finance::reconciliation_drill,
            finance::finance_periods,
            finance::close_period,
            finance::finance_monthly,
            finance::export_journal,
            finance::export_reconciliation,
        ])
        // Quantities are i64 but far below 2^53; plain numbers keep the UI simple.
        .dangerously_cast_bigints_to_number()
        // One TypeScript type per Rust type; the split into `_Serialize`/`_Deserialize`
        // variants only differs in optional-vs-null fields, which the UI does not need.
        .disable_serde_phases()
}

/// The exporter the committed bindings are made with.
pub fn typescript() -> Typescript {
    Typescript::default()
        .header("// Regenerate: UPDATE_BINDINGS=1 cargo test -p stockroom --test bindings\n")
}
