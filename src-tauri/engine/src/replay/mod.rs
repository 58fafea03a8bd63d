//! Replaying a real retailer's year: the UCI Online Retail invoice lines applied to the
//! ledger as channel sales, returns and write-offs on the GB network, with opening stock
//! and supplier receipts derived as described in [`plan`].
//!
//! Sales reach the ledger in one of two ways ([`ReplayMode`]): as orders captured,
//! reserved, routed and shipped by the order engine (the default), or directly as sale
//! movements at a location the plan derives. Every invoice is recorded once (intake
//! events by invoice number, orders by channel and invoice number), so a replay run
//! twice changes nothing the second time.

mod orders;
pub mod plan;
mod returns;
pub mod summary;
mod tally;
pub mod uci;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rust_decimal::Decimal;

use chrono::{Days, NaiveDate};
use chrono_tz::Europe::London;
use sqlx::PgPool;

use crate::catalog::{self, Product};
use crate::error::{EngineError, Result};
use crate::intake::{self, Event};
use crate::ledger::{MovementKind, NewMovement, StockState};
use crate::network;
use plan::{Placement, SupplyEvent, SupplyKind, SupplyPlan};
pub use summary::{ReasonCount, Rejection, ReplayProgress, ReplaySummary};
use tally::Tally;
use uci::{classify, InvoiceLine, LineClass};

pub const INVOICE_SOURCE: &str = "uci-online-retail";
pub const PLAN_SOURCE: &str = "uci-replay-plan";
pub const FIRST_DAY: &str = "2010-12-01";
pub const LAST_DAY: &str = "2011-09-30";

/// How sale invoices reach the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ReplayMode {
    /// As web and marketplace orders: capture, reserve, route, ship.
    Orders,
    /// As sale movements at the location the replay plan assigns (no orders).
    Direct,
}

impl ReplayMode {
    fn as_str(self) -> &'static str {
        match self {
            Self::Orders => "orders",
            Self::Direct => "direct",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReplayOptions {
    /// The folder holding `online-retail/` and `network/` (the shared data folder).
    pub data_dir: PathBuf,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Recorded on every movement.
    pub actor: String,
    pub mode: ReplayMode,
}

/// `STOCKROOM_DATA_DIR`, or a `shared/data` folder beside the current folder, the
/// executable, or any of their parents.
pub fn find_demo_data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("STOCKROOM_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    let starts = [std::env::current_dir().ok(), std::env::current_exe().ok()];
    starts.into_iter().flatten().find_map(|start| {
        start.ancestors().find_map(|dir| {
            let candidate = dir.join("shared").join("data");
            candidate.join("online-retail").is_dir().then_some(candidate)
        })
    })
}

pub fn parse_day(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| EngineError::InvalidInput(format!("'{text}' is not a date (YYYY-MM-DD)")))
}

pub fn network_file(data_dir: &Path) -> PathBuf {
    data_dir.join("network").join("gb-network.csv")
}

/// Loads the network, then replays the invoices: what the app's first run offers.
pub async fn load_demo(
    pool: &PgPool,
    options: &ReplayOptions,
    progress: impl FnMut(&ReplayProgress) + Send,
) -> Result<ReplaySummary> {
    let locations = network::read_csv(&network_file(&options.data_dir))?;
    network::upsert(pool, &locations).await?;
    run(pool, options, progress).await
}

/// One day file, read and parsed.
struct Day {
    date: NaiveDate,
    file: String,
    lines: Vec<InvoiceLine>,
    rejections: Vec<Rejection>,
}

/// How invoices reach the ledger: all of a day's invoices in one transaction (the
/// normal path), or one transaction per invoice (the naive path, for benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batching {
    PerDay,
    PerInvoice,
}

pub async fn run(
    pool: &PgPool,
    options: &ReplayOptions,
    progress: impl FnMut(&ReplayProgress) + Send,
) -> Result<ReplaySummary> {
    run_with(pool, options, Batching::PerDay, progress).await
}

