//! Where the data lives: the local database or a shared server.

use stockroom_engine::config::SharedProfile;
use tauri::State;

use crate::error::UiResult;
use crate::state::AppState;
use crate::views::{AppStatus, SavedProfile, SettingsView};
use crate::{connection, profile};

#[tauri::command]
#[specta::specta]
pub async fn get_settings(state: State<'_, AppState>) -> UiResult<SettingsView> {
    profile::settings_view(&state).await
}

/// Saves the server's details; `remember` files the password in the OS keyring.
#[tauri::command]
#[specta::specta]
pub async fn save_shared_profile(
    state: State<'_, AppState>,
    profile: SharedProfile,
    password: Option<String>,
    remember: bool,
) -> UiResult<SavedProfile> {
    profile::save(&state, profile, password, remember).await
}

/// Connects to the saved server with the given, session or stored password.
#[tauri::command]
#[specta::specta]
pub async fn connect_shared(
    state: State<'_, AppState>,
    password: Option<String>,
) -> UiResult<AppStatus> {
    connection::switch_to_shared(&state, password).await?;
    connection::status(&state).await
}

#[tauri::command]
#[specta::specta]
pub async fn use_local(state: State<'_, AppState>) -> UiResult<AppStatus> {
    connection::switch_to_local(&state).await?;
    connection::status(&state).await
}
