//! Property: the same dated movements keyed in any order give an identical stock ledger
//! value (every leg, every running total, every pool) and identical GL balances, and the
//! two reconcile to 0.00. Backdated keying exercises revaluation, corrections, and the
//! revaluation of transfers' in-transit legs and receipts.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::seeded_db;
use proptest::prelude::*;
use rust_decimal::Decimal;
use sqlx::PgPool;
use stockroom_engine::finance::reconcile;
use stockroom_engine::ledger::{
    insert_movements, Keyed, MovementKind as K, NewMovement, StockState as S,
};
use stockroom_engine::testkit;

#[derive(Debug, Clone)]
enum Op {
    /// Units received at a location at a cost in pence.
    Receive {
        at_store: bool,
        units: i64,
        pence: i64,
    },
    Sell {
        at_store: bool,
        units: i64,
    },
    Return {
        at_store: bool,
        units: i64,
    },
    WriteOff {
        at_store: bool,
        units: i64,
    },
    /// DC to store: shipped, then received a few hours later.
    Transfer {
        units: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<bool>(), 1i64..20, 50i64..500).prop_map(|(at_store, units, pence)| Op::Receive {
            at_store,
            units,
            pence
        }),
        (any::<bool>(), 1i64..6).prop_map(|(at_store, units)| Op::Sell { at_store, units }),
        (any::<bool>(), 1i64..3).prop_map(|(at_store, units)| Op::Return { at_store, units }),
        (any::<bool>(), 1i64..3).prop_map(|(at_store, units)| Op::WriteOff { at_store, units }),
        (1i64..6).prop_map(|units| Op::Transfer { units }),
    ]
}

/// One keyed write: its movements with their keys, and the write it must follow (a
/// transfer's receipt follows its shipment).
struct Write {
    movements: Vec<(String, NewMovement)>,
    after: Option<usize>,
}

fn site(at_store: bool) -> &'static str {
    if at_store {
        "ST-1"
    } else {
        "DC-1"
    }
}

fn writes(ops: &[(Op, u32)]) -> Vec<Write> {
    let base = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).single().expect("time");
    let when = |minutes: u32| -> DateTime<Utc> { base + Duration::minutes(i64::from(minutes)) };
    let mv = |kind, location: &str, states, units, t| {
        testkit::movement(kind, "SKU-A", location, states, units, t)
    };
    let (avail, none) = (Some(S::Available), None);
    // Plenty of opening stock, so no promise is ever refused whatever the keying order.
    let mut out = vec![Write {
        movements: vec![
            (
                "open:dc".into(),
                NewMovement {
                    unit_cost: Some(Decimal::ONE),
                    ..mv(K::Opening, "DC-1", (none, avail), 500, base)
                },
            ),
            (
                "open:st".into(),
                NewMovement {
                    unit_cost: Some(Decimal::ONE),
                    ..mv(K::Opening, "ST-1", (none, avail), 500, base)
                },
            ),
        ],
        after: None,
    }];
    for (n, (op, minute)) in ops.iter().enumerate() {
        let t = when(60 + minute);
        let one = |key: String, m: NewMovement| Write { movements: vec![(key, m)], after: Some(0) };
        match op {
            Op::Receive { at_store, units, pence } => out.push(one(
                format!("m:{n}"),
                NewMovement {
                    unit_cost: Some(Decimal::new(*pence, 2)),
                    ..mv(K::Receipt, site(*at_store), (none, avail), *units, t)
                },
            )),
            Op::Sell { at_store, units } => out.push(one(
                format!("m:{n}"),
                mv(K::Sale, site(*at_store), (avail, none), *units, t),
            )),
            Op::Return { at_store, units } => out.push(one(
                format!("m:{n}"),
                mv(K::Return, site(*at_store), (none, Some(S::ReturnPending)), *units, t),
            )),
            Op::WriteOff { at_store, units } => out.push(one(
                format!("m:{n}"),
                mv(K::WriteOff, site(*at_store), (avail, Some(S::Damaged)), *units, t),
            )),
            Op::Transfer { units } => {
                out.push(Write {
                    movements: vec![
                        (
                            format!("tr:{n}:1:out"),
                            mv(K::TransferOut, "DC-1", (avail, none), *units, t),
                        ),
                        (
                            format!("tr:{n}:1:in-transit"),
                            mv(K::TransferOut, "ST-1", (none, Some(S::InTransit)), *units, t),
                        ),
                    ],
                    after: Some(0),
                });
                let shipped = out.len() - 1;
                out.push(Write {
                    movements: vec![(
                        format!("tr:{n}:1:in"),
                        mv(
                            K::TransferIn,
                            "ST-1",
                            (Some(S::InTransit), avail),
                            *units,
                            t + Duration::hours(5),
                        ),
                    )],
                    after: Some(shipped),
                });
            }
        }
    }
    out
}

