//! `stockroom-cli finance ...`: monthly figures, the reconciliation, the journal (and
//! its CSV export), periods and their close.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use sqlx::PgPool;
use stockroom_engine::finance::journal::{self, JournalFilter};
use stockroom_engine::finance::{markdown, periods, reconcile};
use stockroom_engine::EngineError;

#[derive(Subcommand)]
pub enum FinanceCommand {
    /// Stock value, receipts, cost of goods sold, returns and write-offs by month.
    Monthly,
    /// Stock ledger value vs the GL as of the end of a day (company time zone).
    Reconcile {
        #[arg(long)]
        as_of: NaiveDate,
        /// Also write the reconciliation to this CSV file.
        #[arg(long)]
        csv: Option<PathBuf>,
    },
    /// Journal lines (newest first), or all of them to a CSV file.
    Journal {
        #[arg(long)]
        from: Option<NaiveDate>,
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        sku: Option<String>,
        #[arg(long)]
        location: Option<String>,
        #[arg(long)]
        csv: Option<PathBuf>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Mark units on hand down to a lower cost per unit.
    Markdown {
        sku: String,
        location: String,
        #[arg(long)]
        units: i64,
        #[arg(long)]
        unit_cost: rust_decimal::Decimal,
        #[arg(long)]
        reference: String,
    },
    /// Periods and their status.
    Periods,
    /// Close a month (YYYY-MM-01) after reconciling it.
    Close { month: NaiveDate },
}

fn file(path: &PathBuf) -> Result<std::io::BufWriter<std::fs::File>, EngineError> {
    std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(|e| EngineError::InvalidInput(format!("cannot write {}: {e}", path.display())))
}

pub async fn run(pool: &PgPool, command: FinanceCommand) -> Result<bool, EngineError> {
    match command {
        FinanceCommand::Monthly => {
            println!(
                "{:<8} {:>14} {:>14} {:>14} {:>12} {:>12} {:>12}",
                "month", "stock value", "received", "COGS", "returns", "write-offs", "variance"
            );
            for m in journal::monthly(pool).await? {
                println!(
                    "{:<8} {:>14} {:>14} {:>14} {:>12} {:>12} {:>12}",
                    m.period.format("%Y-%m"),
                    m.stock_value,
                    m.received,
                    m.cogs,
                    m.returns,
                    m.write_offs,
                    m.price_variance
                );
            }
            Ok(true)
        }
        FinanceCommand::Reconcile { as_of, csv } => {
            let r = reconcile::reconcile(pool, as_of).await?;
            println!("as of the end of {} ({}):", r.as_of, r.time_zone);
            for row in &r.by_location {
                println!(
                    "  {} {:<34} {:<10} {:>14} {:>14} {:>10}",
                    row.account,
                    row.account_name,
                    row.location,
                    row.ledger_value,
                    row.gl_value,
                    row.difference
                );
            }
            println!(
                "stock ledger {}  GL {}  difference {}",
                r.ledger_value, r.gl_value, r.difference
            );
            for v in &r.variances {
                println!("  VARIANCE {} {} at {}: {}", v.account, v.sku, v.location, v.difference);
            }
            if let Some(path) = csv {
                journal::reconciliation_csv(&r, file(&path)?)?;
                println!("written to {}", path.display());
            }
            Ok(r.difference.is_zero() && r.variances.is_empty())
        }
        FinanceCommand::Journal { from, to, account, sku, location, csv, limit } => {
            let filter = JournalFilter { from, to, account, location, sku, ..Default::default() };
            if let Some(path) = csv {
                let n = journal::export_csv(pool, &filter, file(&path)?).await?;
                println!("{n} journal lines written to {}", path.display());
                return Ok(true);
            }
            for l in journal::lines(pool, &filter, limit, 0).await? {
                println!(
                    "{:>8} {} {:<10} {:<4} {:<30} {:<10} {:<10} {:>10} {:>10}  {}",
                    l.entry_id,
                    l.day,
                    l.kind,
                    l.account,
                    l.account_name,
                    l.location,
                    l.sku,
                    l.debit,
                    l.credit,
                    l.memo
                );
            }
            Ok(true)
        }
        FinanceCommand::Markdown { sku, location, units, unit_cost, reference } => {
            let request = markdown::MarkdownRequest {
                sku,
                location,
                units,
                unit_cost,
                reference,
                at: chrono::Utc::now(),
            };
            let outcome = markdown::markdown(pool, "cli:finance", &request).await?;
            println!(
                "{}marked down from {} to {}: {} posted to markdowns",
                if outcome.repeat { "already applied, nothing changed: " } else { "" },
                outcome.value_before,
                outcome.value_after,
                outcome.markdown
            );
            Ok(true)
        }
        FinanceCommand::Periods => {
            for p in periods::list(pool).await? {
                println!(
                    "{} {:?} {} entries, debits {}",
                    p.month.format("%Y-%m"),
                    p.status,
                    p.entries,
                    p.debits
                );
            }
            Ok(true)
        }
        FinanceCommand::Close { month } => {
            let outcome = periods::close(pool, "cli:finance", month).await?;
            println!(
                "{}: {:?} (difference {}, {} variance exception(s) raised)",
                outcome.month.format("%Y-%m"),
                outcome.status,
                outcome.reconciliation.difference,
                outcome.exceptions_raised
            );
            Ok(outcome.status == periods::PeriodStatus::Closed)
        }
    }
}
