//! The status bar: which database is open and how much it holds.

use tauri::State;

use crate::connection;
use crate::error::UiResult;
use crate::state::AppState;
use crate::views::AppStatus;

/// Fails with the engine's message when no database is open (e.g. PostgreSQL missing).
#[tauri::command]
#[specta::specta]
pub async fn app_status(state: State<'_, AppState>) -> UiResult<AppStatus> {
    connection::status(&state).await
}
