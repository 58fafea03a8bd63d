//! Loading the demo: replays the bundled sales history day by day into the ledger.

use stockroom_engine::replay::{self, ReplayMode, ReplayOptions, ReplayProgress, ReplaySummary};
use stockroom_engine::replenishment;
use stockroom_engine::EngineError;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::UiResult;
use crate::state::AppState;

/// Replays `from`..=`to` (YYYY-MM-DD), reporting each day on `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn load_demo(
    state: State<'_, AppState>,
    from: String,
    to: String,
    on_progress: Channel<ReplayProgress>,
) -> UiResult<ReplaySummary> {
    let data_dir = replay::find_demo_data_dir()
        .ok_or_else(|| EngineError::DataMissing("the demo data folder".into()))?;
    let options = ReplayOptions {
        data_dir,
        from: replay::parse_day(&from)?,
        to: replay::parse_day(&to)?,
        actor: state.actor(),
        mode: ReplayMode::Orders,
    };
    let pool = state.pool().await?;

    let summary = replay::load_demo(&pool, &options, |progress: &ReplayProgress| {
        if let Err(err) = on_progress.send(progress.clone()) {
            tracing::debug!(error = %err, "the window stopped listening to demo progress");
        }
    })
    .await?;

    // Suppliers, forecasts and a first plan, so the planner's workbench has work in it.
    if let Some(setup) = replenishment::demo::prepare(&pool, &options.actor).await? {
        let p = &setup.plan;
        tracing::info!(proposals = p.purchases + p.transfers + p.rebalances, "demo planned");
    }
    Ok(summary)
}
