//! Stockroom's headless command line: replays, imports, verification and reports on
//! the same database the desktop app uses (its local cluster by default).

mod finance;
mod orders;
mod replenish;
mod returns;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use stockroom_engine::cluster::LocalCluster;
use stockroom_engine::replay::{self, ReplayMode, ReplayOptions};
use stockroom_engine::store::{self, Database};
use stockroom_engine::{ledger, network, testkit, EngineError};

/// The desktop app's identifier; its data folder holds the local cluster.
const APP_IDENTIFIER: &str = "com.stockroom.desktop";

#[derive(Parser)]
#[command(name = "stockroom-cli", version, about = "Stockroom inventory engine, headless")]
struct Cli {
    /// PostgreSQL URL of a shared server (the password comes from PGPASSWORD or
    /// ~/.pgpass, never from this flag). Without it, the app's local cluster is used.
    #[arg(long, env = "STOCKROOM_DATABASE_URL", global = true)]
    database_url: Option<String>,

    /// The app data folder whose local cluster to use.
    #[arg(long, global = true)]
    app_data: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load the network and replay the UCI Online Retail invoices.
    Replay {
        /// The shared data folder (holding online-retail/ and network/).
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long, default_value = replay::FIRST_DAY)]
        from: String,
        #[arg(long, default_value = replay::LAST_DAY)]
        to: String,
        /// Print the summary as JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Apply sales directly as sale movements instead of capturing, routing and
        /// shipping them as orders.
        #[arg(long)]
        direct: bool,
    },
    /// Import or update the location network from a CSV file.
    ImportNetwork { file: PathBuf },
    /// Recompute positions from the ledger and report any drift (exit 1 on drift).
    Verify,
    /// Show a SKU's positions by location and state.
    Positions { sku: String },
    /// Capture, list, ship and cancel orders.
    Orders {
        #[command(subcommand)]
        command: orders::OrdersCommand,
    },
    /// What each channel may promise of a SKU, location by location.
    Availability { sku: String },
    /// Forecasts, planning runs, proposals, approvals and receipts.
    Replenish {
        #[command(subcommand)]
        command: replenish::ReplenishCommand,
    },
    /// Finance: monthly figures, reconciliation, the journal, periods.
    Finance {
        #[command(subcommand)]
        command: finance::FinanceCommand,
    },
    /// Returns: capture, the inspection queue, decisions, refunds and KPIs.
    Returns {
        #[command(subcommand)]
        command: returns::ReturnsCommand,
    },
    /// Start or stop the app's local cluster.
    Cluster {
        #[arg(value_enum)]
        action: ClusterAction,
    },
    /// Stop the throwaway cluster the tests share.
    TestCluster {
        #[arg(value_enum)]
        action: ClusterAction,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ClusterAction {
    Start,
    Stop,
    Status,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Piped into `head`, stop quietly when the reader goes, as Unix tools do, instead of
    // panicking on the closed pipe.
    sigpipe::reset();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,stockroom_engine=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error [{:?}]: {}", err.code(), err.user_message());
            tracing::debug!(error = ?err, "full error");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<std::process::ExitCode, EngineError> {
    let app_data = cli.app_data.clone().unwrap_or_else(default_app_data);
    match &cli.command {
        Command::Cluster { action } => {
            let cluster = LocalCluster::new(&LocalCluster::default_root(&app_data), true)?;
            return cluster_action(&cluster, *action).await;
        }
        Command::TestCluster { action } => {
            return cluster_action(&testkit::test_cluster()?, *action).await;
        }
        _ => {}
    }

    let db = match &cli.database_url {
        Some(url) => {
            let options =
                url.parse().map_err(|e| EngineError::InvalidInput(format!("database URL: {e}")))?;
            let pool = store::connect(options, 4).await?;
            store::migrate(&pool).await?;
            (pool, None)
        }
        None => {
            let db = Database::open_local(&app_data).await?;
            (db.pool.clone(), Some(db))
        }
    };
    let result = command(&db.0, cli.command).await;
    if let Some(local) = db.1 {
        local.close().await;
    }
    result
}

async fn command(
    pool: &sqlx::PgPool,
    command: Command,
) -> Result<std::process::ExitCode, EngineError> {
    match command {
        Command::Replay { data, from, to, json, direct } => {
            let data_dir = data.or_else(replay::find_demo_data_dir).ok_or_else(|| {
                EngineError::DataMissing("no shared data folder; pass --data".into())
            })?;
            let options = ReplayOptions {
                data_dir,
                from: replay::parse_day(&from)?,
                to: replay::parse_day(&to)?,
                actor: "cli:replay".into(),
                mode: if direct { ReplayMode::Direct } else { ReplayMode::Orders },
            };
            let bar = ProgressBar::new(0).with_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} days {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let summary = replay::load_demo(pool, &options, |p| {
                bar.set_length(u64::from(p.days_total));
                bar.set_position(u64::from(p.days_done));
                bar.set_message(format!("{} ({} lines)", p.day, p.lines_read));
            })
            .await?;
            bar.finish_and_clear();
            if json {
                println!("{}", serde_json::to_string_pretty(&summary).unwrap_or_default());
            } else {
                print_summary(&summary);
            }
        }
        Command::ImportNetwork { file } => {
            let locations = network::read_csv(&file)?;
            network::upsert(pool, &locations).await?;
            println!("{} locations imported", locations.len());
        }
        Command::Verify => {
            let report = ledger::verify::run(pool).await?;
            println!(
                "{} positions checked against {} movements: {} drifts",
                report.positions_checked,
                report.movements,
                report.drifts.len()
            );
            for d in &report.drifts {
                println!(
                    "  {} at {} {:?}: position {} ledger {}",
                    d.sku, d.location, d.state, d.position, d.ledger
                );
            }
            if !report.drifts.is_empty() {
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
        Command::Positions { sku } => {
            println!(
                "{:<10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
                "location",
                "on_hand",
                "avail",
                "reserved",
                "transit",
                "damaged",
                "quarant.",
                "returns",
                "inbound"
            );
            let positions = ledger::position::for_sku(pool, &sku).await?;
            if positions.is_empty() {
                println!("no positions for {sku}: the SKU is not in the catalogue or never moved");
            }
            for p in positions {
                println!(
                    "{:<10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
                    p.location,
                    p.on_hand,
                    p.available,
                    p.reserved,
                    p.in_transit,
                    p.damaged,
                    p.quarantined,
                    p.return_pending,
                    p.inbound
                );
            }
        }
        Command::Orders { command } => {
            if !orders::run(pool, command).await? {
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
        Command::Availability { sku } => orders::availability(pool, &sku).await?,
        Command::Replenish { command } => {
            if !replenish::run(pool, command).await? {
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
        Command::Finance { command } => {
            if !finance::run(pool, command).await? {
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
        Command::Returns { command } => {
            if !returns::run(pool, command).await? {
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
        Command::Cluster { .. } | Command::TestCluster { .. } => {}
    }
    Ok(std::process::ExitCode::SUCCESS)
}

async fn cluster_action(
    cluster: &LocalCluster,
    action: ClusterAction,
) -> Result<std::process::ExitCode, EngineError> {
    match action {
        ClusterAction::Start => {
            cluster.start().await?;
        }
        ClusterAction::Stop => cluster.stop().await?,
        ClusterAction::Status => {}
    }
    let state = if cluster.is_running() { "running" } else { "stopped" };
    println!("cluster in {}: {state}", cluster.root().display());
    Ok(std::process::ExitCode::SUCCESS)
}

fn default_app_data() -> PathBuf {
    directories::BaseDirs::new()
        .map(|d| d.data_dir().join(APP_IDENTIFIER))
        .unwrap_or_else(|| PathBuf::from(".stockroom"))
}

fn print_summary(s: &replay::ReplaySummary) {
    println!("Replay {} .. {} ({} trading days, {} ms)", s.from, s.to, s.days, s.elapsed_ms);
    println!("  lines read     {:>9}", s.lines_read);
    println!("  applied        {:>9}", s.lines_applied);
    let list = |title: &str, counts: &[replay::ReasonCount]| {
        let total: u64 = counts.iter().map(|c| c.lines).sum();
        println!("  {title:<14} {total:>9}");
        for c in counts {
            println!("      {:<32} {:>7}", c.reason, c.lines);
        }
    };
    list("non-stock", &s.non_stock);
    list("skipped", &s.skipped);
    list("rejected", &s.rejected);
    for r in s.rejections.iter().take(20) {
        println!("      {} row {} field {}: {}", r.file, r.row, r.field, r.reason);
    }
    println!(
        "  units ordered {}, sold {}, returned {}, written off {}, received {}",
        s.units_ordered, s.units_sold, s.units_returned, s.units_written_off, s.units_received
    );
    if let Some(f) = &s.fulfilment {
        println!(
            "  orders {} ({} complete, {} partial, {} unfilled): fill rate {:.2}%, \
             split rate {:.2}%, {:.1} km per parcel, {} per order",
            f.orders,
            f.orders_complete,
            f.orders_partial,
            f.orders_unfilled,
            f.fill_rate * 100.0,
            f.split_rate * 100.0,
            f.average_distance_km,
            f.cost_per_order
        );
    }
    if let Some(r) = &s.returns {
        let decided = r.totals.as_ref();
        println!(
            "  returns {} ({} lines, {} linked to their sale), {} units ({} waiting): \
             median {} h to a decision, recovery {}",
            r.returns,
            r.lines,
            r.linked_lines,
            r.units,
            r.units_waiting,
            decided.and_then(|t| t.median_cycle_hours).map_or("-".into(), |h| format!("{h:.1}")),
            decided
                .and_then(|t| t.recovery_rate)
                .map_or("-".into(), |x| format!("{:.1}%", x * 100.0))
        );
    }
    let t = &s.stock;
    println!(
        "  stock: on hand {} (available {}, reserved {}), in transit {}, damaged {}, \
         quarantined {}, return pending {}, inbound {}",
        t.on_hand,
        t.available,
        t.reserved,
        t.in_transit,
        t.damaged,
        t.quarantined,
        t.return_pending,
        t.inbound
    );
}
