//! The finance workspace: the journal with filters, the reconciliation with drill-down,
//! period close, monthly figures and CSV exports.

use chrono::{NaiveDate, Utc};
use stockroom_engine::finance::journal::{
    self, AccountTotal, JournalFilter, JournalLine, MonthFigures,
};
use stockroom_engine::finance::periods::{self, CloseOutcome, Period};
use stockroom_engine::finance::reconcile::{self, DrillRow, Reconciliation};
use stockroom_engine::EngineError;
use tauri::{AppHandle, Manager, State};

use crate::error::UiResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn journal_lines(
    state: State<'_, AppState>,
    filter: JournalFilter,
    limit: i64,
    offset: i64,
) -> UiResult<Vec<JournalLine>> {
    Ok(journal::lines(&state.pool().await?, &filter, limit, offset).await?)
}

/// Debits, credits and balance per account over the filter.
#[tauri::command]
#[specta::specta]
pub async fn journal_totals(
    state: State<'_, AppState>,
    filter: JournalFilter,
) -> UiResult<Vec<AccountTotal>> {
    Ok(journal::totals(&state.pool().await?, &filter).await?)
}

/// Stock ledger vs GL as of the end of `as_of` in the company's time zone.
#[tauri::command]
#[specta::specta]
pub async fn reconciliation(
    state: State<'_, AppState>,
    as_of: NaiveDate,
) -> UiResult<Reconciliation> {
    Ok(reconcile::reconcile(&state.pool().await?, as_of).await?)
}

/// The movements and journal lines behind one reconciliation figure.
#[tauri::command]
#[specta::specta]
pub async fn reconciliation_drill(
    state: State<'_, AppState>,
    as_of: NaiveDate,
    account: String,
    location: String,
    sku: Option<String>,
) -> UiResult<Vec<DrillRow>> {
    let pool = state.pool().await?;
    Ok(reconcile::drill(&pool, as_of, &account, &location, sku.as_deref(), 500).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn finance_periods(state: State<'_, AppState>) -> UiResult<Vec<Period>> {
    Ok(periods::list(&state.pool().await?).await?)
}

/// Closes a month (YYYY-MM-01) after reconciling it; stays open with exceptions raised
/// when the stock ledger and the GL differ.
#[tauri::command]
#[specta::specta]
pub async fn close_period(state: State<'_, AppState>, month: NaiveDate) -> UiResult<CloseOutcome> {
    Ok(periods::close(&state.pool().await?, &state.actor(), month).await?)
}

/// Stock value, cost of goods sold, returns and write-offs by month.
#[tauri::command]
#[specta::specta]
pub async fn finance_monthly(state: State<'_, AppState>) -> UiResult<Vec<MonthFigures>> {
    Ok(journal::monthly(&state.pool().await?).await?)
}

/// Where exports go: the user's downloads folder, else the home folder.
fn export_path(app: &AppHandle, name: &str) -> Result<std::path::PathBuf, EngineError> {
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| EngineError::Internal(format!("no folder to export to: {e}")))?;
    Ok(dir.join(name))
}

fn create(path: &std::path::Path) -> Result<std::fs::File, EngineError> {
    std::fs::File::create(path)
        .map_err(|e| EngineError::InvalidInput(format!("cannot write {}: {e}", path.display())))
}

/// Writes the journal lines matching the filter to a CSV file; returns its path.
#[tauri::command]
#[specta::specta]
pub async fn export_journal(
    app: AppHandle,
    state: State<'_, AppState>,
    filter: JournalFilter,
) -> UiResult<String> {
    let stamp = Utc::now().format("%Y%m%d-%H%M%S");
    let path = export_path(&app, &format!("stockroom-journal-{stamp}.csv"))?;
    let file = create(&path)?;
    journal::export_csv(&state.pool().await?, &filter, std::io::BufWriter::new(file)).await?;
    Ok(path.display().to_string())
}

/// Writes the reconciliation as of a day to a CSV file; returns its path.
#[tauri::command]
#[specta::specta]
pub async fn export_reconciliation(
    app: AppHandle,
    state: State<'_, AppState>,
    as_of: NaiveDate,
) -> UiResult<String> {
    let report = reconcile::reconcile(&state.pool().await?, as_of).await?;
    let path = export_path(&app, &format!("stockroom-reconciliation-{as_of}.csv"))?;
    journal::reconciliation_csv(&report, std::io::BufWriter::new(create(&path)?))?;
    Ok(path.display().to_string())
}
