//! Demand history from the ledger and the forecasts fitted to it. History is the units
//! that left with customers (sale movements) per London calendar day at each location;
//! days without sales count as zero demand.

use std::time::Instant;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::PgPool;

use super::forecast::{self, DailyForecast};
use crate::error::{EngineError, Result, StorageContext};

/// Days ahead that planning averages the forecast over.
pub const HORIZON_DAYS: usize = 28;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ForecastRefresh {
    /// SKU x location series fitted.
    pub series: i64,
    pub history_days: i32,
    pub as_of: String,
    pub duration_ms: i64,
}

/// A SKU x location's history and forecast, for the planner's chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct DemandSeries {
    pub sku: String,
    pub location: String,
    /// First day of `history`, YYYY-MM-DD; the forecast starts the day after the last.
    pub history_from: String,
    pub history: Vec<i64>,
    pub forecast: DailyForecast,
}

fn london_midnight(day: NaiveDate) -> DateTime<Utc> {
    London
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map_or_else(|| day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(), |t| t.to_utc())
}

fn window(
    as_of: NaiveDate,
    history_days: u32,
) -> Result<(NaiveDate, DateTime<Utc>, DateTime<Utc>)> {
    let first = as_of
        .checked_sub_days(Days::new(u64::from(history_days.max(1)) - 1))
        .ok_or_else(|| EngineError::InvalidInput(format!("{history_days} days is too long")))?;
    let end = as_of + Days::new(1);
    Ok((first, london_midnight(first), london_midnight(end)))
}

/// Daily units sold, per SKU x location, over the window; `None` filters select all.
const DAILY_SALES: &str = "
SELECT sku, location, (event_time AT TIME ZONE 'Europe/London')::date AS day,
    sum(quantity)::bigint AS units
FROM movements
WHERE kind = 'sale' AND event_time >= $1 AND event_time < $2
  AND ($3::text IS NULL OR sku = $3) AND ($4::text IS NULL OR location = $4)
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";

/// Refits every SKU x location that sold in the `history_days` up to `as_of`, and
/// replaces the stored forecasts in one transaction.
#[tracing::instrument(skip(pool))]
pub async fn refresh(
    pool: &PgPool,
    as_of: NaiveDate,
    history_days: u32,
) -> Result<ForecastRefresh> {
    let started = Instant::now();
    let (first, from, to) = window(as_of, history_days)?;
    let rows: Vec<(String, String, NaiveDate, i64)> = sqlx::query_as(DAILY_SALES)
        .bind(from)
        .bind(to)
        .bind(None::<String>)
        .bind(None::<String>)
        .fetch_all(pool)
        .await
        .context("reading daily sales")?;

    let days = history_days.max(1) as usize;
    let mut out = Columns::default();
    let mut start = 0;
    while start < rows.len() {
        let (sku, location) = (&rows[start].0, &rows[start].1);
        let mut history = vec![0.0; days];
        let mut end = start;
        while end < rows.len() && &rows[end].0 == sku && &rows[end].1 == location {
            let offset = (rows[end].2 - first).num_days();
            if let Some(slot) = usize::try_from(offset).ok().and_then(|i| history.get_mut(i)) {
                *slot += rows[end].3 as f64;
            }
            end += 1;
        }
        let fitted = forecast::forecast(&history, HORIZON_DAYS);
        out.push(sku, location, &fitted, spike_share(&history));
        start = end;
    }

    let mut tx = pool.begin().await.context("starting the forecast refresh")?;
    sqlx::query("DELETE FROM demand_forecasts")
        .execute(&mut *tx)
        .await
        .context("clearing old forecasts")?;
    sqlx::query(
        "INSERT INTO demand_forecasts
             (sku, location, method, daily_mean, daily_sd, history_days, peak_share)
         SELECT s, l, m, mu, sd, $6, pk FROM unnest($1::text[], $2::text[], $3::text[],
             $4::float8[], $5::float8[], $7::float8[]) AS f(s, l, m, mu, sd, pk)",
    )
    .bind(&out.skus)
    .bind(&out.locations)
    .bind(&out.methods)
    .bind(&out.means)
    .bind(&out.sds)
    .bind(i32::try_from(days).unwrap_or(i32::MAX))
    .bind(&out.peaks)
    .execute(&mut *tx)
    .await
    .context("saving forecasts")?;
    tx.commit().await.context("committing the forecast refresh")?;

    let summary = ForecastRefresh {
        series: i64::try_from(out.skus.len()).unwrap_or(i64::MAX),
        history_days: i32::try_from(days).unwrap_or(i32::MAX),
        as_of: as_of.to_string(),
        duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
    };
    tracing::info!(
        series = summary.series,
        duration_ms = summary.duration_ms,
        "forecasts refreshed"
    );
    Ok(summary)
}

