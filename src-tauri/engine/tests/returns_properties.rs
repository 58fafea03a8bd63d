//! Property: no sequence of shipments, cancellations, refunds, returns and dispositions
//! leaves more stock than before the sale. After every step, the units the company holds
//! (in any state, anywhere) are exactly the stock before the sale, less what was shipped,
//! plus what came back; what went back per order line never exceeds what it took.

mod common;

use chrono::Utc;
use common::{receive, seeded_db};
use proptest::prelude::*;
use rust_decimal::Decimal;
use sqlx::PgPool;
use stockroom_engine::ledger::verify;
use stockroom_engine::orders::lifecycle::{self, ShipLine};
use stockroom_engine::orders::{self, OrderLineRequest, OrderRequest, PartialPolicy};
use stockroom_engine::returns::{
    self, DecisionRequest, Grade, OrderRef, RefundRequest, ReturnLineRequest, ReturnRequest,
};

const BEFORE_SALE: i64 = 20;
const ORDERED: i64 = 6;

#[derive(Debug, Clone)]
enum Step {
    Ship(i64),
    Cancel,
    Refund { quantity: i64, restock: bool },
    ReceiveExpected,
    CustomerReturn(i64),
    RestockEverything,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1i64..4).prop_map(Step::Ship),
        Just(Step::Cancel),
        (1i64..5, any::<bool>()).prop_map(|(quantity, restock)| Step::Refund { quantity, restock }),
        Just(Step::ReceiveExpected),
        (1i64..4).prop_map(Step::CustomerReturn),
        Just(Step::RestockEverything),
    ]
}

/// Units of the SKU the company holds, in every state, at every location.
async fn held(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "SELECT coalesce(sum(available + reserved + in_transit + damaged + quarantined
                             + return_pending), 0)::bigint
         FROM positions WHERE sku = 'SKU-A'",
    )
    .fetch_one(pool)
    .await
    .expect("positions")
}

async fn line(pool: &PgPool, order_id: i64) -> (i64, i64, i64, i64) {
    sqlx::query_as(
        "SELECT allocated, shipped, returned, put_back FROM order_line_stock
         WHERE order_id = $1 AND line_no = 1",
    )
    .bind(order_id)
    .fetch_one(pool)
    .await
    .expect("order line")
}

async fn apply(pool: &PgPool, order_id: i64, n: usize, step: &Step) {
    let now = Utc::now();
    // Refusals are part of the property: whatever is refused must leave nothing behind.
    let _ = match step {
        Step::Ship(k) => {
            let lines = [ShipLine { line_no: 1, quantity: *k }];
            lifecycle::ship(pool, "p", order_id, &format!("P-{n}"), Some(&lines)).await.map(drop)
        }
        Step::Cancel => lifecycle::cancel(pool, "p", order_id, "asked").await.map(drop),
        Step::Refund { quantity, restock } => {
            let refund = RefundRequest {
                order_id,
                line_no: 1,
                reference: format!("RF-{n}"),
                quantity: *quantity,
                restock: *restock,
                reason: "changed_mind".into(),
                return_to: Some("ST-1".into()),
                at: now,
            };
            returns::refund(pool, "p", &refund).await.map(drop)
        }
        Step::ReceiveExpected => {
            for r in returns::queue(pool, None, true, 100).await.expect("queue") {
                returns::receive(pool, "p", r.id, now).await.expect("receive");
            }
            Ok(())
        }
        Step::CustomerReturn(q) => {
            let rma = ReturnRequest {
                channel: "WEB".into(),
                external_id: format!("RMA-{n}"),
                location: "ST-1".into(),
                order: Some(OrderRef { channel: "WEB".into(), external_id: "W-1".into() }),
                customer_ref: None,
                lines: vec![ReturnLineRequest {
                    sku: "SKU-A".into(),
                    quantity: *q,
                    reason: "defective".into(),
                    order_line_no: None,
                    unit_price: None,
                }],
                at: now,
                received: true,
            };
            returns::capture(pool, "p", &rma).await.map(drop)
        }
        Step::RestockEverything => {
            let waiting = returns::queue(pool, None, false, 100).await.expect("queue");
            let decisions: Vec<DecisionRequest> = waiting
                .iter()
                .filter(|r| r.units_waiting > 0)
                .map(|r| DecisionRequest {
                    return_id: r.id,
                    line_no: 1,
                    quantity: r.units_waiting,
                    grade: Grade::AsNew,
                    disposition: None,
                    override_reason: None,
                    destination: None,
                    at: now,
                })
                .collect();
            returns::decide_all(pool, "p", &decisions).await.expect("restocked");
            Ok(())
        }
    };
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn refunds_cancellations_and_returns_never_leave_more_stock_than_before_the_sale(
        steps in prop::collection::vec(step(), 1..14)
    ) {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async {
            let pool = seeded_db().await;
            receive(&pool, "r1", "SKU-A", "DC-1", BEFORE_SALE).await;
            let order = OrderRequest {
                channel: "WEB".into(),
                external_id: "W-1".into(),
                lines: vec![OrderLineRequest {
                    sku: "SKU-A".into(),
                    quantity: ORDERED,
                    unit_price: Decimal::new(1000, 2),
                }],
                customer: Some((52.0, -1.0)),
                pickup_location: None,
                partial_policy: PartialPolicy::AllOrNothing,
                placed_at: Utc::now(),
                confirmed: true,
                customer_ref: None,
            };
            let order_id = orders::capture(&pool, "p", &order).await.expect("captured").order_id();
            for (n, s) in steps.iter().enumerate() {
                apply(&pool, order_id, n, s).await;
                let (allocated, shipped, returned, put_back) = line(&pool, order_id).await;
                let stock = held(&pool).await;
                assert_eq!(
                    stock,
                    BEFORE_SALE - shipped + returned,
                    "after step {n} {s:?}: held stock is the pre-sale stock less shipped \
                     plus returned"
                );
                assert!(stock <= BEFORE_SALE, "after step {n} {s:?}: {stock} > {BEFORE_SALE}");
                assert!(returned <= shipped, "after step {n} {s:?}");
                assert!(put_back <= allocated, "after step {n} {s:?}");
            }
            let report = verify::run(&pool).await.expect("verify");
            assert!(report.drifts.is_empty(), "{:?}", report.drifts);
        });
    }
}
