//! The saved database choice and the keyring: settings survive a round trip without ever
//! holding a password, and a missing keyring is reported, never faked.

use std::path::PathBuf;

use stockroom_engine::config::{
    load_settings, save_settings, DatabaseMode, SecretStore, Settings, SharedProfile, TlsMode,
};
use stockroom_engine::ErrorCode;

fn scratch_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let unique = format!("stockroom-{name}-{}-{nanos}", std::process::id());
    let dir = std::env::temp_dir().join(unique);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn head_office() -> SharedProfile {
    SharedProfile {
        host: "db.head-office.example".into(),
        port: 5432,
        database: "stockroom".into(),
        user: "clerk".into(),
        tls: TlsMode::VerifyFull,
    }
}

#[test]
fn a_first_run_without_a_settings_file_uses_the_local_database() {
    let dir = scratch_dir("first-run");

    let settings = load_settings(&dir).expect("defaults");

    assert_eq!(settings, Settings { mode: DatabaseMode::Local, shared: None });
}

#[test]
fn shared_settings_round_trip_and_never_contain_a_password() {
    let dir = scratch_dir("round-trip");
    let saved = Settings { mode: DatabaseMode::Shared, shared: Some(head_office()) };

    save_settings(&dir, &saved).expect("save");
    let text = std::fs::read_to_string(dir.join("settings.json")).expect("read back");
    let loaded = load_settings(&dir).expect("load");

    assert_eq!(loaded, saved);
    assert!(!text.to_lowercase().contains("password"), "settings file: {text}");
    assert!(text.contains("\"verify_full\""), "snake_case tls mode: {text}");
    assert!(text.contains("\"shared\""), "snake_case mode: {text}");
}

#[test]
fn a_corrupt_settings_file_is_reported_as_invalid_input() {
    let dir = scratch_dir("corrupt");
    std::fs::write(dir.join("settings.json"), "{ not json").expect("write");

    let err = load_settings(&dir).expect_err("corrupt file must not load");

    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.user_message().contains("settings.json"));
}

#[test]
fn a_profile_with_a_blank_host_is_refused() {
    let profile = SharedProfile { host: "  ".into(), ..head_office() };

    let err = profile.validate().expect_err("blank host");

    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(head_office().validate().is_ok());
}

#[test]
fn the_keyring_account_names_user_server_and_database() {
    assert_eq!(head_office().account(), "clerk@db.head-office.example:5432/stockroom");
}

#[test]
fn without_a_dbus_session_the_keyring_is_reported_unavailable() {
    // nextest runs each test in its own process, so this only affects this test.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/stockroom-bus");
    let store = SecretStore::new();

    let check = store.check().expect_err("no D-Bus means no keyring");
    let set = store.set(&head_office(), "s3cret").expect_err("must not pretend to save");
    let get = store.get(&head_office()).expect_err("must not pretend to read");

    assert!(!store.is_available());
    assert_eq!(check.code(), ErrorCode::KeyringUnavailable);
    assert_eq!(set.code(), ErrorCode::KeyringUnavailable);
    assert_eq!(get.code(), ErrorCode::KeyringUnavailable);
    assert!(!set.user_message().contains("s3cret"));
}
