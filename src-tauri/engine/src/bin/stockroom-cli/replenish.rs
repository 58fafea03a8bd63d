//! `stockroom-cli replenish ...`: forecasts, planning runs, proposals and their
//! approval, purchase order and transfer receipts.

use chrono::Utc;
use clap::Subcommand;
use sqlx::PgPool;
use stockroom_engine::receiving::ReceiptLine;
use stockroom_engine::replenishment::proposals::{self, Approval, ProposalFilter};
use stockroom_engine::replenishment::{demand, demo, plan};
use stockroom_engine::{purchasing, replay, transfers, EngineError};

#[derive(Subcommand)]
pub enum ReplenishCommand {
    /// Demo set-up: suppliers and terms derived from the data, forecasts, and a plan.
    SetupDemo,
    /// Refit demand forecasts from the ledger's sales.
    Forecast {
        /// Last day of history (YYYY-MM-DD); by default the day of the latest sale.
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long, default_value_t = demo::HISTORY_DAYS)]
        days: u32,
    },
    /// Run a plan now, superseding open proposals.
    Plan,
    /// Open proposals, most urgent first.
    Proposals {
        #[arg(long)]
        location: Option<String>,
        #[arg(long, default_value_t = 30,
              value_parser = clap::value_parser!(i64).range(1..=50_000))]
        limit: i64,
    },
    /// Approve proposals: ID or ID=QUANTITY to approve another quantity.
    Approve {
        #[arg(required = true)]
        proposals: Vec<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Reject proposals with a reason.
    Reject {
        #[arg(required = true)]
        ids: Vec<i64>,
        #[arg(long)]
        reason: String,
    },
    /// Receive a purchase order: --line LINE:ACCEPTED[:REJECTED], repeated.
    ReceivePo {
        id: i64,
        #[arg(long)]
        reference: String,
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
    },
    /// Receive a transfer: --line LINE:ACCEPTED[:REJECTED], repeated.
    ReceiveTransfer {
        id: i64,
        #[arg(long)]
        reference: String,
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
    },
    /// Transfers with units still in transit (late ones marked).
    Transfers,
    /// Purchase orders still expecting goods (late ones marked).
    Pos,
    /// The lines of a PO or a transfer, with what is still open: the LINE numbers that
    /// `receive-po` and `receive-transfer` take.
    Lines {
        #[arg(long, conflicts_with = "transfer", required_unless_present = "transfer")]
        po: Option<i64>,
        #[arg(long)]
        transfer: Option<i64>,
    },
}

