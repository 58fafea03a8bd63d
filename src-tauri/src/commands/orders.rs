//! Orders, availability and the exception queue.

use chrono::Utc;
use stockroom_engine::availability::atp::{self, BasketPromise, BasketRequest, SkuAvailability};
use stockroom_engine::availability::rules::{self, Rule, RuleChange};
use stockroom_engine::exceptions::{self, Exception, ExceptionFilter};
use stockroom_engine::orders::kpi::{self, FulfilmentKpis};
use stockroom_engine::orders::lifecycle::{self, Change, ShipLine, Wave};
use stockroom_engine::orders::query::{self, OrderDetail, OrderFilter, OrderSummary};
use stockroom_engine::orders::{self, CaptureOutcome, OrderRequest};
use tauri::State;

use crate::error::UiResult;
use crate::state::AppState;

/// Who the desktop user acts as, until roles arrive (recorded on every change).
const ACTOR: &str = "desktop";

/// Orders, newest first, with status and age.
#[tauri::command]
#[specta::specta]
pub async fn list_orders(
    state: State<'_, AppState>,
    filter: OrderFilter,
) -> UiResult<Vec<OrderSummary>> {
    Ok(query::list(&state.pool().await?, &filter, Utc::now()).await?)
}

/// Fill rate, split rate, distance and cost over every order (of one channel, if given).
#[tauri::command]
#[specta::specta]
pub async fn fulfilment_kpis(
    state: State<'_, AppState>,
    channel: Option<String>,
) -> UiResult<FulfilmentKpis> {
    Ok(kpi::fulfilment(&state.pool().await?, None, None, channel.as_deref()).await?)
}

/// One order with its lines, allocations and every routing decision.
#[tauri::command]
#[specta::specta]
pub async fn order_detail(state: State<'_, AppState>, order_id: i64) -> UiResult<OrderDetail> {
    Ok(query::detail(&state.pool().await?, order_id, Utc::now()).await?)
}

/// Captures an order typed in or pasted by the user, as a channel would send it.
#[tauri::command]
#[specta::specta]
pub async fn capture_order(
    state: State<'_, AppState>,
    order: OrderRequest,
) -> UiResult<CaptureOutcome> {
    Ok(orders::capture(&state.pool().await?, ACTOR, &order).await?)
}

/// Ships every open unit of the order (the warehouse's confirmation).
#[tauri::command]
#[specta::specta]
pub async fn ship_order(
    state: State<'_, AppState>,
    order_id: i64,
    shipment_ref: String,
    lines: Option<Vec<ShipLine>>,
) -> UiResult<Change> {
    let pool = state.pool().await?;
    Ok(lifecycle::ship(&pool, ACTOR, order_id, &shipment_ref, lines.as_deref()).await?)
}

/// Cancels the order, releasing what is still reserved.
#[tauri::command]
#[specta::specta]
pub async fn cancel_order(
    state: State<'_, AppState>,
    order_id: i64,
    reason: String,
) -> UiResult<Change> {
    Ok(lifecycle::cancel(&state.pool().await?, ACTOR, order_id, &reason).await?)
}

/// Records that a store could not find the units and re-routes the order.
#[tauri::command]
#[specta::specta]
pub async fn reject_at_store(
    state: State<'_, AppState>,
    order_id: i64,
    location: String,
) -> UiResult<Change> {
    Ok(lifecycle::store_rejection(&state.pool().await?, ACTOR, order_id, &location).await?)
}

/// Releases expired reservations and sends open lines to pick, flagging risky ones.
#[tauri::command]
#[specta::specta]
pub async fn run_release_wave(state: State<'_, AppState>) -> UiResult<Wave> {
    let pool = state.pool().await?;
    let now = Utc::now();
    lifecycle::expire_due(&pool, ACTOR, now).await?;
    Ok(lifecycle::release_wave(&pool, now, 20).await?)
}

/// What every channel may promise of a SKU, by location.
#[tauri::command]
#[specta::specta]
pub async fn sku_availability(
    state: State<'_, AppState>,
    sku: String,
) -> UiResult<SkuAvailability> {
    Ok(atp::for_sku(&state.pool().await?, &sku, Utc::now()).await?)
}

/// Checks a basket as capture would decide it, without reserving.
#[tauri::command]
#[specta::specta]
pub async fn check_basket(
    state: State<'_, AppState>,
    basket: BasketRequest,
) -> UiResult<BasketPromise> {
    Ok(atp::basket(&state.pool().await?, &basket, Utc::now()).await?)
}

/// Every version of every availability rule.
#[tauri::command]
#[specta::specta]
pub async fn availability_rules(state: State<'_, AppState>) -> UiResult<Vec<Rule>> {
    Ok(rules::history(&state.pool().await?).await?)
}

/// Records a new version of an availability rule.
#[tauri::command]
#[specta::specta]
pub async fn save_availability_rule(
    state: State<'_, AppState>,
    change: RuleChange,
) -> UiResult<Rule> {
    Ok(rules::record(&state.pool().await?, &change, ACTOR).await?)
}

/// The exception queue, oldest first.
#[tauri::command]
#[specta::specta]
pub async fn list_exceptions(
    state: State<'_, AppState>,
    filter: ExceptionFilter,
) -> UiResult<Vec<Exception>> {
    Ok(exceptions::list(&state.pool().await?, &filter, Utc::now()).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn assign_exception(state: State<'_, AppState>, id: i64, owner: String) -> UiResult<()> {
    Ok(exceptions::assign(&state.pool().await?, id, &owner).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn resolve_exception(
    state: State<'_, AppState>,
    id: i64,
    resolution: String,
) -> UiResult<()> {
    Ok(exceptions::resolve(&state.pool().await?, id, ACTOR, &resolution).await?)
}
