//! Logs: daily files in the app's log folder (the last fortnight kept) plus stderr.
//! `RUST_LOG` overrides the default levels. Nothing here ever receives a password: the
//! engine and the shell log profiles by account name only.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

const DEFAULT_FILTER: &str = "info,stockroom_app=debug,stockroom_engine=debug,sqlx=warn";
const KEEP_FILES: usize = 14;

/// Installs the global subscriber. Keep the guard alive for the whole run: dropping it
/// flushes and stops the file writer.
pub fn init(log_dir: &Path) -> anyhow::Result<WorkerGuard> {
    std::fs::create_dir_all(log_dir)?;
    let file = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("stockroom")
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(log_dir)?;
    let (file_writer, guard) = tracing_appender::non_blocking(file);
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));

    tracing_subscriber::registry()
        .with(filter)
        // No colours anywhere: layers share formatted span fields, so colour codes meant
        // for the terminal would also land in the files.
        .with(fmt::layer().with_ansi(false).with_writer(std::io::stderr))
        .with(fmt::layer().with_ansi(false).with_writer(file_writer))
        .try_init()?;
    Ok(guard)
}
