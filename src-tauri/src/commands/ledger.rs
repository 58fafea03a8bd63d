//! The ledger drill-down and the reconciliation check.

use stockroom_engine::ledger::{self, position, verify, verify::VerifyReport};
use tauri::State;

use crate::error::UiResult;
use crate::state::AppState;
use crate::views::{next_before_id, MovementPage};

/// One position and a page of its movements, newest first.
#[tauri::command]
#[specta::specta]
pub async fn position_movements(
    state: State<'_, AppState>,
    sku: String,
    location: String,
    before_id: Option<i64>,
    limit: u32,
) -> UiResult<MovementPage> {
    let pool = state.pool().await?;
    let position = position::one(&pool, &sku, &location).await?;
    let movements =
        ledger::movements_for_position(&pool, &sku, &location, before_id, limit).await?;
    let next_before_id = next_before_id(&movements, limit);
    Ok(MovementPage { position, movements, next_before_id })
}

/// Recomputes every position from the ledger and lists any drift.
#[tauri::command]
#[specta::specta]
pub async fn verify_ledger(state: State<'_, AppState>) -> UiResult<VerifyReport> {
    Ok(verify::run(&state.pool().await?).await?)
}
