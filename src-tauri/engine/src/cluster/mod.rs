//! A private PostgreSQL cluster run from the system's binaries: the desktop app's local
//! database and the tests' throwaway server use the same code.
//!
//! The cluster listens only on a Unix socket in a private folder (no TCP), with trust
//! authentication: only the owning user (and root) can reach the socket. PostgreSQL
//! refuses to run as root, so when we are root the server runs as the `postgres` system
//! user and its folders belong to that user.

mod binaries;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use nix::sys::signal::kill;
use nix::unistd::{Pid, User};
use sha2::{Digest, Sha256};
use sqlx::postgres::PgConnectOptions;
use tokio::process::Command;

pub use binaries::PgBinaries;

use crate::error::{EngineError, Result};

const SUPERUSER: &str = "stockroom";
const PORT: u16 = 5432;

#[derive(Debug, Clone)]
pub struct LocalCluster {
    root: PathBuf,
    socket_dir: PathBuf,
    bins: PgBinaries,
    run_as: Option<User>,
    durable: bool,
}

impl LocalCluster {
    /// A cluster kept in `root` (created on first start). `durable: false` turns off
    /// fsync for throwaway test clusters.
    pub fn new(root: &Path, durable: bool) -> Result<Self> {
        let bins = PgBinaries::find()?;
        let run_as = if nix::unistd::geteuid().is_root() {
            let user = User::from_name("postgres")
                .map_err(|e| EngineError::ClusterFailed(format!("looking up postgres: {e}")))?
                .ok_or_else(|| {
                    EngineError::ClusterFailed(
                        "running as root needs the 'postgres' system user; install the \
                         postgresql package or run as a normal user"
                            .into(),
                    )
                })?;
            Some(user)
        } else {
            None
        };
        Ok(Self {
            socket_dir: socket_dir_for(root),
            root: root.to_path_buf(),
            bins,
            run_as,
            durable,
        })
    }

