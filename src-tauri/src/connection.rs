//! Choosing and opening the database: at start-up from the saved settings, and when the
//! user switches between the local database and a shared server. A failure to open
//! leaves the app running, with the engine's message for the status screen.

use stockroom_engine::config::{self, DatabaseMode, SecretStore, Settings, SharedProfile};
use stockroom_engine::store::{self, Database};
use stockroom_engine::{replay, EngineError, ErrorCode};

use crate::error::{UiError, UiResult};
use crate::state::{AppDirs, AppState, Connection};
use crate::views::AppStatus;

/// Opens what the settings ask for. Never fails: a problem becomes the closed reason.
pub async fn open_from_settings(dirs: &AppDirs) -> Connection {
    let opened = match config::load_settings(&dirs.config) {
        Ok(Settings { mode: DatabaseMode::Local, .. }) => open_local(dirs).await,
        Ok(Settings { mode: DatabaseMode::Shared, shared }) => open_shared_at_start(shared).await,
        Err(err) => Err(err.into()),
    };
    match opened {
        Ok(db) => {
            tracing::info!(database = %db.describe(), "database open");
            Connection::Open(db)
        }
        Err(reason) => Connection::Closed(reason),
    }
}

async fn open_local(dirs: &AppDirs) -> UiResult<Database> {
    Ok(Database::open_local(&dirs.data).await?)
}

/// Shared mode at start-up uses the keyring only; without a stored password the app
/// starts unconnected and the settings screen asks for one (`connect_shared`).
async fn open_shared_at_start(profile: Option<SharedProfile>) -> UiResult<Database> {
    let profile = profile.ok_or_else(|| {
        UiError::new(ErrorCode::InvalidInput, "shared mode is set but no server is configured")
    })?;
    let password = match stored_password(&profile).await {
        Ok(Some(password)) => password,
        Ok(None) => return Err(password_needed(&profile, None)),
        Err(err) => return Err(password_needed(&profile, Some(err))),
    };
    Ok(Database::open_shared(&profile, &password).await?)
}

fn password_needed(profile: &SharedProfile, why: Option<UiError>) -> UiError {
    let ask = format!("enter the password for {} in Settings to connect", profile.account());
    match why {
        Some(err) => UiError::not_connected(format!("{ask}; {}", err.message)),
        None => UiError::not_connected(ask),
    }
}

/// The keyring blocks on D-Bus, so it is asked on a blocking thread.
pub async fn stored_password(profile: &SharedProfile) -> UiResult<Option<String>> {
    let profile = profile.clone();
    blocking(move || SecretStore::new().get(&profile)).await
}

pub async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> stockroom_engine::Result<T> + Send + 'static,
) -> UiResult<T> {
    match tauri::async_runtime::spawn_blocking(job).await {
        Ok(result) => Ok(result?),
        Err(err) => Err(EngineError::Internal(format!("a background task failed: {err}")).into()),
    }
}

/// Connects to the saved shared server and makes it the current database.
pub async fn switch_to_shared(state: &AppState, password: Option<String>) -> UiResult<()> {
    let mut settings = config::load_settings(&state.dirs.config)?;
    let profile = settings.shared.clone().ok_or_else(|| {
        UiError::new(ErrorCode::InvalidInput, "save the shared server's details first")
    })?;
    let account = profile.account();
    let password = match password {
        Some(typed) => typed,
        None => match state.session_password(&account).await {
            Some(known) => known,
            None => {
                stored_password(&profile).await?.ok_or_else(|| password_needed(&profile, None))?
            }
        },
    };

    let db = Database::open_shared(&profile, &password).await?;
    state.remember_session_password(account, password).await;
    settings.mode = DatabaseMode::Shared;
    config::save_settings(&state.dirs.config, &settings)?;
    replace(state, db).await;
    Ok(())
}

/// Makes the local database current again, starting its cluster if needed.
pub async fn switch_to_local(state: &AppState) -> UiResult<()> {
    let mut settings = config::load_settings(&state.dirs.config)?;
    if settings.mode != DatabaseMode::Local {
        settings.mode = DatabaseMode::Local;
        config::save_settings(&state.dirs.config, &settings)?;
    }
    if matches!(state.describe().await, Ok((DatabaseMode::Local, _, _))) {
        return Ok(());
    }

    let db = open_local(&state.dirs).await?;
    replace(state, db).await;
    Ok(())
}

/// Swaps in the new database, then closes the old one (stopping a local cluster).
async fn replace(state: &AppState, db: Database) {
    tracing::info!(database = %db.describe(), "switching database");
    let mut guard = state.lock_for_change().await;
    let old = std::mem::replace(&mut *guard, Connection::Open(db));
    drop(guard);
    if let Connection::Open(old) = old {
        old.close().await;
    }
}

pub async fn status(state: &AppState) -> UiResult<AppStatus> {
    let (mode, database, pool) = state.describe().await?;
    let data = store::data_status(&pool).await?;
    Ok(AppStatus {
        mode,
        database,
        data,
        demo_data_dir: replay::find_demo_data_dir().map(|dir| dir.display().to_string()),
        log_dir: state.dirs.logs.display().to_string(),
    })
}