#[tracing::instrument(skip_all, fields(from = %options.from, to = %options.to))]
pub async fn run_with(
    pool: &PgPool,
    options: &ReplayOptions,
    batching: Batching,
    mut progress: impl FnMut(&ReplayProgress) + Send,
) -> Result<ReplaySummary> {
    if options.from > options.to {
        return Err(EngineError::InvalidInput(format!(
            "the replay starts ({}) after it ends ({})",
            options.from, options.to
        )));
    }
    let started = Instant::now();
    refuse_mixed_modes(pool, &options.actor, options.mode).await?;
    let locations = network::all(pool).await?;
    let placement = Placement::new(&locations)?;
    let dir = options.data_dir.join("online-retail").join("by-day");
    let days = tokio::task::spawn_blocking(move || read_all_days(&dir))
        .await
        .map_err(|e| EngineError::Internal(format!("reading day files: {e}")))??;

    // The plan and the catalogue come from the whole data set, whatever the range, so
    // replaying in pieces gives the same ledger as replaying at once.
    let all_lines: Vec<InvoiceLine> = days.iter().flat_map(|d| d.lines.iter().cloned()).collect();
    let supply = plan::derive(&placement, &all_lines);
    catalog::upsert(pool, &catalogue(&all_lines)).await?;
    drop(all_lines);
    tracing::info!(ms = started.elapsed().as_millis() as u64, "read, planned and catalogued");

    let in_range: Vec<&Day> =
        days.iter().filter(|d| d.date >= options.from && d.date <= options.to).collect();
    let mut tally = Tally::default();
    let mut next_supply = 0;
    for (index, day) in in_range.iter().enumerate() {
        let day_end = london_midnight(day.date + Days::new(1));
        let due = supply.events[next_supply..].iter().take_while(|e| e.time < day_end).count();
        let supply_events = &supply.events[next_supply..next_supply + due];
        next_supply += due;
        apply_supply(pool, &options.actor, supply_events, &supply.unit_cost, &mut tally).await;
        match options.mode {
            ReplayMode::Direct => {
                apply_day(pool, options, batching, &placement, &supply, day, &mut tally).await
            }
            ReplayMode::Orders => {
                let arrived = returns::arrive_restocks(pool, &options.actor, day_end).await;
                if let Err(err) = arrived {
                    tracing::error!(day = %day.date, error = %err, "restock arrivals refused");
                }
                orders::apply_day(pool, options, &placement, &supply, day, &mut tally).await
            }
        }
        progress(&ReplayProgress {
            day: day.date.to_string(),
            days_done: index as u32 + 1,
            days_total: in_range.len() as u32,
            lines_read: tally.lines_read,
        });
    }

    let stock = crate::ledger::position::totals(pool).await?;
    let range =
        (Some(london_midnight(options.from)), Some(london_midnight(options.to + Days::new(1))));
    let (fulfilment, returns) = match options.mode {
        ReplayMode::Orders => (
            Some(crate::orders::kpi::fulfilment(pool, range.0, range.1, None).await?),
            Some(crate::returns::overview(pool, range.0, range.1).await?),
        ),
        ReplayMode::Direct => (None, None),
    };
    let days = in_range.len() as u32;
    let summary = tally.into_summary(options, days, stock, fulfilment, returns, started.elapsed());
    tracing::info!(
        lines = summary.lines_read,
        applied = summary.lines_applied,
        ms = summary.elapsed_ms,
        "replay finished"
    );
    Ok(summary)
}

fn read_all_days(dir: &Path) -> Result<Vec<Day>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| EngineError::DataMissing(format!("{}: {e}", dir.display())))?;
    let mut files: Vec<(NaiveDate, PathBuf)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?;
            let date = NaiveDate::parse_from_str(name.get(..10)?, "%Y-%m-%d").ok()?;
            name.ends_with(".csv.gz").then_some((date, path))
        })
        .collect();
    if files.is_empty() {
        return Err(EngineError::DataMissing(format!("no day files in {}", dir.display())));
    }
    files.sort();
    files
        .into_iter()
        .map(|(date, path)| {
            let (lines, rejections) = uci::read_day(&path)?;
            let file =
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Ok(Day { date, file, lines, rejections })
        })
        .collect()
}