#[derive(Default)]
struct Columns {
    skus: Vec<String>,
    locations: Vec<String>,
    methods: Vec<String>,
    means: Vec<f64>,
    sds: Vec<f64>,
    peaks: Vec<f64>,
}

/// Units on the biggest day before it counts as a spike; below this a slow seller's one
/// sale would be flagged.
const SPIKE_MIN_UNITS: f64 = 10.0;

/// The share of the history's units sold on its single biggest day, when that day holds
/// at least half of them and at least [`SPIKE_MIN_UNITS`]: one bulk order then drives the
/// forecast, and a planner should look before buying on it. 0 otherwise.
pub fn spike_share(history: &[f64]) -> f64 {
    let total: f64 = history.iter().filter(|u| u.is_finite() && **u > 0.0).sum();
    let peak = history.iter().copied().filter(|u| u.is_finite()).fold(0.0, f64::max);
    if total <= 0.0 || peak < SPIKE_MIN_UNITS || peak / total < 0.5 {
        return 0.0;
    }
    (peak / total).min(1.0)
}

impl Columns {
    fn push(&mut self, sku: &str, location: &str, fitted: &DailyForecast, peak_share: f64) {
        let horizon = fitted.mean.len().max(1) as f64;
        let mean = fitted.mean.iter().sum::<f64>() / horizon;
        self.skus.push(sku.to_owned());
        self.locations.push(location.to_owned());
        self.methods.push(
            serde_json::to_value(fitted.method)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        );
        self.means.push(if mean.is_finite() { mean.max(0.0) } else { 0.0 });
        self.sds.push(if fitted.daily_sd.is_finite() { fitted.daily_sd.max(0.0) } else { 0.0 });
        self.peaks.push(peak_share);
    }
}

/// History and a fresh forecast of one SKU at one location, for a chart.
pub async fn series(
    pool: &PgPool,
    sku: &str,
    location: &str,
    as_of: NaiveDate,
    history_days: u32,
) -> Result<DemandSeries> {
    let (first, from, to) = window(as_of, history_days)?;
    let rows: Vec<(String, String, NaiveDate, i64)> = sqlx::query_as(DAILY_SALES)
        .bind(from)
        .bind(to)
        .bind(sku)
        .bind(location)
        .fetch_all(pool)
        .await
        .context(format!("reading daily sales of {sku} at {location}"))?;
    let mut history = vec![0i64; history_days.max(1) as usize];
    for (_, _, day, units) in rows {
        if let Some(slot) =
            usize::try_from((day - first).num_days()).ok().and_then(|i| history.get_mut(i))
        {
            *slot += units;
        }
    }
    let as_float: Vec<f64> = history.iter().map(|&u| u as f64).collect();
    Ok(DemandSeries {
        sku: sku.to_owned(),
        location: location.to_owned(),
        history_from: first.to_string(),
        forecast: forecast::forecast(&as_float, HORIZON_DAYS),
        history,
    })
}

/// The day of the latest sale in the ledger (London), if any: the demo's "today".
pub async fn last_sale_day(pool: &PgPool) -> Result<Option<NaiveDate>> {
    sqlx::query_scalar(
        "SELECT (max(event_time) AT TIME ZONE 'Europe/London')::date FROM movements
         WHERE kind = 'sale'",
    )
    .fetch_one(pool)
    .await
    .context("finding the last sale")
}

#[cfg(test)]
mod tests {
    use super::spike_share;

    #[test]
    fn one_bulk_day_is_a_spike_and_steady_or_tiny_sales_are_not() {
        let mut bulk = vec![0.0; 84];
        bulk[80] = 1_728.0;
        bulk[70] = 1.0;
        assert!((spike_share(&bulk) - 1_728.0 / 1_729.0).abs() < 1e-9);

        let steady = vec![5.0; 84];
        assert_eq!(spike_share(&steady), 0.0);
        let mut one_sale = vec![0.0; 84];
        one_sale[3] = 2.0;
        assert_eq!(spike_share(&one_sale), 0.0, "a slow seller's single sale is no spike");
        assert_eq!(spike_share(&[]), 0.0);
    }
}
