//! What the invoice file does not say, derived deterministically so a replay is
//! realistic and repeatable:
//!
//! - **Customers** are placed in one of the network's store towns, drawn by a hash of
//!   the customer id (or the invoice number) weighted by town population.
//! - **Fulfilment**: an invoice ships from its town's store for 15% of invoices (a hash
//!   bucket), from the London dark store for half of London's remaining invoices, and
//!   otherwise from the nearest distribution centre. UK customers buy on the web
//!   channel, others through marketplaces.
//! - **Returns** arrive at the returns hub; **write-offs** and **found stock** happen at
//!   the SKU's home DC (the DC that ships most of it).
//! - **Supply**: opening stock on the first day covers the first three weeks' demand;
//!   from the fourth week on, each location receives every Monday the week's demand, ordered
//!   from the supplier two weeks earlier (lead time 14 days, units inbound meanwhile).
//!   Every quantity carries a 15% buffer, rounded up, so stock is held mostly in the two
//!   DCs, stores hold a share, and availability rarely but really runs out.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Europe::London;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::uci::{classify, InvoiceLine, LineClass};
use crate::error::{EngineError, Result};
use crate::network::{distance_km, Location, LocationKind};

const SHIP_FROM_STORE_PERCENT: u64 = 15;
const DARK_STORE_PERCENT: u64 = 50;
const BUFFER_PERCENT: i64 = 115;
const LEAD_TIME_WEEKS: u64 = 2;

/// Where invoices are placed and fulfilled.
pub struct Placement {
    stores: Vec<Location>,
    cumulative_population: Vec<u64>,
    dcs: Vec<Location>,
    dark_store: Option<Location>,
    returns_hub: String,
}

impl Placement {
    pub fn new(locations: &[Location]) -> Result<Self> {
        let of_kind = |kind| locations.iter().filter(move |l: &&Location| l.kind == kind).cloned();
        let stores: Vec<Location> = of_kind(LocationKind::Store).collect();
        let dcs: Vec<Location> =
            of_kind(LocationKind::DistributionCentre).filter(|l| l.ships_orders).collect();
        let returns_hub = of_kind(LocationKind::ReturnsHub).next().map(|l| l.code);
        let (Some(returns_hub), false, false) = (returns_hub, stores.is_empty(), dcs.is_empty())
        else {
            return Err(EngineError::InvalidInput(
                "the network needs stores, a shipping DC and a returns hub".into(),
            ));
        };
        let mut total = 0u64;
        let cumulative_population = stores
            .iter()
            .map(|s| {
                total += s.town_population.max(1) as u64;
                total
            })
            .collect();
        let dark_store = of_kind(LocationKind::DarkStore).find(|l| l.ships_orders);
        Ok(Self { stores, cumulative_population, dcs, dark_store, returns_hub })
    }

    /// The store town a customer lives in.
    fn home_town(&self, customer_key: &str) -> &Location {
        let total = self.cumulative_population.last().copied().unwrap_or(1);
        let draw = stable_hash(customer_key) % total;
        let index = self.cumulative_population.partition_point(|&c| c <= draw);
        &self.stores[index.min(self.stores.len() - 1)]
    }

    /// The key a line's customer is placed by: the customer id, else the invoice.
    fn customer_key(line: &InvoiceLine) -> String {
        match &line.customer {
            Some(id) => format!("customer:{id}"),
            None => format!("invoice:{}", line.invoice),
        }
    }

    /// Where a line's customer lives: in the home town, up to about 4 km from its centre
    /// (a hash of the customer, so the same customer always lives at the same place).
    pub fn customer_point(&self, line: &InvoiceLine) -> (f64, f64) {
        let key = Self::customer_key(line);
        let town = self.home_town(&key);
        let h = stable_hash(&format!("address:{key}"));
        let offset = |bits: u64| ((bits % 2001) as f64 / 1000.0 - 1.0) * 0.036;
        (town.latitude + offset(h), town.longitude + offset(h >> 20) * 1.6)
    }