/// Every stock SKU with the description of its latest priced line.
fn catalogue(lines: &[InvoiceLine]) -> Vec<Product> {
    let mut latest: BTreeMap<&str, (bool, &InvoiceLine)> = BTreeMap::new();
    for line in lines {
        let stock_line =
            matches!(classify(line), Ok(c) if !matches!(c, LineClass::NonStock { .. }));
        if !stock_line {
            continue;
        }
        let priced = !line.unit_price.is_zero();
        let better = |(p, old): &(bool, &InvoiceLine)| (priced, line.time) > (*p, old.time);
        match latest.get(line.sku.as_str()) {
            Some(current) if !better(current) => {}
            _ => {
                latest.insert(&line.sku, (priced, line));
            }
        }
    }
    latest
        .into_iter()
        .map(|(sku, (_, line))| Product {
            sku: sku.to_owned(),
            description: line.description.clone(),
            base_unit: "each".to_owned(),
        })
        .collect()
}

async fn apply_supply(
    pool: &PgPool,
    actor: &str,
    events: &[SupplyEvent],
    costs: &HashMap<String, Decimal>,
    tally: &mut Tally,
) {
    if events.is_empty() {
        return;
    }
    let intake: Vec<Event> = events.iter().map(|e| supply_event(e, costs)).collect();
    let outcomes = intake::submit_batch(pool, actor, &intake).await;
    for (event, outcome) in events.iter().zip(outcomes) {
        tally.supply(event, outcome);
    }
}

/// Supply arrives at the demo's assumed cost (see `SupplyPlan::unit_cost`).
fn supply_event(event: &SupplyEvent, costs: &HashMap<String, Decimal>) -> Event {
    let (kind, from, to) = match event.kind {
        SupplyKind::Opening => (MovementKind::Opening, None, Some(StockState::Available)),
        SupplyKind::PurchaseOrder => (MovementKind::PurchaseOrder, None, Some(StockState::Inbound)),
        SupplyKind::Receipt => {
            (MovementKind::Receipt, Some(StockState::Inbound), Some(StockState::Available))
        }
    };
    let movements = event
        .lines
        .iter()
        .map(|(sku, units)| NewMovement {
            kind,
            sku: sku.clone(),
            location: event.location.clone(),
            from,
            to,
            quantity: *units,
            channel: None,
            unit_price: None,
            unit_cost: (to == Some(StockState::Available))
                .then(|| costs.get(sku).copied())
                .flatten(),
            reason: Some("derived by the replay plan".to_owned()),
            reference: Some(event.external_id.clone()),
            event_time: event.time,
        })
        .collect();
    Event {
        source: PLAN_SOURCE.to_owned(),
        external_id: event.external_id.clone(),
        payload: serde_json::json!({
            "location": event.location,
            "time": event.time,
            "lines": event.lines,
        }),
        movements,
    }
}

async fn apply_day(
    pool: &PgPool,
    options: &ReplayOptions,
    batching: Batching,
    placement: &Placement,
    supply: &SupplyPlan,
    day: &Day,
    tally: &mut Tally,
) {
    let groups = classified_invoices(day, tally);
    let events: Vec<Event> =
        groups.iter().map(|lines| invoice_event(placement, supply, lines)).collect();
    let outcomes = match batching {
        Batching::PerDay => intake::submit_batch(pool, &options.actor, &events).await,
        Batching::PerInvoice => {
            let mut outcomes = Vec::with_capacity(events.len());
            for event in &events {
                outcomes.push(intake::submit(pool, &options.actor, event).await);
            }
            outcomes
        }
    };
    for (lines, outcome) in groups.iter().zip(outcomes) {
        tally.invoice(&day.file, lines, outcome);
    }
}

