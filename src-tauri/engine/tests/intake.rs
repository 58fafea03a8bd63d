//! Idempotent intake: repeats are no-ops, changed repeats are refused, and one bad
//! event never half-applies or blocks the good ones.

mod common;

use common::{event, movement, seeded_db, submit};
use stockroom_engine::intake::{self, Outcome};
use stockroom_engine::ledger::{position, MovementKind as K, StockState as S};
use stockroom_engine::store::data_status;
use stockroom_engine::ErrorCode;

fn receipt(sku: &str, units: i64) -> stockroom_engine::ledger::NewMovement {
    movement(K::Receipt, sku, "DC-1", None, Some(S::Available), units)
}

#[tokio::test]
async fn a_repeated_event_changes_nothing() {
    let pool = seeded_db().await;
    let first = submit(&pool, "e1", vec![receipt("SKU-A", 5)]).await.expect("applied");
    let again = submit(&pool, "e1", vec![receipt("SKU-A", 5)]).await.expect("no-op");
    let Outcome::Applied { event_id, movements: 1 } = first else { panic!("{first:?}") };
    assert_eq!(again, Outcome::Duplicate { event_id });
    let p = position::one(&pool, "SKU-A", "DC-1").await.expect("read").expect("exists");
    assert_eq!(p.available, 5);
}

#[tokio::test]
async fn the_same_id_with_a_different_payload_is_refused() {
    let pool = seeded_db().await;
    submit(&pool, "e1", vec![receipt("SKU-A", 5)]).await.expect("applied");
    let err = submit(&pool, "e1", vec![receipt("SKU-A", 6)]).await.expect_err("conflict");
    assert_eq!(err.code(), ErrorCode::IdempotencyConflict);
    assert!(err.user_message().contains("test/e1"), "{}", err.user_message());
    let p = position::one(&pool, "SKU-A", "DC-1").await.expect("read").expect("exists");
    assert_eq!(p.available, 5);
}

#[tokio::test]
async fn a_bad_event_in_a_batch_leaves_the_others_applied_and_itself_absent() {
    let pool = seeded_db().await;
    let events = vec![
        event("good-1", vec![receipt("SKU-A", 2)]),
        event("bad", vec![receipt("SKU-B", 3), receipt("NO-SUCH-SKU", 1)]),
        event("good-2", vec![receipt("SKU-A", 4)]),
    ];
    let outcomes = intake::submit_batch(&pool, "test", &events).await;
    assert!(matches!(outcomes[0], Ok(Outcome::Applied { .. })));
    assert_eq!(outcomes[1].as_ref().map_err(|e| e.code()).err(), Some(ErrorCode::Storage));
    assert!(matches!(outcomes[2], Ok(Outcome::Applied { .. })));

    let a = position::one(&pool, "SKU-A", "DC-1").await.expect("read").expect("exists");
    assert_eq!(a.available, 6);
    assert!(position::one(&pool, "SKU-B", "DC-1").await.expect("read").is_none(), "half-applied");
    assert_eq!(data_status(&pool).await.expect("status").events, 2);
}

#[tokio::test]
async fn concurrent_repeats_of_one_event_apply_it_once() {
    let pool = seeded_db().await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move { submit(&pool, "e1", vec![receipt("SKU-A", 5)]).await })
        })
        .collect();
    let mut applied = 0;
    for task in tasks {
        if let Outcome::Applied { .. } = task.await.expect("joined").expect("accepted") {
            applied += 1;
        }
    }
    assert_eq!(applied, 1);
    let p = position::one(&pool, "SKU-A", "DC-1").await.expect("read").expect("exists");
    assert_eq!(p.available, 5);
}
