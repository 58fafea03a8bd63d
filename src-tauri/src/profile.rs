//! The shared-server profile on the settings screen: saving it, and keeping its password
//! in the OS keyring when asked and possible, otherwise in memory for this session.

use stockroom_engine::config::{self, SecretStore, SharedProfile};
use stockroom_engine::ErrorCode;

use crate::connection::blocking;
use crate::error::UiResult;
use crate::state::AppState;
use crate::views::{SavedProfile, SettingsView};

pub async fn settings_view(state: &AppState) -> UiResult<SettingsView> {
    let settings = config::load_settings(&state.dirs.config)?;
    let keyring = blocking(|| SecretStore::new().check()).await;
    Ok(SettingsView {
        mode: settings.mode,
        shared: settings.shared,
        keyring_available: keyring.is_ok(),
        keyring_message: keyring.err().map(|err| err.message),
    })
}

/// Saves the profile (never the password) and files the password as asked. Does not
/// connect: `connect_shared` does, so a typo is fixed before anything switches.
pub async fn save(
    state: &AppState,
    profile: SharedProfile,
    password: Option<String>,
    remember: bool,
) -> UiResult<SavedProfile> {
    profile.validate()?;
    let mut settings = config::load_settings(&state.dirs.config)?;
    settings.shared = Some(profile.clone());
    config::save_settings(&state.dirs.config, &settings)?;

    let saved = match (&password, remember) {
        (Some(password), true) => store(&profile, password.clone()).await?,
        (None, true) => SavedProfile { password_stored: has_stored(&profile).await, ..none() },
        (_, false) => forget(&profile).await?,
    };
    if let Some(password) = password {
        state.remember_session_password(profile.account(), password).await;
    }
    tracing::info!(account = %profile.account(), stored = saved.password_stored, "profile saved");
    Ok(saved)
}

fn none() -> SavedProfile {
    SavedProfile { password_stored: false, keyring_message: None }
}

/// An unavailable keyring is an answer, not a failure: the password stays in memory.
async fn store(profile: &SharedProfile, password: String) -> UiResult<SavedProfile> {
    let profile = profile.clone();
    match blocking(move || SecretStore::new().set(&profile, &password)).await {
        Ok(()) => Ok(SavedProfile { password_stored: true, keyring_message: None }),
        Err(err) if err.code == ErrorCode::KeyringUnavailable => {
            Ok(SavedProfile { password_stored: false, keyring_message: Some(err.message) })
        }
        Err(err) => Err(err),
    }
}

async fn forget(profile: &SharedProfile) -> UiResult<SavedProfile> {
    let profile = profile.clone();
    match blocking(move || SecretStore::new().delete(&profile)).await {
        Ok(()) => Ok(none()),
        Err(err) if err.code == ErrorCode::KeyringUnavailable => {
            Ok(SavedProfile { password_stored: false, keyring_message: Some(err.message) })
        }
        Err(err) => Err(err),
    }
}

async fn has_stored(profile: &SharedProfile) -> bool {
    let profile = profile.clone();
    matches!(blocking(move || SecretStore::new().get(&profile)).await, Ok(Some(_)))
}
