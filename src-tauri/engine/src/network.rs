//! The store network: distribution centres, stores, dark stores and the returns hub,
//! with coordinates and what each can do. Loaded from the network CSV.

use std::path::Path;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgPool;

use crate::error::{EngineError, Result, StorageContext};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "location_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    DistributionCentre,
    DarkStore,
    Store,
    ReturnsHub,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct Location {
    pub code: String,
    pub kind: LocationKind,
    pub name: String,
    pub town: String,
    pub latitude: f64,
    pub longitude: f64,
    pub town_population: i64,
    pub ships_orders: bool,
    pub offers_pickup: bool,
    pub daily_pick_capacity: i32,
    /// Local time after which today's orders ship tomorrow; none where nothing ships.
    #[specta(type = Option<String>)]
    pub carrier_cutoff_local: Option<NaiveTime>,
}

/// Reads the network CSV (`gb-network.csv` layout). Every bad row is reported with its
/// line number and field; nothing is returned unless every row is valid.
pub fn read_csv(path: &Path) -> Result<Vec<Location>> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| EngineError::DataMissing(format!("{}: {e}", path.display())))?;
    let mut locations = Vec::new();
    let mut problems = Vec::new();
    for (index, record) in reader.deserialize::<NetworkRow>().enumerate() {
        let line = index + 2;
        match record.map_err(|e| e.to_string()).and_then(NetworkRow::into_location) {
            Ok(location) => locations.push(location),
            Err(reason) => problems.push(format!("line {line}: {reason}")),
        }
    }
    if !problems.is_empty() {
        return Err(EngineError::InvalidInput(format!(
            "{} has {} invalid rows: {}",
            path.display(),
            problems.len(),
            problems.join("; ")
        )));
    }
    Ok(locations)
}

#[derive(Deserialize)]
struct NetworkRow {
    code: String,
    kind: LocationKind,
    name: String,
    town: String,
    latitude: f64,
    longitude: f64,
    town_population: i64,
    ships_orders: bool,
    offers_pickup: bool,
    daily_pick_capacity: i32,
    carrier_cutoff_local: String,
}

impl NetworkRow {
    fn into_location(self) -> std::result::Result<Location, String> {
        if self.code.trim().is_empty() {
            return Err("field code: empty".into());
        }
        let cutoff =
            match self.carrier_cutoff_local.trim() {
                "" => None,
                text => Some(NaiveTime::parse_from_str(text, "%H:%M").map_err(|e| {
                    format!("field carrier_cutoff_local: '{text}' is not HH:MM ({e})")
                })?),
            };
        Ok(Location {
            code: self.code,
            kind: self.kind,
            name: self.name,
            town: self.town,
            latitude: self.latitude,
            longitude: self.longitude,
            town_population: self.town_population,
            ships_orders: self.ships_orders,
            offers_pickup: self.offers_pickup,
            daily_pick_capacity: self.daily_pick_capacity,
            carrier_cutoff_local: cutoff,
        })
    }
}

/// Inserts or updates the locations; the network file is the master for these fields.
pub async fn upsert(pool: &PgPool, locations: &[Location]) -> Result<()> {
    let mut tx = pool.begin().await.context("starting the network import")?;
    for l in locations {
        sqlx::query(
            "INSERT INTO locations (code, kind, name, town, latitude, longitude, town_population,
                 ships_orders, offers_pickup, daily_pick_capacity, carrier_cutoff_local)
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
             ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                 town = excluded.town, latitude = excluded.latitude,
                 longitude = excluded.longitude, town_population = excluded.town_population,
                 ships_orders = excluded.ships_orders, offers_pickup = excluded.offers_pickup,
                 daily_pick_capacity = excluded.daily_pick_capacity,
                 carrier_cutoff_local = excluded.carrier_cutoff_local",
        )
        .bind(&l.code)
        .bind(l.kind)
        .bind(&l.name)
        .bind(&l.town)
        .bind(l.latitude)
        .bind(l.longitude)
        .bind(l.town_population)
        .bind(l.ships_orders)
        .bind(l.offers_pickup)
        .bind(l.daily_pick_capacity)
        .bind(l.carrier_cutoff_local)
        .execute(&mut *tx)
        .await
        .context(format!("saving location {}", l.code))?;
    }
    tx.commit().await.context("committing the network import")
}

pub async fn all(pool: &PgPool) -> Result<Vec<Location>> {
    sqlx::query_as::<_, Location>("SELECT * FROM locations ORDER BY kind, code")
        .fetch_all(pool)
        .await
        .context("reading locations")
}

/// Great-circle distance in kilometres.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}