/// Runs the command; `Ok(false)` when some of what it was asked to do was refused (the
/// refusals are printed), so the exit status says so.
pub async fn run(pool: &PgPool, command: ReplenishCommand) -> Result<bool, EngineError> {
    let now = Utc::now();
    match command {
        ReplenishCommand::SetupDemo => match demo::prepare(pool, "cli:replenish").await? {
            Some(s) => println!(
                "{} suppliers, {} SKUs with terms; {} forecasts fitted in {} ms; plan {}: \
                 {} purchases, {} transfers, {} rebalances ({} critical) in {} ms",
                s.suppliers,
                s.supplier_items,
                s.forecasts.series,
                s.forecasts.duration_ms,
                s.plan.plan_run,
                s.plan.purchases,
                s.plan.transfers,
                s.plan.rebalances,
                s.plan.critical,
                s.plan.duration_ms
            ),
            None => println!("no sales in the ledger yet; replay the demo first"),
        },
        ReplenishCommand::Forecast { as_of, days } => {
            let as_of = match as_of {
                Some(day) => replay::parse_day(&day)?,
                None => demand::last_sale_day(pool).await?.unwrap_or_else(|| now.date_naive()),
            };
            let done = demand::refresh(pool, as_of, days).await?;
            println!(
                "{} series fitted as of {} in {} ms",
                done.series, done.as_of, done.duration_ms
            );
        }
        ReplenishCommand::Plan => {
            let s = plan::run(pool, "cli:replenish", now).await?;
            println!(
                "plan {}: {} rows; {} purchases, {} transfers, {} rebalances ({} critical), \
                 {} units; {} SKU x DC without a supplier; {} ms",
                s.plan_run,
                s.planned_rows,
                s.purchases,
                s.transfers,
                s.rebalances,
                s.critical,
                s.units,
                s.without_supplier,
                s.duration_ms
            );
        }
        ReplenishCommand::Proposals { location, limit } => {
            let filter = ProposalFilter { location, limit: Some(limit), ..Default::default() };
            for p in proposals::list(pool, &filter).await? {
                println!(
                    "{:>7} {:<9} {:<8} {:<12} {:>8} <- {:<10} {:>7}  {}",
                    p.id,
                    format!("{:?}", p.kind).to_lowercase(),
                    format!("{:?}", p.urgency).to_lowercase(),
                    p.sku,
                    p.location,
                    p.source_location.or(p.supplier).unwrap_or_default(),
                    p.quantity,
                    p.explanation
                );
            }
        }
        ReplenishCommand::Approve { proposals: args, note } => {
            let approvals =
                args.iter().map(|a| parse_approval(a)).collect::<Result<Vec<_>, _>>()?;
            let done =
                proposals::approve(pool, "cli:replenish", &approvals, note.as_deref(), now).await?;
            println!(
                "approved {}; purchase orders {:?}; transfers {:?}",
                done.decided.len(),
                done.purchase_orders,
                done.transfers
            );
            for f in &done.failed {
                println!("  not approved {}: {}", f.id, f.reason);
            }
            return Ok(done.failed.is_empty());
        }
        ReplenishCommand::Reject { ids, reason } => {
            let done = proposals::reject(pool, "cli:replenish", &ids, &reason, now).await?;
            println!("rejected {}", done.decided.len());
            for f in &done.failed {
                println!("  not rejected {}: {}", f.id, f.reason);
            }
            return Ok(done.failed.is_empty());
        }
        ReplenishCommand::ReceivePo { id, reference, lines } => {
            let lines = parse_lines(&lines)?;
            let done =
                purchasing::receive(pool, "cli:receiving", id, &reference, &lines, now).await?;
            print_receipt(&format!("PO {id}"), &done);
        }
        ReplenishCommand::ReceiveTransfer { id, reference, lines } => {
            let lines = parse_lines(&lines)?;
            let done =
                transfers::receive(pool, "cli:receiving", id, &reference, &lines, now).await?;
            print_receipt(&format!("transfer {id}"), &done);
        }
        ReplenishCommand::Transfers => {
            let open = transfers::list(pool, true, now).await?;
            if open.is_empty() {
                println!("no transfers in transit");
            }
            for t in open {
                println!(
                    "{:>6} {:<8} -> {:<8} {:>6} in transit, expected {}{}",
                    t.id,
                    t.source,
                    t.destination,
                    t.in_transit,
                    t.expected_at.date_naive(),
                    if t.late { "  LATE" } else { "" }
                );
            }
        }
        ReplenishCommand::Pos => {
            let open = purchasing::list(pool, true, now).await?;
            if open.is_empty() {
                println!("no purchase orders open");
            }
            for po in open {
                println!(
                    "{:>6} {:<10} -> {:<8} {:>3} lines {:>7} open of {:>7}, expected {}{}",
                    po.id,
                    po.supplier,
                    po.location,
                    po.lines,
                    po.open,
                    po.ordered,
                    po.expected_at.date_naive(),
                    if po.late { "  LATE" } else { "" }
                );
            }
        }
        ReplenishCommand::Lines { po, transfer } => {
            // (line, sku, expected, accepted, rejected, open)
            let rows: Vec<(i32, String, i64, i64, i64, i64)> = match (po, transfer) {
                (Some(id), _) => purchasing::lines(pool, id)
                    .await?
                    .into_iter()
                    .map(|l| (l.line_no, l.sku, l.ordered, l.received, l.rejected, l.open))
                    .collect(),
                (None, Some(id)) => transfers::lines(pool, id)
                    .await?
                    .into_iter()
                    .map(|l| (l.line_no, l.sku, l.shipped, l.accepted, l.rejected, l.in_transit))
                    .collect(),
                (None, None) => Vec::new(),
            };
            println!(
                "{:>4} {:<12} {:>9} {:>9} {:>9} {:>9}",
                "line", "sku", "expected", "accepted", "rejected", "open"
            );
            for (line, sku, expected, accepted, rejected, open) in rows {
                println!("{line:>4} {sku:<12} {expected:>9} {accepted:>9} {rejected:>9} {open:>9}");
            }
        }
    }
    Ok(true)
}

fn print_receipt(document: &str, done: &stockroom_engine::receiving::ReceiptOutcome) {
    if done.repeated {
        println!("{document}: this receiving note was already recorded; nothing changed");
    } else {
        println!(
            "{document}: {} accepted, {} rejected; {} still open",
            done.accepted, done.rejected, done.still_open
        );
    }
}

fn parse_approval(arg: &str) -> Result<Approval, EngineError> {
    let bad = || EngineError::InvalidInput(format!("'{arg}': use ID or ID=QUANTITY"));
    match arg.split_once('=') {
        Some((id, qty)) => Ok(Approval {
            id: id.trim().parse().map_err(|_| bad())?,
            quantity: Some(qty.trim().parse().map_err(|_| bad())?),
        }),
        None => Ok(Approval { id: arg.trim().parse().map_err(|_| bad())?, quantity: None }),
    }
}

fn parse_lines(args: &[String]) -> Result<Vec<ReceiptLine>, EngineError> {
    args.iter()
        .map(|arg| {
            let bad = || {
                EngineError::InvalidInput(format!("--line '{arg}': use LINE:ACCEPTED[:REJECTED]"))
            };
            let parts: Vec<&str> = arg.split(':').collect();
            let number = |i: usize| -> Result<i64, EngineError> {
                parts.get(i).map_or(Ok(0), |p| p.trim().parse().map_err(|_| bad()))
            };
            if parts.len() < 2 || parts.len() > 3 {
                return Err(bad());
            }
            Ok(ReceiptLine {
                line_no: i32::try_from(number(0)?).map_err(|_| bad())?,
                accepted: number(1)?,
                rejected: number(2)?,
            })
        })
        .collect()
}
