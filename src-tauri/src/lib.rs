//! The Stockroom desktop shell: a Tauri window over the engine. It opens the database the
//! settings name (the private local cluster by default), exposes the engine through
//! typed commands, and stops the local cluster when the app exits.

pub mod bindings;
mod commands;
mod connection;
pub mod error;
mod logging;
mod profile;
mod shutdown;
mod state;
pub mod views;

use tauri::{Manager, RunEvent};

use crate::state::{AppDirs, AppState};

/// Builds and runs the app; returns when the last window closed and the database stopped.
pub fn run() {
    let commands = bindings::builder();
    let app = tauri::Builder::default()
        // Registered for packaged builds: the signing key and endpoints are set at packaging
        // time (plugins.updater in tauri.conf.json holds empty placeholders). The plugin
        // makes no network call until asked to check, and the window may not ask.
        .plugin(tauri_plugin_updater::Builder::new().build())
        .invoke_handler(commands.invoke_handler())
        .setup(|app| {
            let dirs = app_dirs(app.handle())?;
            let log_guard = logging::init(&dirs.logs)?;
            app.manage(LogGuard(log_guard));
            tracing::info!(version = env!("CARGO_PKG_VERSION"), "Stockroom starting");
            shutdown::exit_on_signal(app.handle().clone());

            let state = AppState::new(dirs.clone());
            let mut guard = state
                .try_lock_for_change()
                .ok_or("the database state was locked before start-up")?;
            app.manage(state);
            tauri::async_runtime::spawn(async move {
                *guard = connection::open_from_settings(&dirs).await;
            });
            Ok(())
        })
        .build(tauri::generate_context!());

    match app {
        Ok(app) => app.run(on_event),
        Err(err) => {
            eprintln!("Stockroom could not start: {err}");
            std::process::exit(1);
        }
    }
}

/// Keeps the log writer alive for the life of the app.
struct LogGuard(#[allow(dead_code)] tracing_appender::non_blocking::WorkerGuard);

fn on_event(app: &tauri::AppHandle, event: RunEvent) {
    if let RunEvent::Exit = event {
        let Some(state) = app.try_state::<AppState>() else { return };
        tauri::async_runtime::block_on(async {
            if let Some(db) = state.take_for_exit().await {
                tracing::info!(database = %db.describe(), "closing the database");
                db.close().await;
            }
        });
        tracing::info!("Stockroom stopped");
    }
}

fn app_dirs(app: &tauri::AppHandle) -> tauri::Result<AppDirs> {
    let paths = app.path();
    Ok(AppDirs {
        data: paths.app_data_dir()?,
        config: paths.app_config_dir()?,
        logs: paths.app_log_dir()?,
    })
}
