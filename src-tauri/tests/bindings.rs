//! The committed `ui/src/bindings.ts` is exactly what the shell would generate now.
//! Run with `UPDATE_BINDINGS=1` to rewrite it after changing a command or a type.

use std::path::PathBuf;

#[test]
fn committed_typescript_bindings_match_the_commands() {
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings.ts");
    let fresh = std::env::temp_dir().join(format!("stockroom-bindings-{}.ts", std::process::id()));

    stockroom_app::bindings::builder()
        .export(stockroom_app::bindings::typescript(), &fresh)
        .expect("exporting the bindings");
    let generated = std::fs::read_to_string(&fresh).expect("reading the generated bindings");
    let _ = std::fs::remove_file(&fresh);

    if std::env::var_os("UPDATE_BINDINGS").is_some_and(|v| v == "1") {
        std::fs::write(&committed, &generated).expect("writing ui/src/bindings.ts");
        return;
    }
    let current = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        current == generated,
        "ui/src/bindings.ts is stale; regenerate it with \
         `UPDATE_BINDINGS=1 cargo test -p stockroom --test bindings` and commit the result"
    );
}
