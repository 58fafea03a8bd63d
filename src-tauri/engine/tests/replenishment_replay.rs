//! Planning on the real data: replay a month of UCI invoices, derive suppliers, fit
//! forecasts, plan, approve the most urgent proposals and receive what they raised.

mod common;

use chrono::Utc;
use common::db;
use stockroom_engine::ledger::verify;
use stockroom_engine::purchasing;
use stockroom_engine::receiving::ReceiptLine;
use stockroom_engine::replay::{self, ReplayMode, ReplayOptions};
use stockroom_engine::replenishment::demo;
use stockroom_engine::replenishment::proposals::{self, Approval, ProposalFilter};
use stockroom_engine::transfers;

#[tokio::test]
async fn a_replayed_month_is_planned_within_the_terms_and_approvals_reach_the_ledger() {
    let Some(data) = common::shared_data() else { return };
    let pool = db().await;
    let options = ReplayOptions {
        data_dir: data,
        from: replay::parse_day("2010-12-01").expect("date"),
        to: replay::parse_day("2010-12-31").expect("date"),
        actor: "test".into(),
        mode: ReplayMode::Direct,
    };
    replay::load_demo(&pool, &options, |_| {}).await.expect("replay");

    let setup = demo::prepare(&pool, "test").await.expect("planning").expect("sales exist");
    assert!(setup.forecasts.series > 1_000, "{:?}", setup.forecasts);
    let plan = &setup.plan;
    assert!(plan.purchases > 100 && plan.transfers > 100, "{plan:?}");
    assert_eq!(plan.without_supplier, 0);

    // Every purchase respects its minimum order and case size.
    let off_terms: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM proposals p JOIN supplier_items si ON si.sku = p.sku
         WHERE p.kind = 'purchase' AND (p.quantity < si.min_order_qty
             OR p.quantity % si.pack_size <> 0)",
    )
    .fetch_one(&pool)
    .await
    .expect("terms check");
    assert_eq!(off_terms, 0);
    // DC-to-store transfers never promise more than the DC has available.
    let beyond: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (
             SELECT p.sku, p.source_location, sum(p.quantity) AS promised
             FROM proposals p WHERE p.kind = 'transfer' GROUP BY 1, 2) t
         JOIN positions pos ON pos.sku = t.sku AND pos.location = t.source_location
         WHERE t.promised > pos.available",
    )
    .fetch_one(&pool)
    .await
    .expect("cover check");
    assert_eq!(beyond, 0);

    // The planner approves the 40 most urgent proposals of each kind in one go.
    let mut approvals = Vec::new();
    for kind in [proposals::ProposalKind::Purchase, proposals::ProposalKind::Transfer] {
        let filter = ProposalFilter { kind: Some(kind), limit: Some(40), ..Default::default() };
        let open = proposals::list(&pool, &filter).await.expect("list");
        approvals.extend(open.iter().map(|p| Approval { id: p.id, quantity: None }));
    }
    let done =
        proposals::approve(&pool, "planner", &approvals, None, Utc::now()).await.expect("approve");
    assert_eq!(done.decided.len(), approvals.len(), "{:?}", done.failed);
    assert!(!done.purchase_orders.is_empty() && !done.transfers.is_empty());

    // Receive the first PO in full and the first transfer with one unit rejected.
    let po = done.purchase_orders[0];
    let po_lines = purchasing::lines(&pool, po).await.expect("po lines");
    let all: Vec<ReceiptLine> = po_lines
        .iter()
        .map(|l| ReceiptLine { line_no: l.line_no, accepted: l.open, rejected: 0 })
        .collect();
    let received = purchasing::receive(&pool, "dock", po, "GRN-1", &all, Utc::now())
        .await
        .expect("po receipt");
    assert_eq!(received.still_open, 0);
    let transfer = done.transfers[0];
    let t_lines = transfers::lines(&pool, transfer).await.expect("transfer lines");
    let first = &t_lines[0];
    let one_bad = [ReceiptLine { line_no: 1, accepted: first.shipped - 1, rejected: 1 }];
    let got = transfers::receive(&pool, "store", transfer, "GRN-2", &one_bad, Utc::now())
        .await
        .expect("transfer receipt");
    assert_eq!(got.accepted + got.rejected, first.shipped);

    let report = verify::run(&pool).await.expect("verify");
    assert!(report.drifts.is_empty(), "{:?}", report.drifts);
}