    /// The location that ships a sale line.
    pub fn fulfilment(&self, line: &InvoiceLine) -> &str {
        let town = self.home_town(&Self::customer_key(line));
        let bucket = stable_hash(&format!("fulfil:{}", line.invoice)) % 100;
        if bucket < SHIP_FROM_STORE_PERCENT && town.ships_orders {
            return &town.code;
        }
        if let Some(dark) = &self.dark_store {
            if dark.town == town.town && bucket < DARK_STORE_PERCENT {
                return &dark.code;
            }
        }
        let here = (town.latitude, town.longitude);
        self.dcs
            .iter()
            .min_by(|a, b| {
                let da = distance_km(here, (a.latitude, a.longitude));
                let db = distance_km(here, (b.latitude, b.longitude));
                da.total_cmp(&db)
            })
            .map_or(&self.returns_hub, |dc| &dc.code)
    }

    pub fn returns_hub(&self) -> &str {
        &self.returns_hub
    }

    pub fn channel(line: &InvoiceLine) -> &'static str {
        if line.country == "United Kingdom" {
            "WEB"
        } else {
            "MARKETPLACE"
        }
    }

    pub(crate) fn default_dc(&self) -> &str {
        self.dcs.iter().max_by_key(|d| d.daily_pick_capacity).map_or("", |d| d.code.as_str())
    }
}

/// Supply events derived from the whole data set.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplyEvent {
    pub external_id: String,
    pub time: DateTime<Utc>,
    pub location: String,
    pub kind: SupplyKind,
    /// (SKU, units), sorted by SKU.
    pub lines: Vec<(String, i64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupplyKind {
    Opening,
    PurchaseOrder,
    Receipt,
}

pub struct SupplyPlan {
    /// Sorted by time, then id.
    pub events: Vec<SupplyEvent>,
    /// SKU -> the DC that ships most of it.
    pub home_dc: HashMap<String, String>,
    /// SKU -> the cost its supply is received at (the demo's assumed cost, from the
    /// median selling price over the whole data set).
    pub unit_cost: HashMap<String, Decimal>,
}

/// Derives opening stock, purchase orders and receipts from every valid line.
pub fn derive(placement: &Placement, lines: &[InvoiceLine]) -> SupplyPlan {
    let Some(first_day) = lines.iter().map(|l| l.time.with_timezone(&London).date_naive()).min()
    else {
        return SupplyPlan {
            events: Vec::new(),
            home_dc: HashMap::new(),
            unit_cost: HashMap::new(),
        };
    };
    let week0 = week_start(first_day);
    let classified: Vec<(&InvoiceLine, LineClass)> =
        lines.iter().filter_map(|l| classify(l).ok().map(|c| (l, c))).collect();

    let mut dc_units: HashMap<(&str, &str), i64> = HashMap::new();
    for (line, class) in &classified {
        if *class == LineClass::Sale {
            *dc_units.entry((&line.sku, placement.fulfilment(line))).or_default() += line.quantity;
        }
    }
    let mut home_dc: HashMap<String, String> = HashMap::new();
    let mut best: HashMap<&str, (i64, &str)> = HashMap::new();
    for ((sku, loc), units) in &dc_units {
        if placement.dcs.iter().any(|d| d.code == *loc) {
            let entry = best.entry(sku).or_insert((0, loc));
            if *units > entry.0 || (*units == entry.0 && *loc < entry.1) {
                *entry = (*units, loc);
            }
        }
    }
    for (sku, (_, loc)) in best {
        home_dc.insert(sku.to_owned(), loc.to_owned());
    }

    // Demand per (location, week, SKU): units that leave sellable stock.
    let mut demand: BTreeMap<(String, u64, String), i64> = BTreeMap::new();
    for (line, class) in &classified {
        let location = match class {
            LineClass::Sale => placement.fulfilment(line).to_owned(),
            LineClass::WriteOff { .. } => {
                home_dc.get(&line.sku).cloned().unwrap_or_else(|| placement.default_dc().to_owned())
            }
            _ => continue,
        };
        let day = line.time.with_timezone(&London).date_naive();
        let week = (week_start(day) - week0).num_weeks() as u64;
        *demand.entry((location, week, line.sku.clone())).or_default() += line.quantity.abs();
    }

    let mut grouped: BTreeMap<(u64, String), Vec<(String, i64)>> = BTreeMap::new();
    for ((location, week, sku), units) in demand {
        let arrival_week = week.max(LEAD_TIME_WEEKS);
        grouped.entry((arrival_week, location)).or_default().push((sku, units));
    }
    let mut events = Vec::new();
    for ((week, location), lines) in grouped {
        let lines = merge_with_buffer(lines);
        events.extend(supply_events(week0, first_day, week, &location, lines));
    }
    events.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.external_id.cmp(&b.external_id)));
    SupplyPlan { events, home_dc, unit_cost: assumed_costs(&classified) }
}

