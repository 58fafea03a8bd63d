//! Finding the system's PostgreSQL server programs.

use std::path::{Path, PathBuf};

use crate::error::{EngineError, Result};

/// The folder holding `initdb`, `pg_ctl` and `postgres`.
#[derive(Debug, Clone)]
pub struct PgBinaries {
    pub bin_dir: PathBuf,
}

impl PgBinaries {
    /// `STOCKROOM_PG_BIN` if set, else the first folder on PATH with `initdb` and
    /// `pg_ctl`, else the newest `/usr/lib/postgresql/<major>/bin` (Debian keeps the
    /// server programs off PATH).
    pub fn find() -> Result<Self> {
        if let Some(dir) = std::env::var_os("STOCKROOM_PG_BIN") {
            let dir = PathBuf::from(dir);
            return if has_server_programs(&dir) {
                Ok(Self { bin_dir: dir })
            } else {
                Err(EngineError::PostgresNotInstalled)
            };
        }
        let on_path = std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .unwrap_or_default();
        if let Some(dir) = on_path.into_iter().find(|d| has_server_programs(d)) {
            return Ok(Self { bin_dir: dir });
        }
        newest_debian_install(Path::new("/usr/lib/postgresql"))
            .map(|bin_dir| Self { bin_dir })
            .ok_or(EngineError::PostgresNotInstalled)
    }

    /// A PostgreSQL program by name. A PATH folder may link only the server programs
    /// (e.g. /usr/local/bin -> /usr/lib/postgresql/15/bin); other programs such as
    /// pgbench are then found beside the real `postgres` binary.
    pub fn program(&self, name: &str) -> PathBuf {
        let here = self.bin_dir.join(name);
        if here.is_file() {
            return here;
        }
        std::fs::canonicalize(self.bin_dir.join("postgres"))
            .ok()
            .and_then(|real| real.parent().map(|dir| dir.join(name)))
            .filter(|p| p.is_file())
            .unwrap_or(here)
    }
}

fn has_server_programs(dir: &Path) -> bool {
    ["initdb", "pg_ctl", "postgres"].iter().all(|p| dir.join(p).is_file())
}

fn newest_debian_install(root: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(root).ok()?;
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let major: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            has_server_programs(&bin).then_some((major, bin))
        })
        .max_by_key(|(major, _)| *major)
        .map(|(_, bin)| bin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_initdb_is_not_a_server_install() {
        let dir = std::env::temp_dir();
        assert!(!has_server_programs(&dir));
        assert!(newest_debian_install(&dir.join("no-such-folder")).is_none());
    }
}
