//! The planner's workbench: forecasts, planning runs, proposals and their approval,
//! transfers and purchase orders with their receipts.

use chrono::Utc;
use stockroom_engine::purchasing::{self, PurchaseOrderLine, PurchaseOrderSummary};
use stockroom_engine::receiving::{ReceiptLine, ReceiptOutcome};
use stockroom_engine::replenishment::demand::{self, DemandSeries, ForecastRefresh};
use stockroom_engine::replenishment::demo;
use stockroom_engine::replenishment::plan::{self, PlanSummary};
use stockroom_engine::replenishment::proposals::{
    self, Approval, DecisionSummary, Proposal, ProposalFilter,
};
use stockroom_engine::replenishment::settings::{self, Policy, PolicyChange};
use stockroom_engine::transfers::{self, TransferLine, TransferSummary};
use tauri::State;

use crate::error::UiResult;
use crate::state::AppState;

/// Runs a plan now; earlier open proposals are superseded.
#[tauri::command]
#[specta::specta]
pub async fn run_plan(state: State<'_, AppState>) -> UiResult<PlanSummary> {
    Ok(plan::run(&state.pool().await?, &state.actor(), Utc::now()).await?)
}

/// Refits forecasts on the history up to the latest sale.
#[tauri::command]
#[specta::specta]
pub async fn refresh_forecasts(state: State<'_, AppState>) -> UiResult<ForecastRefresh> {
    let pool = state.pool().await?;
    let as_of = demand::last_sale_day(&pool).await?.unwrap_or_else(|| Utc::now().date_naive());
    Ok(demand::refresh(&pool, as_of, demo::HISTORY_DAYS).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_proposals(
    state: State<'_, AppState>,
    filter: ProposalFilter,
) -> UiResult<Vec<Proposal>> {
    Ok(proposals::list(&state.pool().await?, &filter).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn approve_proposals(
    state: State<'_, AppState>,
    approvals: Vec<Approval>,
    note: Option<String>,
) -> UiResult<DecisionSummary> {
    let pool = state.pool().await?;
    Ok(proposals::approve(&pool, &state.actor(), &approvals, note.as_deref(), Utc::now()).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn reject_proposals(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    reason: String,
) -> UiResult<DecisionSummary> {
    let pool = state.pool().await?;
    Ok(proposals::reject(&pool, &state.actor(), &ids, &reason, Utc::now()).await?)
}

/// Daily history and forecast with its band, for the chart.
#[tauri::command]
#[specta::specta]
pub async fn demand_series(
    state: State<'_, AppState>,
    sku: String,
    location: String,
) -> UiResult<DemandSeries> {
    let pool = state.pool().await?;
    let as_of = demand::last_sale_day(&pool).await?.unwrap_or_else(|| Utc::now().date_naive());
    Ok(demand::series(&pool, &sku, &location, as_of, demo::HISTORY_DAYS).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_transfers(
    state: State<'_, AppState>,
    open_only: bool,
) -> UiResult<Vec<TransferSummary>> {
    Ok(transfers::list(&state.pool().await?, open_only, Utc::now()).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn transfer_lines(
    state: State<'_, AppState>,
    transfer_id: i64,
) -> UiResult<Vec<TransferLine>> {
    Ok(transfers::lines(&state.pool().await?, transfer_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn receive_transfer(
    state: State<'_, AppState>,
    transfer_id: i64,
    reference: String,
    lines: Vec<ReceiptLine>,
) -> UiResult<ReceiptOutcome> {
    let pool = state.pool().await?;
    let actor = state.actor();
    Ok(transfers::receive(&pool, &actor, transfer_id, &reference, &lines, Utc::now()).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_purchase_orders(
    state: State<'_, AppState>,
    open_only: bool,
) -> UiResult<Vec<PurchaseOrderSummary>> {
    Ok(purchasing::list(&state.pool().await?, open_only, Utc::now()).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn purchase_order_lines(
    state: State<'_, AppState>,
    purchase_order_id: i64,
) -> UiResult<Vec<PurchaseOrderLine>> {
    Ok(purchasing::lines(&state.pool().await?, purchase_order_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn receive_purchase_order(
    state: State<'_, AppState>,
    purchase_order_id: i64,
    reference: String,
    lines: Vec<ReceiptLine>,
) -> UiResult<ReceiptOutcome> {
    let pool = state.pool().await?;
    let actor = state.actor();
    let now = Utc::now();
    Ok(purchasing::receive(&pool, &actor, purchase_order_id, &reference, &lines, now).await?)
}

/// Every version of the planning policy, newest first.
#[tauri::command]
#[specta::specta]
pub async fn planning_policies(state: State<'_, AppState>) -> UiResult<Vec<Policy>> {
    Ok(settings::policy_history(&state.pool().await?).await?)
}

/// Saves a new policy version, effective now.
#[tauri::command]
#[specta::specta]
pub async fn change_planning_policy(
    state: State<'_, AppState>,
    change: PolicyChange,
) -> UiResult<Policy> {
    let pool = state.pool().await?;
    Ok(settings::change_policy(&pool, &state.actor(), &change, Utc::now()).await?)
}
