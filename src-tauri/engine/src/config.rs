//! Where the data lives: the user's choice between the embedded local database and a
//! shared PostgreSQL server, saved as JSON in the config folder, and the OS keyring that
//! may hold the shared server's password. The settings file never holds a password: a
//! password is either in the keyring or asked for each session and kept in memory.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::postgres::{PgConnectOptions, PgSslMode};

use crate::error::{EngineError, Result};

/// The settings file's name inside the config folder.
pub const SETTINGS_FILE: &str = "settings.json";

/// The keyring service name every Stockroom password is filed under.
pub const KEYRING_SERVICE: &str = "stockroom";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum DatabaseMode {
    /// A private PostgreSQL cluster in the app's data folder, started and stopped by the app.
    #[default]
    Local,
    /// A PostgreSQL server shared by several workstations.
    Shared,
}

/// How the connection to a shared server is encrypted, as libpq's `sslmode` names it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    Disable,
    #[default]
    Prefer,
    Require,
    /// Encrypt and check the server's certificate and host name against the OS roots.
    VerifyFull,
}

/// Everything needed to reach a shared server, except the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub struct SharedProfile {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub tls: TlsMode,
}

impl SharedProfile {
    /// Refuses a profile that could not possibly connect, with a message per field.
    pub fn validate(&self) -> Result<()> {
        let blank = |field: &str, value: &str| {
            if value.trim().is_empty() {
                Err(EngineError::InvalidInput(format!("the shared server needs a {field}")))
            } else {
                Ok(())
            }
        };
        blank("host name", &self.host)?;
        blank("database name", &self.database)?;
        blank("user name", &self.user)?;
        if self.port == 0 {
            return Err(EngineError::InvalidInput("the port must be 1 to 65535".into()));
        }
        Ok(())
    }

    /// The keyring account the password is filed under: `user@host:port/db`.
    pub fn account(&self) -> String {
        format!("{}@{}:{}/{}", self.user, self.host, self.port, self.database)
    }

    /// Connection options built from the profile alone: `PG*` variables and `.pgpass`
    /// are ignored so that what the settings screen shows is what is used.
    pub fn connect_options(&self, password: &str) -> PgConnectOptions {
        PgConnectOptions::new_without_pgpass()
            .host(self.host.trim())
            .port(self.port)
            .database(self.database.trim())
            .username(self.user.trim())
            .password(password)
            .ssl_mode(self.tls.into())
            .application_name("stockroom")
    }
}

impl From<TlsMode> for PgSslMode {
    fn from(mode: TlsMode) -> Self {
        match mode {
            TlsMode::Disable => PgSslMode::Disable,
            TlsMode::Prefer => PgSslMode::Prefer,
            TlsMode::Require => PgSslMode::Require,
            TlsMode::VerifyFull => PgSslMode::VerifyFull,
        }
    }
}

/// The saved choice of database. Deliberately has no password field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub struct Settings {
    pub mode: DatabaseMode,
    /// Kept when switching back to local, so the form is pre-filled next time.
    pub shared: Option<SharedProfile>,
}

fn settings_path(dir: &Path) -> PathBuf {
    dir.join(SETTINGS_FILE)
}

/// Reads the settings; a first run (no file yet) gives the defaults: local mode.
pub fn load_settings(dir: &Path) -> Result<Settings> {
    let path = settings_path(dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(err) => {
            return Err(EngineError::Internal(format!(
                "reading settings {}: {err}",
                path.display()
            )))
        }
    };
    serde_json::from_str(&text).map_err(|err| {
        EngineError::InvalidInput(format!(
            "the settings file {} is not valid ({err}); fix or delete it",
            path.display()
        ))
    })
}

/// Writes the settings through a temporary file, so a crash never leaves half a file.
pub fn save_settings(dir: &Path, settings: &Settings) -> Result<()> {
    let path = settings_path(dir);
    let io_err = |step: &str, err: std::io::Error| {
        EngineError::Internal(format!("{step} {}: {err}", path.display()))
    };
    let json = serde_json::to_string_pretty(settings)
        .map_err(|err| EngineError::Internal(format!("encoding settings: {err}")))?;

    std::fs::create_dir_all(dir).map_err(|err| io_err("creating the folder of", err))?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, json).map_err(|err| io_err("writing", err))?;
    std::fs::rename(&tmp, &path).map_err(|err| io_err("replacing", err))?;
    Ok(())
}

/// Passwords of shared servers in the OS keyring (Secret Service on Linux).
///
/// Every failure to reach the keyring is [`EngineError::KeyringUnavailable`]; the app
/// then asks for the password each session and keeps it only in memory. The calls block
/// on D-Bus, so async callers should run them on a blocking thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct SecretStore;

impl SecretStore {
    pub fn new() -> Self {
        Self
    }

    /// The stored password for the profile, or `None` if none was saved.
    pub fn get(&self, profile: &SharedProfile) -> Result<Option<String>> {
        match entry(profile)?.get_password() {
            Ok(password) => Ok(Some(password)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(keyring_error(err)),
        }
    }

    pub fn set(&self, profile: &SharedProfile, password: &str) -> Result<()> {
        entry(profile)?.set_password(password).map_err(keyring_error)
    }

    /// Forgets the profile's password; forgetting a password never saved is fine.
    pub fn delete(&self, profile: &SharedProfile) -> Result<()> {
        match entry(profile)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(keyring_error(err)),
        }
    }

    /// Whether a keyring answers at all; [`SecretStore::check`] says why not.
    pub fn is_available(&self) -> bool {
        self.check().is_ok()
    }

    /// Looks up an entry that never exists: `NoEntry` proves the keyring answers.
    pub fn check(&self) -> Result<()> {
        ensure_real_keyring()?;
        let probe =
            keyring::Entry::new(KEYRING_SERVICE, "availability-probe").map_err(keyring_error)?;
        match probe.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(keyring_error(err)),
        }
    }
}

fn entry(profile: &SharedProfile) -> Result<keyring::Entry> {
    ensure_real_keyring()?;
    keyring::Entry::new(KEYRING_SERVICE, &profile.account()).map_err(keyring_error)
}

/// keyring 3 silently falls back to an in-memory mock on platforms whose store feature is
/// not enabled; a password "saved" there would vanish on exit, so refuse instead.
fn ensure_real_keyring() -> Result<()> {
    if cfg!(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd")) {
        Ok(())
    } else {
        Err(EngineError::KeyringUnavailable(
            "this build has no keyring support for this operating system".into(),
        ))
    }
}

fn keyring_error(err: keyring::Error) -> EngineError {
    match err {
        keyring::Error::NoStorageAccess(cause) | keyring::Error::PlatformFailure(cause) => {
            EngineError::KeyringUnavailable(cause.to_string())
        }
        keyring::Error::TooLong(field, limit) => {
            EngineError::InvalidInput(format!("the {field} is too long for the keyring ({limit})"))
        }
        keyring::Error::Invalid(field, reason) => {
            EngineError::InvalidInput(format!("the keyring refused the {field}: {reason}"))
        }
        other => EngineError::KeyringUnavailable(other.to_string()),
    }
}