/// The demo's assumed cost per SKU from the median price of its priced sale lines.
fn assumed_costs(classified: &[(&InvoiceLine, LineClass)]) -> HashMap<String, Decimal> {
    let mut prices: HashMap<&str, Vec<Decimal>> = HashMap::new();
    for (line, class) in classified {
        if *class == LineClass::Sale && line.unit_price > Decimal::ZERO {
            prices.entry(&line.sku).or_default().push(line.unit_price);
        }
    }
    prices
        .into_iter()
        .map(|(sku, mut p)| {
            p.sort();
            // The lower middle, as percentile_disc(0.5) picks it.
            let median = p[(p.len() - 1) / 2];
            (sku.to_owned(), crate::replenishment::demo::assumed_unit_cost(median))
        })
        .collect()
}

/// Sums lines per SKU and adds the buffer, rounding up to whole units.
fn merge_with_buffer(lines: Vec<(String, i64)>) -> Vec<(String, i64)> {
    let mut per_sku: BTreeMap<String, i64> = BTreeMap::new();
    for (sku, units) in lines {
        *per_sku.entry(sku).or_default() += units;
    }
    per_sku
        .into_iter()
        .map(|(sku, units)| (sku, (units * BUFFER_PERCENT + 99) / 100))
        .filter(|(_, units)| *units > 0)
        .collect()
}

/// Weeks up to the lead time are met from opening stock (the first purchase order can
/// only be placed on the first Monday of the data); later weeks get a purchase order
/// `LEAD_TIME_WEEKS` ahead and a Monday receipt.
fn supply_events(
    week0: NaiveDate,
    first_day: NaiveDate,
    week: u64,
    location: &str,
    lines: Vec<(String, i64)>,
) -> Vec<SupplyEvent> {
    let monday = |w: u64| week0 + Days::new(7 * w);
    let event = |kind, external_id: String, time, lines| SupplyEvent {
        external_id,
        time,
        location: location.to_owned(),
        kind,
        lines,
    };
    if week <= LEAD_TIME_WEEKS {
        return vec![event(
            SupplyKind::Opening,
            format!("opening:{location}"),
            london_time(first_day, 0),
            lines,
        )];
    }
    let arrival = monday(week);
    let ordered = monday(week - LEAD_TIME_WEEKS);
    vec![
        event(
            SupplyKind::PurchaseOrder,
            format!("po:{location}:{arrival}"),
            london_time(ordered, 6),
            lines.clone(),
        ),
        event(
            SupplyKind::Receipt,
            format!("receipt:{location}:{arrival}"),
            london_time(arrival, 6),
            lines,
        ),
    ]
}

fn week_start(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

fn london_time(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default();
    day.and_time(time)
        .and_local_timezone(London)
        .earliest()
        .map_or_else(|| day.and_time(time).and_utc(), |t| t.with_timezone(&Utc))
}

pub(super) fn stable_hash(key: &str) -> u64 {
    let digest = Sha256::digest(key.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(bytes)
}