async fn key_in_order(pool: &PgPool, writes: &[Write], order: &[usize]) {
    for &w in order {
        let keyed: Vec<Keyed<'_>> = writes[w]
            .movements
            .iter()
            .map(|(k, m)| Keyed { movement: m, idempotency_key: k.clone(), event_id: None })
            .collect();
        let mut tx = pool.begin().await.expect("tx");
        insert_movements(&mut tx, "p", &keyed).await.expect("recorded");
        tx.commit().await.expect("committed");
    }
}

type Snapshot = (
    Vec<(String, String, Decimal, Decimal, i64, Decimal)>,
    Vec<(String, String, i64, Decimal)>,
    Vec<(String, String, Decimal)>,
);

async fn snapshot(pool: &PgPool) -> Snapshot {
    let legs = sqlx::query_as(
        "SELECT m.idempotency_key, v.pool::text, v.value, v.variance, v.quantity_after,
                v.value_after
         FROM movement_values v JOIN movements m ON m.id = v.movement_id ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .expect("legs");
    let pools = sqlx::query_as(
        "SELECT location, pool::text, quantity, value FROM cost_pools ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .expect("pools");
    let gl = sqlx::query_as(
        "SELECT account, location, sum(debit - credit) FROM journal_lines
         GROUP BY 1, 2 HAVING sum(debit - credit) <> 0 ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .expect("gl");
    (legs, pools, gl)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn the_same_dated_movements_in_any_keying_order_give_the_same_values(
        ops in prop::collection::vec((op(), 0u32..600), 1..14),
        seed in any::<u64>(),
    ) {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async {
            let writes = writes(&ops);
            // Dated order, and a shuffled order that keeps each receipt after its shipment.
            let dated: Vec<usize> = (0..writes.len()).collect();
            let mut shuffled: Vec<usize> = (1..writes.len()).collect();
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let mut order = vec![0];
            while order.len() < writes.len() {
                let next = shuffled
                    .iter()
                    .position(|&w| writes[w].after.is_none_or(|a| order.contains(&a)))
                    .expect("a write whose predecessor is keyed");
                order.push(shuffled.remove(next));
            }

            let a = seeded_db().await;
            key_in_order(&a, &writes, &dated).await;
            let b = seeded_db().await;
            key_in_order(&b, &writes, &order).await;
            let (sa, sb) = (snapshot(&a).await, snapshot(&b).await);
            assert_eq!(sa.0, sb.0, "every leg's value and running totals");
            assert_eq!(sa.1, sb.1, "every pool");
            assert_eq!(sa.2, sb.2, "the GL's balances");
            let day = NaiveDate::from_ymd_opt(2026, 3, 31).expect("day");
            for db in [&a, &b] {
                let r = reconcile::reconcile(db, day).await.expect("reconciliation");
                assert_eq!(r.difference, Decimal::ZERO, "{:?}", r.variances);
                assert!(r.variances.is_empty(), "{:?}", r.variances);
            }
        });
    }
}
