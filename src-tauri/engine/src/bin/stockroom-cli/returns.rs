//! `stockroom-cli returns ...`: capture returns from a JSON file, work the queue, record
//! decisions, refunds, and read the KPIs.

use std::path::PathBuf;

use chrono::Utc;
use clap::{Subcommand, ValueEnum};
use serde_json::value::RawValue;
use sqlx::PgPool;
use stockroom_engine::returns::{
    self, DecisionRequest, Disposition, Grade, KpiDimension, RefundRequest, ReturnOutcome,
    ReturnRequest, ReturnStatus,
};
use stockroom_engine::EngineError;

#[derive(Subcommand)]
pub enum ReturnsCommand {
    /// Capture the returns in a JSON file (an array of returns, or one per line).
    ///
    /// Each return: {"channel", "external_id" (the RMA number), "location" (where it is
    /// received), "lines": [{"sku", "quantity", "reason", and optionally
    /// "order_line_no", "unit_price"}], "at", and optionally "order": {"channel",
    /// "external_id"}, "customer_ref", "received" (true unless given as false: false
    /// announces the return without receiving it). Unknown fields are refused.
    Capture { file: PathBuf },
    /// Returns waiting for inspection, oldest first.
    Queue {
        #[arg(long)]
        location: Option<String>,
        /// Include returns announced but not received yet.
        #[arg(long)]
        announced: bool,
    },
    /// Find returns by return number, order number or customer.
    Find { text: String },
    /// One return: its lines, the suggestion per grade and the decisions taken.
    Show { id: i64 },
    /// Receive an announced return now.
    Receive { id: i64 },
    /// Grade units of a return line and send them on (the suggestion unless --to).
    Decide {
        id: i64,
        #[arg(long, default_value_t = 1)]
        line: i32,
        #[arg(long)]
        quantity: i64,
        #[arg(long, value_enum)]
        grade: GradeArg,
        /// Override the suggested disposition (needs --reason).
        #[arg(long, value_enum)]
        to: Option<DispositionArg>,
        #[arg(long)]
        reason: Option<String>,
        /// Where restocked or refurbished units go (default: nearest that may hold them).
        #[arg(long)]
        destination: Option<String>,
    },
    /// Make refurbished units available.
    Refurbished { decision: i64 },
    /// Refund units of an order line; with --restock they are put back.
    Refund {
        order: i64,
        #[arg(long, default_value_t = 1)]
        line: i32,
        #[arg(long)]
        quantity: i64,
        #[arg(long)]
        reference: String,
        #[arg(long)]
        restock: bool,
        #[arg(long, default_value = "not_given")]
        reason: String,
    },
    /// Cycle time, time to resale and recovery, by reason, grade, location, disposition
    /// or month.
    Kpis {
        #[arg(long, value_enum, default_value_t = DimensionArg::Grade)]
        by: DimensionArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GradeArg {
    AsNew,
    OpenBox,
    Damaged,
    Defective,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DispositionArg {
    Restock,
    Refurbish,
    ReturnToVendor,
    Liquidate,
    Scrap,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DimensionArg {
    Reason,
    Grade,
    Location,
    Disposition,
    Month,
}

fn grade(g: GradeArg) -> Grade {
    match g {
        GradeArg::AsNew => Grade::AsNew,
        GradeArg::OpenBox => Grade::OpenBox,
        GradeArg::Damaged => Grade::Damaged,
        GradeArg::Defective => Grade::Defective,
    }
}

fn disposition(d: DispositionArg) -> Disposition {
    match d {
        DispositionArg::Restock => Disposition::Restock,
        DispositionArg::Refurbish => Disposition::Refurbish,
        DispositionArg::ReturnToVendor => Disposition::ReturnToVendor,
        DispositionArg::Liquidate => Disposition::Liquidate,
        DispositionArg::Scrap => Disposition::Scrap,
    }
}

fn dimension(d: DimensionArg) -> KpiDimension {
    match d {
        DimensionArg::Reason => KpiDimension::Reason,
        DimensionArg::Grade => KpiDimension::Grade,
        DimensionArg::Location => KpiDimension::Location,
        DimensionArg::Disposition => KpiDimension::Disposition,
        DimensionArg::Month => KpiDimension::Month,
    }
}

fn print_json(value: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
}

const ACTOR: &str = "cli:returns";

/// The returns in a file: a JSON array, or one JSON object per line. Each return is read
/// on its own, so one that cannot be read is reported (by its place in the file and what
/// is wrong with it) and the others still go through.
fn parse_returns(name: &str, text: &str) -> Vec<(String, Result<ReturnRequest, String>)> {
    // Each item is read from its own text, so a key given twice is refused, not
    // overwritten.
    if let Ok(items) = serde_json::from_str::<Vec<Box<RawValue>>>(text) {
        return items
            .iter()
            .enumerate()
            .map(|(n, item)| {
                let id = serde_json::from_str::<serde_json::Value>(item.get())
                    .ok()
                    .and_then(|v| v.get("external_id").and_then(|v| v.as_str()).map(str::to_owned));
                let label = match id {
                    Some(id) => format!("{name} return {} ({id})", n + 1),
                    None => format!("{name} return {}", n + 1),
                };
                (label, serde_json::from_str(item.get()).map_err(|e| e.to_string()))
            })
            .collect();
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            (format!("{name} line {}", n + 1), serde_json::from_str(l).map_err(|e| e.to_string()))
        })
        .collect()
}

fn describe(request: &ReturnRequest, outcome: &ReturnOutcome) -> String {
    let label = |status: &ReturnStatus| match status {
        ReturnStatus::Announced => "announced, not yet received",
        ReturnStatus::Received => "received, waiting for inspection",
        ReturnStatus::Closed => "closed",
    };
    match outcome {
        ReturnOutcome::Captured { return_id, linked_lines, lines, status } => format!(
            "return {} captured as id {return_id}, {linked_lines} of {lines} line(s) linked \
             to a sale, {}",
            request.external_id,
            label(status)
        ),
        ReturnOutcome::Duplicate { return_id, status } => format!(
            "return {} was already captured as id {return_id} ({}); nothing changed",
            request.external_id,
            label(status)
        ),
    }
}

/// Runs one command; false when some input was refused.
pub async fn run(pool: &PgPool, command: ReturnsCommand) -> Result<bool, EngineError> {
    let now = Utc::now();
    match command {
        ReturnsCommand::Capture { file } => {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(&file)
                .map_err(|e| EngineError::DataMissing(format!("{name}: {e}")))?;
            let mut ok = true;
            for (label, parsed) in parse_returns(&name, &text) {
                let request = match parsed {
                    Ok(request) => request,
                    Err(reason) => {
                        ok = false;
                        eprintln!("{label}: {reason}");
                        continue;
                    }
                };
                match returns::capture(pool, ACTOR, &request).await {
                    Ok(outcome) => println!("{label}: {}", describe(&request, &outcome)),
                    Err(err) => {
                        ok = false;
                        eprintln!("{label}: {}", err.user_message());
                    }
                }
            }
            Ok(ok)
        }
        ReturnsCommand::Queue { location, announced } => {
            let queue = returns::queue(pool, location.as_deref(), announced, 200).await?;
            println!(
                "{:>8} {:<14} {:<12} {:<10} {:>6} {:>7} {:>8}  flag",
                "id", "rma", "channel", "location", "units", "waiting", "age (h)"
            );
            for r in queue {
                println!(
                    "{:>8} {:<14} {:<12} {:<10} {:>6} {:>7} {:>8.1}  {}",
                    r.id,
                    r.external_id,
                    r.channel,
                    r.location,
                    r.units,
                    r.units_waiting,
                    r.age_hours,
                    if r.unlinked_lines > 0 { "unlinked" } else { "" }
                );
            }
            Ok(true)
        }
        ReturnsCommand::Find { text } => {
            print_json(&returns::find(pool, &text).await?);
            Ok(true)
        }
        ReturnsCommand::Show { id } => {
            print_json(&returns::detail(pool, id).await?);
            Ok(true)
        }
        ReturnsCommand::Receive { id } => {
            let received = returns::receive(pool, ACTOR, id, now).await?;
            println!("{}", if received { "received" } else { "already received" });
            Ok(true)
        }
        ReturnsCommand::Decide { id, line, quantity, grade: g, to, reason, destination } => {
            let request = DecisionRequest {
                return_id: id,
                line_no: line,
                quantity,
                grade: grade(g),
                disposition: to.map(disposition),
                override_reason: reason,
                destination,
                at: now,
            };
            print_json(&returns::decide(pool, ACTOR, &request).await?);
            Ok(true)
        }
        ReturnsCommand::Refurbished { decision } => {
            match returns::complete_refurbishment(pool, ACTOR, decision, now).await? {
                Some(transfer) => println!("refurbished units on transfer {transfer}"),
                None => println!("refurbished units available"),
            }
            Ok(true)
        }
        ReturnsCommand::Refund { order, line, quantity, reference, restock, reason } => {
            let request = RefundRequest {
                order_id: order,
                line_no: line,
                reference,
                quantity,
                restock,
                reason,
                return_to: None,
                at: now,
            };
            print_json(&returns::refund(pool, ACTOR, &request).await?);
            Ok(true)
        }
        ReturnsCommand::Kpis { by } => {
            println!(
                "{:<20} {:>9} {:>8} {:>11} {:>8} {:>11} {:>12} {:>12} {:>8}",
                "key",
                "decisions",
                "units",
                "cycle p50 h",
                "resold",
                "resale avg h",
                "original £",
                "recovered £",
                "rate"
            );
            for k in returns::kpis(pool, dimension(by), None, None).await? {
                let hours = |h: Option<f64>| h.map_or("-".to_owned(), |h| format!("{h:.1}"));
                println!(
                    "{:<20} {:>9} {:>8} {:>11} {:>8} {:>11} {:>12} {:>12} {:>8}",
                    k.key,
                    k.decisions,
                    k.units,
                    hours(k.median_cycle_hours),
                    k.resold_units,
                    hours(k.mean_resale_hours),
                    k.original_value,
                    k.recovery,
                    k.recovery_rate.map_or("-".to_owned(), |r| format!("{:.1}%", r * 100.0))
                );
            }
            Ok(true)
        }
    }
}
