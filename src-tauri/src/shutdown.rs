//! A clean exit on SIGTERM or Ctrl-C as well as on closing the window: the app leaves
//! through Tauri's exit path, which stops the local PostgreSQL cluster. Without this a
//! terminated app would leave its private server running.

use tauri::AppHandle;

/// Waits for a termination signal in the background, then asks the app to exit.
pub fn exit_on_signal(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let signal = wait_for_signal().await;
        tracing::info!(signal, "termination signal received; exiting");
        app.exit(0);
    });
}

#[cfg(unix)]
async fn wait_for_signal() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};

    let Ok(mut term) = signal(SignalKind::terminate()) else {
        tracing::warn!("cannot listen for SIGTERM");
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = tokio::signal::ctrl_c() => "SIGINT",
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() -> &'static str {
    match tokio::signal::ctrl_c().await {
        Ok(()) => "Ctrl-C",
        Err(_) => std::future::pending().await,
    }
}
