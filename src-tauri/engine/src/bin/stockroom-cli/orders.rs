//! `stockroom-cli orders ...` and `availability`: capture order files, follow orders
//! through shipment and cancellation, and ask what a channel may promise.

use std::path::PathBuf;

use chrono::Utc;
use clap::Subcommand;
use sqlx::PgPool;
use stockroom_engine::availability::atp;
use stockroom_engine::orders::import::{self, Format};
use stockroom_engine::orders::sourcing::Candidate;
use stockroom_engine::orders::{lifecycle, query, CaptureOutcome, OrderStatus};
use stockroom_engine::EngineError;

#[derive(Subcommand)]
pub enum OrdersCommand {
    /// Capture the orders in a JSON or CSV file.
    ///
    /// CSV: one row per order line; columns channel, order_id, sku, quantity, placed_at,
    /// then optionally unit_price, customer_lat, customer_lon, pickup_location,
    /// partial_policy, confirmed.
    ///
    /// JSON (an array, or one order per line): {"channel", "external_id", "lines":
    /// [{"sku", "quantity", "unit_price"}], "placed_at", and optionally "customer":
    /// [lat, lon], "pickup_location", "partial_policy", "confirmed", "customer_ref"}.
    /// Unknown fields and columns are refused. `confirmed` is true unless given as false
    /// (unconfirmed reservations expire).
    Capture {
        file: PathBuf,
        /// json or csv; by default from the file's extension.
        #[arg(long)]
        format: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The newest orders, optionally of one status.
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
    },
    /// One order with its allocations and the routing explanation.
    Show { id: i64 },
    /// Ship everything still reserved for the order, or only the lines given.
    Ship {
        id: i64,
        /// The warehouse's parcel reference; a repeat is ignored. Without it, each run
        /// is a new shipment.
        #[arg(long)]
        reference: Option<String>,
        /// Ship part of the order: --line LINE:UNITS, repeated (LINE as `orders show`
        /// numbers it). Without it, every open unit ships.
        #[arg(long = "line")]
        lines: Vec<String>,
    },
    /// Cancel the order, releasing what is still reserved.
    Cancel {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Release unconfirmed reservations whose hold has run out.
    Expire,
}

pub async fn run(pool: &PgPool, command: OrdersCommand) -> Result<bool, EngineError> {
    let now = Utc::now();
    match command {
        OrdersCommand::Capture { file, format, json } => {
            let format = match format.as_deref() {
                Some("json") => Format::Json,
                Some("csv") => Format::Csv,
                Some(other) => {
                    return Err(EngineError::InvalidInput(format!(
                        "--format {other}: use json or csv"
                    )))
                }
                None => Format::from_path(&file).ok_or_else(|| {
                    EngineError::InvalidInput(format!(
                        "{}: name the format with --format json|csv",
                        file.display()
                    ))
                })?,
            };
            let name = file.display().to_string();
            let reader = std::fs::File::open(&file)
                .map_err(|e| EngineError::DataMissing(format!("{name}: {e}")))?;
            let parsed = import::read(reader, &name, format)?;
            let report = import::capture_file(pool, "cli:orders", &name, parsed).await;
            if json {
                println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
            } else {
                print_import(&report);
            }
            return Ok(report.rejections.is_empty());
        }
        OrdersCommand::List { status, limit } => {
            let status = status.as_deref().map(parse_status).transpose()?;
            let filter = query::OrderFilter { status, limit, ..Default::default() };
            println!(
                "{:>8} {:<13} {:<16} {:<18} {:>6} {:>9} {:>8} {:>8}",
                "id", "channel", "order", "status", "units", "reserved", "shipped", "age h"
            );
            for o in query::list(pool, &filter, now).await? {
                println!(
                    "{:>8} {:<13} {:<16} {:<18} {:>6} {:>9} {:>8} {:>8.1}",
                    o.id,
                    o.channel,
                    o.external_id,
                    format!("{:?}", o.status),
                    o.units,
                    o.reserved_open,
                    o.shipped,
                    o.age_hours
                );
            }
        }
        OrdersCommand::Show { id } => print_detail(&query::detail(pool, id, now).await?),
        OrdersCommand::Ship { id, reference, lines } => {
            // Without the warehouse's reference each run is a shipment of its own.
            let reference =
                reference.unwrap_or_else(|| format!("cli-{}", now.format("%Y%m%dT%H%M%S%.9fZ")));
            let lines = lines.iter().map(|l| parse_ship_line(l)).collect::<Result<Vec<_>, _>>()?;
            let only = (!lines.is_empty()).then_some(lines.as_slice());
            let change = lifecycle::ship(pool, "cli:orders", id, &reference, only).await?;
            println!("order {id}: {} units shipped, now {}", change.units, change.status.as_str());
        }
        OrdersCommand::Cancel { id, reason } => {
            let change = lifecycle::cancel(pool, "cli:orders", id, &reason).await?;
            if change.status != OrderStatus::Cancelled {
                // Nothing was open: the order had already shipped, expired or was refused.
                eprintln!(
                    "order {id} is {:?}: nothing is left to cancel, 0 units released",
                    change.status
                );
                return Ok(false);
            }
            println!("order {id}: {} units released, now Cancelled", change.units);
        }
        OrdersCommand::Expire => {
            let changes = lifecycle::expire_due(pool, "cli:orders", now).await?;
            let units: i64 = changes.iter().map(|c| c.units).sum();
            println!("{} orders expired, {units} units released", changes.len());
        }
    }
    Ok(true)
}

/// Reads `--line LINE:UNITS`.
fn parse_ship_line(arg: &str) -> Result<lifecycle::ShipLine, EngineError> {
    let bad = || EngineError::InvalidInput(format!("--line '{arg}': use LINE:UNITS"));
    let (line, units) = arg.split_once(':').ok_or_else(bad)?;
    Ok(lifecycle::ShipLine {
        line_no: line.trim().parse().map_err(|_| bad())?,
        quantity: units.trim().parse().map_err(|_| bad())?,
    })
}

/// Candidates shown per decision beside the chosen ones.
const SHOWN_OTHERS: usize = 8;

/// What each channel may promise of a SKU, and from where.
pub async fn availability(pool: &PgPool, sku: &str) -> Result<(), EngineError> {
    let atp = atp::for_sku(pool, sku, Utc::now()).await?;
    for c in &atp.channels {
        println!(
            "{:<14} promisable {:>7}  (+{} from inbound)",
            c.channel, c.promisable, c.promisable_inbound
        );
        for l in c.locations.iter().filter(|l| l.promisable > 0 || l.excluded) {
            println!(
                "    {:<10} available {:>6} safety {:>4} pool {:>4} promisable {:>6} ships {}{}",
                l.location,
                l.available,
                l.safety_stock,
                l.pool_hold,
                l.promisable,
                l.ship_date,
                if l.excluded { " (excluded)" } else { "" }
            );
        }
    }
    Ok(())
}

fn parse_status(text: &str) -> Result<OrderStatus, EngineError> {
    // The list prints statuses as "PartiallyShipped"; either spelling is accepted.
    let snake = text.chars().enumerate().fold(String::new(), |mut out, (i, c)| {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        out
    });
    serde_json::from_value(serde_json::Value::String(snake)).map_err(|_| {
        EngineError::InvalidInput(format!(
            "--status {text}: use open, partially_shipped, shipped, cancelled, expired or rejected"
        ))
    })
}

fn print_import(r: &import::ImportReport) {
    println!(
        "{}: {} orders read; {} reserved, {} not reservable, {} already captured; {} rejections",
        r.file,
        r.orders_read,
        r.reserved,
        r.not_reservable,
        r.duplicates,
        r.rejections.len()
    );
    for o in &r.outcomes {
        let what = match &o.outcome {
            CaptureOutcome::Reserved { order_id, reserved_units, requested_units, shipments } => {
                format!(
                    "order {order_id}: reserved {reserved_units} of {requested_units} units \
                     in {shipments} shipment(s)"
                )
            }
            CaptureOutcome::Rejected { order_id, reason } => {
                format!("order {order_id}: not reservable: {reason}")
            }
            CaptureOutcome::Duplicate { order_id, status } => {
                format!("order {order_id}: already captured ({status:?})")
            }
        };
        println!("  {}/{}  {what}", o.channel, o.external_id);
    }
    for x in &r.rejections {
        println!("  rejected: {} row {} field {}: {}", x.file, x.row, x.field, x.reason);
    }
}

fn print_detail(d: &query::OrderDetail) {
    let s = &d.summary;
    println!(
        "order {} ({}/{}): {:?}, {} units in {} lines, value {}",
        s.id, s.channel, s.external_id, s.status, s.units, s.lines, s.order_value
    );
    for l in &d.lines {
        println!("  line {}: {} x {} at {}", l.line_no, l.quantity, l.sku, l.unit_price);
    }
    for a in &d.allocations {
        println!(
            "  from {:<10} line {} {}: reserved {} shipped {} released {} open {} (ships {})",
            a.location, a.line_no, a.sku, a.quantity, a.shipped, a.released, a.open, a.ship_day
        );
    }
    for dec in &d.decisions {
        println!("  decision {} [{}]: {}", dec.seq, dec.rule, dec.explanation);
        // Every chosen location and the pickup store, then the best of the others; the app
        // lists them all.
        let all = &dec.candidates.candidates;
        let first = |c: &&Candidate| c.chosen || d.pickup_location.as_ref() == Some(&c.location);
        let shown: Vec<_> = all
            .iter()
            .filter(first)
            .chain(all.iter().filter(|c| !first(c)).take(SHOWN_OTHERS))
            .collect();
        for c in &shown {
            println!(
                "      {:<10} {:>7.1} km  {} units  cost {}  score {}  {}",
                c.location, c.distance_km, c.units, c.cost, c.score, c.verdict
            );
        }
        if all.len() > shown.len() {
            println!("      ... and {} more candidates", all.len() - shown.len());
        }
    }
}