    /// Where the app keeps its cluster. As root the server runs as `postgres`, which
    /// cannot enter root's home, so the cluster lives under /var/lib/stockroom instead.
    pub fn default_root(app_data_dir: &Path) -> PathBuf {
        if nix::unistd::geteuid().is_root() {
            PathBuf::from("/var/lib/stockroom")
                .join(format!("cluster-{}", short_hash(app_data_dir)))
        } else {
            app_data_dir.join("postgres")
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of the server's Unix socket (for clients such as pgbench).
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    pub fn binaries(&self) -> &PgBinaries {
        &self.bins
    }

    fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    pub fn log_file(&self) -> PathBuf {
        self.root.join("postgres.log")
    }

    /// Connection options for a database in this cluster.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(SUPERUSER)
            .database(database)
    }

    /// Creates the cluster if needed and starts it unless it is already running.
    /// A pid file left by an unclean exit is removed when its process is gone. Returns
    /// true when this call started the server (so its caller should stop it), false when
    /// another process (the app, another command) already runs it.
    #[tracing::instrument(skip(self), fields(cluster.root = %self.root.display()))]
    pub async fn start(&self) -> Result<bool> {
        self.prepare_folders()?;
        if !self.data_dir().join("PG_VERSION").exists() {
            self.initdb().await?;
        }
        if self.is_running() {
            tracing::debug!("cluster already running");
            return Ok(false);
        }
        self.remove_stale_pid_file()?;

        let mut settings = format!(
            "-c listen_addresses='' -k {} -p {PORT} -c max_connections=200",
            self.socket_dir.display()
        );
        if !self.durable {
            settings.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let data = self.data_dir();
        let log = self.log_file();
        let args = ["start", "-w", "-t", "60", "-D", path_str(&data)?, "-l", path_str(&log)?];
        let mut cmd = self.command("pg_ctl");
        cmd.args(args).arg("-o").arg(settings);
        if let Err(err) = run(cmd, "pg_ctl start").await {
            // Another process may have started it a moment before us.
            if self.is_running() {
                tracing::debug!("cluster started by another process meanwhile");
                return Ok(false);
            }
            return Err(self.with_log_tail(err));
        }
        tracing::info!("local PostgreSQL cluster started");
        Ok(true)
    }

    /// Stops the server if it runs (fast shutdown: open transactions roll back).
    pub async fn stop(&self) -> Result<()> {
        if !self.is_running() {
            return Ok(());
        }
        let data = self.data_dir();
        let mut cmd = self.command("pg_ctl");
        cmd.args(["stop", "-w", "-m", "fast", "-D", path_str(&data)?]);
        run(cmd, "pg_ctl stop").await?;
        tracing::info!(cluster.root = %self.root.display(), "local PostgreSQL cluster stopped");
        Ok(())
    }

    /// True when the pid file names a live process.
    pub fn is_running(&self) -> bool {
        self.recorded_pid().is_some_and(process_alive)
    }

    fn recorded_pid(&self) -> Option<i32> {
        let text = std::fs::read_to_string(self.data_dir().join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    fn remove_stale_pid_file(&self) -> Result<()> {
        let pid_file = self.data_dir().join("postmaster.pid");
        if pid_file.exists() && !self.is_running() {
            tracing::warn!(path = %pid_file.display(), "removing stale pid file");
            std::fs::remove_file(&pid_file).map_err(|e| {
                EngineError::ClusterFailed(format!("removing stale {}: {e}", pid_file.display()))
            })?;
        }
        Ok(())
    }

    async fn initdb(&self) -> Result<()> {
        let data = self.data_dir();
        let mut cmd = self.command("initdb");
        cmd.args(["-D", path_str(&data)?, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8"])
            .args(["--no-locale", "--no-instructions"]);
        run(cmd, "initdb").await?;
        tracing::info!(data = %data.display(), "initialised a new local PostgreSQL cluster");
        Ok(())
    }

    fn prepare_folders(&self) -> Result<()> {
        for dir in [&self.root, &self.socket_dir] {
            std::fs::create_dir_all(dir).map_err(|e| {
                EngineError::ClusterFailed(format!("creating {}: {e}", dir.display()))
            })?;
            set_private(dir)?;
            if let Some(user) = &self.run_as {
                nix::unistd::chown(dir.as_path(), Some(user.uid), Some(user.gid)).map_err(|e| {
                    EngineError::ClusterFailed(format!("giving {} to postgres: {e}", dir.display()))
                })?;
            }
        }
        Ok(())
    }

    /// A command for one of the server programs, dropping root privileges if needed.
    fn command(&self, program: &str) -> Command {
        let path = self.bins.program(program);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", &user.name, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        };
        cmd.current_dir(&self.root).stdin(Stdio::null()).kill_on_drop(false);
        cmd
    }

    fn with_log_tail(&self, err: EngineError) -> EngineError {
        let tail = std::fs::read_to_string(self.log_file())
            .map(|t| {
                t.lines()
                    .rev()
                    .take(5)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .unwrap_or_default();
        match err {
            EngineError::ClusterFailed(msg) if !tail.is_empty() => {
                EngineError::ClusterFailed(format!("{msg}; server log: {tail}"))
            }
            other => other,
        }
    }
}

fn process_alive(pid: i32) -> bool {
    // Signal 0 checks existence; EPERM means it exists but belongs to another user.
    matches!(kill(Pid::from_raw(pid), None), Ok(()) | Err(nix::errno::Errno::EPERM))
}

/// Unix socket paths are limited to ~107 bytes; long data folders get a short one.
fn socket_dir_for(root: &Path) -> PathBuf {
    let inside = root.join("socket");
    if inside.as_os_str().len() < 80 {
        inside
    } else {
        std::env::temp_dir().join(format!("stockroom-sock-{}", short_hash(root)))
    }
}

fn short_hash(path: &Path) -> String {
    let digest = Sha256::digest(path.as_os_str().as_encoded_bytes());
    hex::encode(&digest[..8])
}

fn set_private(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| EngineError::ClusterFailed(format!("securing {}: {e}", dir.display())))
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| EngineError::ClusterFailed(format!("{} is not UTF-8", path.display())))
}

async fn run(mut cmd: Command, what: &str) -> Result<()> {
    let output = tokio::time::timeout(Duration::from_secs(120), cmd.output())
        .await
        .map_err(|_| EngineError::ClusterFailed(format!("{what} did not finish in 120 s")))?
        .map_err(|e| EngineError::ClusterFailed(format!("{what} could not run: {e}")))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    Err(EngineError::ClusterFailed(format!(
        "{what} failed ({}): {} {}",
        output.status,
        stderr.trim(),
        stdout.trim()
    )))
}