/// A day's valid lines grouped by invoice, in invoice order; rejected rows are tallied.
fn classified_invoices<'a>(
    day: &'a Day,
    tally: &mut Tally,
) -> Vec<Vec<(&'a InvoiceLine, LineClass)>> {
    tally.read_rejections(&day.rejections);
    let mut invoices: BTreeMap<&str, Vec<(&InvoiceLine, LineClass)>> = BTreeMap::new();
    for line in &day.lines {
        match classify(line) {
            Ok(class) => invoices.entry(line.invoice.as_str()).or_default().push((line, class)),
            Err((field, reason)) => tally.reject_row(&day.file, line.row, &field, &reason),
        }
    }
    invoices.into_values().collect()
}

/// The intake event of an invoice's lines (under the order replay, its lines other than
/// sales: those travel as an order).
fn invoice_event(
    placement: &Placement,
    supply: &SupplyPlan,
    lines: &[(&InvoiceLine, LineClass)],
) -> Event {
    let invoice = lines.first().map(|(l, _)| l.invoice.clone()).unwrap_or_default();
    let movements =
        lines.iter().filter_map(|(line, class)| movement(placement, supply, line, class)).collect();
    let payload_lines: Vec<&InvoiceLine> = lines.iter().map(|(l, _)| *l).collect();
    Event {
        source: INVOICE_SOURCE.to_owned(),
        external_id: invoice.clone(),
        payload: serde_json::json!({ "invoice": invoice, "lines": payload_lines }),
        movements,
    }
}

/// Records the mode of the database's replay once. A database replayed in one mode must
/// not be replayed in the other: its sales would count twice (as orders and as direct
/// movements), so the second mode is refused before anything is applied.
async fn refuse_mixed_modes(pool: &PgPool, actor: &str, mode: ReplayMode) -> Result<()> {
    let event = Event {
        source: PLAN_SOURCE.to_owned(),
        external_id: "replay-mode".to_owned(),
        payload: serde_json::json!({ "mode": mode.as_str() }),
        movements: Vec::new(),
    };
    match intake::submit(pool, actor, &event).await {
        Ok(_) => Ok(()),
        Err(EngineError::IdempotencyConflict { .. }) => Err(EngineError::InvalidInput(format!(
            "this database was replayed in the other mode; replaying it in {} mode would \
                 count its sales twice (use a fresh database)",
            mode.as_str()
        ))),
        Err(other) => Err(other),
    }
}

/// The movement a classified line becomes; none for non-stock lines.
pub(crate) fn movement(
    placement: &Placement,
    supply: &SupplyPlan,
    line: &InvoiceLine,
    class: &LineClass,
) -> Option<NewMovement> {
    let home_dc = || {
        supply.home_dc.get(&line.sku).cloned().unwrap_or_else(|| placement.default_dc().to_owned())
    };
    let channel = Some(Placement::channel(line).to_owned());
    let (kind, location, from, to, channel, price) = match class {
        LineClass::Sale => (
            MovementKind::Sale,
            placement.fulfilment(line).to_owned(),
            Some(StockState::Available),
            None,
            channel,
            Some(line.unit_price),
        ),
        LineClass::Return => (
            MovementKind::Return,
            placement.returns_hub().to_owned(),
            None,
            Some(StockState::ReturnPending),
            channel,
            Some(line.unit_price),
        ),
        LineClass::WriteOff { damaged } => (
            MovementKind::WriteOff,
            home_dc(),
            Some(StockState::Available),
            damaged.then_some(StockState::Damaged),
            None,
            None,
        ),
        LineClass::FoundStock => {
            (MovementKind::Adjustment, home_dc(), None, Some(StockState::Available), None, None)
        }
        LineClass::NonStock { .. } => return None,
    };
    Some(NewMovement {
        kind,
        sku: line.sku.clone(),
        location,
        from,
        to,
        quantity: line.quantity.abs(),
        channel,
        unit_price: price,
        unit_cost: None,
        reason: (!line.description.is_empty() && kind != MovementKind::Sale)
            .then(|| line.description.clone()),
        reference: Some(line.invoice.clone()),
        event_time: line.time,
    })
}

fn london_midnight(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(London).earliest())
        .map_or_else(|| day.and_time(chrono::NaiveTime::MIN).and_utc(), |t| t.to_utc())
}
