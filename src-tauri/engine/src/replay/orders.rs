//! The replay through order orchestration: each sale invoice is an order from the web
//! shop (UK customers) or a marketplace (everyone else), delivered to the customer's
//! place in their GB town. It is captured, reserved and routed like any order, under the
//! policy "ship what is available" (a retailer ships what it has), then dispatched at
//! the end of its trading day. Returns go through the returns process (see
//! `replay::returns`); write-offs reach the ledger as in the direct replay.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Europe::London;
use sqlx::PgPool;

use super::plan::{Placement, SupplyPlan};
use super::tally::Tally;
use super::uci::{InvoiceLine, LineClass};
use super::{invoice_event, Day, ReplayOptions};
use crate::intake;
use crate::orders::lifecycle::{self, OpenShipment};
use crate::orders::{capture_batch, CaptureOutcome, OrderLineRequest, OrderRequest, PartialPolicy};

/// Orders dispatch at 18:00 on their trading day, or two hours after being placed if
/// that is later.
const DISPATCH_TIME: NaiveTime = match NaiveTime::from_hms_opt(18, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};
const HANDLING_HOURS: i64 = 2;
/// The parcel reference of a replayed dispatch; with the order, it makes a repeat a no-op.
const SHIPMENT_REF: &str = "replay-dispatch";

type Invoice<'a> = Vec<(&'a InvoiceLine, LineClass)>;

pub(super) async fn apply_day(
    pool: &PgPool,
    options: &ReplayOptions,
    placement: &Placement,
    supply: &SupplyPlan,
    day: &Day,
    tally: &mut Tally,
) {
    let invoices = super::classified_invoices(day, tally);
    let (sales, others): (Vec<Invoice<'_>>, Vec<Invoice<'_>>) = invoices
        .into_iter()
        .flat_map(|lines| {
            let (sale, rest): (Invoice<'_>, Invoice<'_>) =
                lines.into_iter().partition(|(_, class)| *class == LineClass::Sale);
            [sale, rest]
        })
        .filter(|lines| !lines.is_empty())
        .partition(|lines| lines[0].1 == LineClass::Sale);

    let orders: Vec<OrderRequest> = sales.iter().map(|lines| order(placement, lines)).collect();
    let outcomes = capture_batch(pool, &options.actor, &orders).await;
    let dispatch: Vec<OpenShipment> = orders
        .iter()
        .zip(&outcomes)
        .filter_map(|(order, outcome)| match outcome {
            Ok(CaptureOutcome::Reserved { order_id, .. }) => Some(OpenShipment {
                order_id: *order_id,
                shipment_ref: SHIPMENT_REF.to_owned(),
                at: dispatch_time(order.placed_at),
            }),
            _ => None,
        })
        .collect();
    let shipped: BTreeMap<i64, i64> =
        match lifecycle::ship_open(pool, &options.actor, &dispatch).await {
            Ok(changes) => changes.into_iter().map(|c| (c.order_id, c.units)).collect(),
            Err(err) => {
                tracing::error!(day = %day.date, error = %err, "dispatch refused");
                BTreeMap::new()
            }
        };
    for (lines, outcome) in sales.iter().zip(outcomes) {
        let units = match &outcome {
            Ok(o) => shipped.get(&o.order_id()).copied().unwrap_or(0),
            Err(_) => 0,
        };
        tally.order(&day.file, lines, outcome, units);
    }

    let (returned, others): (Vec<Invoice<'_>>, Vec<Invoice<'_>>) = others
        .into_iter()
        .flat_map(|lines| {
            let (back, rest): (Invoice<'_>, Invoice<'_>) =
                lines.into_iter().partition(|(_, class)| *class == LineClass::Return);
            [back, rest]
        })
        .filter(|lines| !lines.is_empty())
        .partition(|lines| lines[0].1 == LineClass::Return);
    super::returns::apply(pool, options, placement, &day.file, &returned, tally).await;

    let events: Vec<intake::Event> =
        others.iter().map(|lines| invoice_event(placement, supply, lines)).collect();
    let outcomes = intake::submit_batch(pool, &options.actor, &events).await;
    for (lines, outcome) in others.iter().zip(outcomes) {
        tally.invoice(&day.file, lines, outcome);
    }
}

/// The order a sale invoice becomes.
fn order(placement: &Placement, lines: &[(&InvoiceLine, LineClass)]) -> OrderRequest {
    let first = lines[0].0;
    OrderRequest {
        channel: Placement::channel(first).to_owned(),
        external_id: first.invoice.clone(),
        lines: lines
            .iter()
            .map(|(l, _)| OrderLineRequest {
                sku: l.sku.clone(),
                quantity: l.quantity,
                unit_price: l.unit_price,
            })
            .collect(),
        customer: Some(placement.customer_point(first)),
        pickup_location: None,
        partial_policy: PartialPolicy::ReserveAvailable,
        placed_at: first.time,
        confirmed: true,
        customer_ref: first.customer.clone(),
    }
}

fn dispatch_time(placed_at: DateTime<Utc>) -> DateTime<Utc> {
    let local_day = placed_at.with_timezone(&London).date_naive();
    let end_of_day = local_day
        .and_time(DISPATCH_TIME)
        .and_local_timezone(London)
        .earliest()
        .map_or(placed_at, |t| t.to_utc());
    end_of_day.max(placed_at + Duration::hours(HANDLING_HOURS))
}
