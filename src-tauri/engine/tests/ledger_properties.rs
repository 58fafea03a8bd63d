//! Property: for any sequence of movements, the database agrees with a simple model of
//! the rules: promises never take availability below zero, no other state ever goes
//! negative, facts are always recorded, and positions equal the ledger.

mod common;

use std::collections::HashMap;

use common::{movement, seeded_db, submit};
use proptest::prelude::*;
use stockroom_engine::ledger::{self, position, MovementKind as K, StockState as S};

/// (kind, from, to) of the movements the property draws from.
const MOVES: &[(K, Option<S>, Option<S>)] = &[
    (K::Receipt, None, Some(S::Available)),
    (K::PurchaseOrder, None, Some(S::Inbound)),
    (K::Receipt, Some(S::Inbound), Some(S::Available)),
    (K::Reservation, Some(S::Available), Some(S::Reserved)),
    (K::Release, Some(S::Reserved), Some(S::Available)),
    (K::Sale, Some(S::Reserved), None),
    (K::Sale, Some(S::Available), None),
    (K::TransferOut, Some(S::Available), None),
    (K::WriteOff, Some(S::Available), Some(S::Damaged)),
    (K::Return, None, Some(S::ReturnPending)),
];

/// What the rules say should happen, or None if the movement must be refused.
fn model_apply(
    state: &HashMap<S, i64>,
    kind: K,
    from: Option<S>,
    to: Option<S>,
    qty: i64,
) -> Option<HashMap<S, i64>> {
    let mut next = state.clone();
    if let Some(f) = from {
        *next.entry(f).or_default() -= qty;
    }
    if let Some(t) = to {
        *next.entry(t).or_default() += qty;
    }
    let available = next.get(&S::Available).copied().unwrap_or(0);
    let promise_oversells = from == Some(S::Available) && !kind.is_fact() && available < 0;
    let other_negative = next.iter().any(|(s, q)| *s != S::Available && *q < 0);
    (!promise_oversells && !other_negative).then_some(next)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_database_enforces_the_ledger_rules_for_any_sequence(
        steps in prop::collection::vec((0..MOVES.len(), 1i64..8), 1..30)
    ) {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async {
            let pool = seeded_db().await;
            let sku = "SKU-A";
            let mut model: HashMap<S, i64> = HashMap::new();
            for (i, (index, qty)) in steps.iter().enumerate() {
                let (kind, from, to) = MOVES[*index];
                let expected = model_apply(&model, kind, from, to, *qty);
                let step = movement(kind, sku, "DC-1", from, to, *qty);
                let result = submit(&pool, &format!("p{i}"), vec![step]).await;
                let context = format!("step {i}: {kind:?} {qty} on {model:?}: {result:?}");
                assert_eq!(result.is_ok(), expected.is_some(), "{context}");
                if let Some(next) = expected {
                    model = next;
                }
            }
            let get = |s: S| model.get(&s).copied().unwrap_or(0);
            if let Some(p) = position::one(&pool, sku, "DC-1").await.expect("read") {
                assert_eq!(
                    (p.available, p.reserved, p.inbound, p.damaged, p.return_pending),
                    (
                        get(S::Available),
                        get(S::Reserved),
                        get(S::Inbound),
                        get(S::Damaged),
                        get(S::ReturnPending)
                    )
                );
            }
            let report = ledger::verify::run(&pool).await.expect("verify");
            assert!(report.drifts.is_empty(), "{:?}", report.drifts);
            pool.close().await;
        });
    }
}
