//! Helpers shared by the engine's integration tests: a fresh database per test on the
//! throwaway cluster, a tiny network, and the shared real data when present.
#![allow(dead_code)]

pub mod uci_counts;

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use sqlx::PgPool;
use stockroom_engine::catalog::{self, Product};
use stockroom_engine::intake::{self, Event, Outcome};
use stockroom_engine::ledger::{MovementKind, NewMovement, StockState};
use stockroom_engine::network::{self, Location, LocationKind};
use stockroom_engine::{testkit, Result};

pub async fn db() -> PgPool {
    testkit::fresh_database().await.expect("a fresh test database")
}

/// A database with two locations (DC-1, ST-1) and two SKUs (SKU-A, SKU-B).
pub async fn seeded_db() -> PgPool {
    let pool = db().await;
    seed(&pool).await;
    pool
}

/// Adds the two locations and two SKUs of [`seeded_db`] to a database.
pub async fn seed(pool: &PgPool) {
    let location = |code: &str, kind| Location {
        code: code.into(),
        kind,
        name: format!("{code} site"),
        town: "Testtown".into(),
        latitude: 52.0,
        longitude: -1.0,
        town_population: 1000,
        ships_orders: true,
        offers_pickup: kind == LocationKind::Store,
        daily_pick_capacity: 100,
        carrier_cutoff_local: None,
    };
    network::upsert(
        pool,
        &[
            location("DC-1", LocationKind::DistributionCentre),
            location("ST-1", LocationKind::Store),
        ],
    )
    .await
    .expect("locations");
    let product = |sku: &str| Product {
        sku: sku.into(),
        description: format!("{sku} thing"),
        base_unit: "each".into(),
    };
    catalog::upsert(pool, &[product("SKU-A"), product("SKU-B")]).await.expect("products");
}

pub fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, day, 12, 0, 0).single().expect("valid time")
}

pub fn movement(
    kind: MovementKind,
    sku: &str,
    location: &str,
    from: Option<StockState>,
    to: Option<StockState>,
    quantity: i64,
) -> NewMovement {
    testkit::movement(kind, sku, location, (from, to), quantity, at(1))
}

pub fn event(id: &str, movements: Vec<NewMovement>) -> Event {
    Event {
        source: "test".into(),
        external_id: id.into(),
        payload: serde_json::json!({ "id": id, "movements": movements }),
        movements,
    }
}

pub async fn submit(pool: &PgPool, id: &str, movements: Vec<NewMovement>) -> Result<Outcome> {
    intake::submit(pool, "test", &event(id, movements)).await
}

/// Receives `units` of a SKU into available stock.
pub async fn receive(pool: &PgPool, id: &str, sku: &str, location: &str, units: i64) {
    let m =
        movement(MovementKind::Receipt, sku, location, None, Some(StockState::Available), units);
    submit(pool, id, vec![m]).await.expect("receipt applied");
}

/// The shared real data folder (../shared/data from the workspace root). In CI its
/// absence fails the test; elsewhere the test is skipped with a message.
pub fn shared_data() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.join("online-retail").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("../shared/data is missing; CI must provide the shared data folder");
    }
    eprintln!("SKIPPED: ../shared/data not found; this test needs the real data set");
    None
}
