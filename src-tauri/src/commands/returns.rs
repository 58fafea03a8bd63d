//! The returns workstation: the queue, finding a return, inspecting and deciding, the
//! KPIs, capture at the desk and refunds.

use chrono::{DateTime, Utc};
use stockroom_engine::returns::{
    self, DecisionOutcome, DecisionRequest, KpiDimension, KpiRow, RefundOutcome, RefundRequest,
    ReturnDetail, ReturnOutcome, ReturnRequest, ReturnSummary, ReturnsOverview,
};
use tauri::State;

use crate::error::UiResult;
use crate::state::AppState;

/// Returns waiting for inspection (and, with `announced`, those still expected), oldest
/// first.
#[tauri::command]
#[specta::specta]
pub async fn returns_queue(
    state: State<'_, AppState>,
    location: Option<String>,
    announced: bool,
) -> UiResult<Vec<ReturnSummary>> {
    let pool = state.pool().await?;
    Ok(returns::queue(&pool, location.as_deref(), announced, 500).await?)
}

/// Returns matching a scanned or typed return number, order number or customer.
#[tauri::command]
#[specta::specta]
pub async fn find_returns(
    state: State<'_, AppState>,
    text: String,
) -> UiResult<Vec<ReturnSummary>> {
    Ok(returns::find(&state.pool().await?, &text).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn return_detail(state: State<'_, AppState>, return_id: i64) -> UiResult<ReturnDetail> {
    Ok(returns::detail(&state.pool().await?, return_id).await?)
}

/// Records inspection decisions (grade and disposition) now, all or none.
#[tauri::command]
#[specta::specta]
pub async fn decide_returns(
    state: State<'_, AppState>,
    decisions: Vec<DecisionRequest>,
) -> UiResult<Vec<DecisionOutcome>> {
    let pool = state.pool().await?;
    Ok(returns::decide_all(&pool, &state.actor(), &decisions).await?)
}

/// Makes refurbished units available; returns the transfer when they go elsewhere.
#[tauri::command]
#[specta::specta]
pub async fn complete_refurbishment(
    state: State<'_, AppState>,
    decision_id: i64,
) -> UiResult<Option<i64>> {
    let pool = state.pool().await?;
    Ok(returns::complete_refurbishment(&pool, &state.actor(), decision_id, Utc::now()).await?)
}

/// Captures a return at the desk (received now unless `received` is false).
#[tauri::command]
#[specta::specta]
pub async fn capture_return(
    state: State<'_, AppState>,
    request: ReturnRequest,
) -> UiResult<ReturnOutcome> {
    Ok(returns::capture(&state.pool().await?, &state.actor(), &request).await?)
}

/// Receives an announced return now.
#[tauri::command]
#[specta::specta]
pub async fn receive_return(state: State<'_, AppState>, return_id: i64) -> UiResult<bool> {
    let pool = state.pool().await?;
    Ok(returns::receive(&pool, &state.actor(), return_id, Utc::now()).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn refund_order_line(
    state: State<'_, AppState>,
    request: RefundRequest,
) -> UiResult<RefundOutcome> {
    Ok(returns::refund(&state.pool().await?, &state.actor(), &request).await?)
}

/// KPIs of returns received in [from, to), by `dimension`; the last row is `all`.
#[tauri::command]
#[specta::specta]
pub async fn returns_kpis(
    state: State<'_, AppState>,
    dimension: KpiDimension,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> UiResult<Vec<KpiRow>> {
    Ok(returns::kpis(&state.pool().await?, dimension, from, to).await?)
}

/// How many returns arrived in [from, to), how many link to a sale, and their totals.
#[tauri::command]
#[specta::specta]
pub async fn returns_overview(
    state: State<'_, AppState>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> UiResult<ReturnsOverview> {
    Ok(returns::overview(&state.pool().await?, from, to).await?)
}
