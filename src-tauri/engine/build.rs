//! `sqlx::migrate!` embeds the migrations when the crate compiles; this tells Cargo to
//! compile again when one is added or changed, so no binary runs a stale schema.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
