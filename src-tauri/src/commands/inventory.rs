//! The inventory explorer: find a product, see it across the network, page the grid.

use stockroom_engine::catalog::{self, ProductHit};
use stockroom_engine::ledger::position::{self, PositionPage, PositionQuery};
use stockroom_engine::network::{self, Location};
use stockroom_engine::EngineError;
use tauri::State;

use crate::error::UiResult;
use crate::state::AppState;
use crate::views::{totals_of, SkuView};

#[tauri::command]
#[specta::specta]
pub async fn search_products(
    state: State<'_, AppState>,
    text: String,
    limit: u32,
) -> UiResult<Vec<ProductHit>> {
    Ok(catalog::search(&state.pool().await?, &text, limit).await?)
}

/// The product with every position that ever held it and their totals.
#[tauri::command]
#[specta::specta]
pub async fn sku_positions(state: State<'_, AppState>, sku: String) -> UiResult<SkuView> {
    let pool = state.pool().await?;
    let product = catalog::get(&pool, &sku)
        .await?
        .ok_or(EngineError::NotFound { what: "product", key: sku.clone() })?;
    let positions = position::for_sku(&pool, &sku).await?;
    let totals = totals_of(&positions);
    Ok(SkuView { product, positions, totals })
}

#[tauri::command]
#[specta::specta]
pub async fn positions_page(
    state: State<'_, AppState>,
    query: PositionQuery,
) -> UiResult<PositionPage> {
    Ok(position::page(&state.pool().await?, &query).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_locations(state: State<'_, AppState>) -> UiResult<Vec<Location>> {
    Ok(network::all(&state.pool().await?).await?)
}
