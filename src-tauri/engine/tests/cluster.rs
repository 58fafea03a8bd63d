//! The private cluster survives an unclean exit and explains a missing PostgreSQL.

use stockroom_engine::cluster::LocalCluster;
use stockroom_engine::store::{connect, create_database_if_missing, Database};
use stockroom_engine::ErrorCode;

#[tokio::test]
async fn a_stale_pid_file_from_an_unclean_exit_does_not_stop_the_next_start() {
    let root = std::env::temp_dir().join(format!("stockroom-stale-{}", std::process::id()));
    let cluster = LocalCluster::new(&root, false).expect("binaries found");
    cluster.start().await.expect("first start");
    cluster.stop().await.expect("stop");

    // A crash leaves postmaster.pid behind, naming a process that no longer exists.
    let pid_file = root.join("data").join("postmaster.pid");
    std::fs::write(&pid_file, "999999\n/nonexistent\n").expect("write stale pid file");
    assert!(!cluster.is_running());

    cluster.start().await.expect("start after unclean exit");
    create_database_if_missing(&cluster, "probe").await.expect("server answers");
    let pool = connect(cluster.connect_options("probe"), 1).await.expect("connect");
    let one: i32 = sqlx::query_scalar("SELECT 1").fetch_one(&pool).await.expect("query");
    assert_eq!(one, 1);
    pool.close().await;
    cluster.stop().await.expect("stop");
    assert!(!cluster.is_running());
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn missing_postgresql_binaries_say_what_to_install() {
    // nextest runs each test in its own process, so this variable stays local to it.
    std::env::set_var("STOCKROOM_PG_BIN", "/nonexistent/bin");
    let err = LocalCluster::new(std::path::Path::new("/tmp/unused"), false).expect_err("missing");
    std::env::remove_var("STOCKROOM_PG_BIN");
    assert_eq!(err.code(), ErrorCode::PostgresNotInstalled);
    assert!(err.user_message().contains("apt-get install postgresql"));
}

/// The CLI run while the app is open must not stop the app's database on its way out.
#[tokio::test]
async fn a_second_opener_leaves_the_server_running_for_the_first() {
    let data = std::env::temp_dir().join(format!("stockroom-shared-{}", std::process::id()));
    let app = Database::open_local(&data).await.expect("the app opens the local database");
    let cli = Database::open_local(&data).await.expect("a command opens it too");
    cli.close().await;

    let one: i32 =
        sqlx::query_scalar("SELECT 1").fetch_one(&app.pool).await.expect("the app still works");
    assert_eq!(one, 1);
    let cluster = LocalCluster::new(&LocalCluster::default_root(&data), true).expect("cluster");
    assert!(cluster.is_running());
    app.close().await;
    assert!(!cluster.is_running(), "the process that started the server stops it");
    std::fs::remove_dir_all(cluster.root()).ok();
    std::fs::remove_dir_all(&data).ok();
}
