//! Capturing orders: validation, idempotency by (channel, order id), and the reservation
//! and routing decision written in one transaction per batch of orders.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};

use super::query::DecisionDetail;
use super::sourcing::{self, Plan, SourcingPolicy, SourcingRequest};
use super::{CaptureOutcome, OrderRequest, OrderStatus};
use crate::availability::Snapshot;
use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{insert_movements, Keyed, MovementKind, NewMovement, StockState};

/// The sourcing policy version in force at `at`.
pub async fn sourcing_policy(conn: &mut PgConnection, at: DateTime<Utc>) -> Result<SourcingPolicy> {
    sqlx::query_as::<_, SourcingPolicy>(
        "SELECT version, split_min_value, parcel_cost, cost_per_km, handling_dc, handling_dark,
                handling_store, late_day_penalty, hold_minutes, min_pick_accuracy
         FROM sourcing_policies WHERE effective_from <= $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(at)
    .fetch_optional(conn)
    .await
    .context("reading the sourcing policy")?
    .ok_or_else(|| EngineError::NotFound { what: "sourcing policy", key: at.to_rfc3339() })
}

/// Captures one order in its own transaction.
pub async fn capture(pool: &PgPool, actor: &str, order: &OrderRequest) -> Result<CaptureOutcome> {
    let mut results = capture_batch(pool, actor, std::slice::from_ref(order)).await;
    results.pop().unwrap_or_else(|| Err(EngineError::Internal("no outcome".into())))
}

/// Captures many orders, in order, in one transaction; one outcome per order. An order
/// that is invalid (an empty SKU, an unknown channel) gets its error and the others go
/// on. If the transaction itself fails, each order is retried alone.
#[tracing::instrument(skip_all, fields(orders = orders.len()))]
pub async fn capture_batch(
    pool: &PgPool,
    actor: &str,
    orders: &[OrderRequest],
) -> Vec<Result<CaptureOutcome>> {
    let refs: Vec<&OrderRequest> = orders.iter().collect();
    // Optimistic first: plan on what is committed, and let the ledger refuse the batch
    // if another one took the stock meanwhile; new orders are inserted plainly, and a
    // repeat makes the key refuse the batch. Then careful: positions locked while
    // planning and repeats recognised as such. Then order by order, so one bad order
    // fails alone.
    let first = together(pool, actor, &refs, Mode::Optimistic).await;
    let second = match first {
        Err(err) if err.is_insufficient_available() => {
            tracing::debug!("stock moved while planning; capturing again with positions locked");
            together(pool, actor, &refs, Mode::Careful).await
        }
        Err(err) if err.is_unique_violation(ORDER_KEY) => {
            tracing::debug!("the batch repeats an order; capturing again, checking for repeats");
            together(pool, actor, &refs, Mode::Careful).await
        }
        other => other,
    };
    match second {
        Ok(outcomes) => outcomes,
        Err(err) if orders.len() == 1 => vec![Err(err)],
        Err(err) => {
            tracing::warn!(error = %err, "batch capture failed; retrying order by order");
            let mut outcomes = Vec::with_capacity(orders.len());
            for order in &refs {
                let one = together(pool, actor, std::slice::from_ref(order), Mode::Careful).await;
                outcomes.push(one.and_then(|mut v| {
                    v.pop().unwrap_or_else(|| Err(EngineError::Internal("no outcome".into())))
                }));
            }
            outcomes
        }
    }
}

/// How a batch is captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Positions read without locks, orders inserted without checking for repeats: the
    /// ledger and the order key refuse the whole batch if either assumption fails.
    Optimistic,
    /// Positions locked while planning; orders already captured come back as repeats.
    Careful,
}

/// The unique key that makes capture idempotent by (channel, order id).
const ORDER_KEY: &str = "orders_channel_external_id_key";

/// The whole batch in one transaction. The outer error means nothing was written.
async fn together(
    pool: &PgPool,
    actor: &str,
    orders: &[&OrderRequest],
    mode: Mode,
) -> Result<Vec<Result<CaptureOutcome>>> {
    let mut results: Vec<Option<Result<CaptureOutcome>>> = orders.iter().map(|_| None).collect();
    let mut tx = pool.begin().await.context("starting order capture")?;
    let Some(now) = orders.iter().map(|o| o.placed_at).max() else { return Ok(Vec::new()) };

    reject_unknown_references(&mut tx, orders, &mut results).await?;
    let hashes: Vec<String> = orders.iter().map(|o| o.payload_hash()).collect();
    let policy = sourcing_policy(&mut tx, now).await?;

    // Orders not seen before, first occurrence in the batch only.
    let mut seen = HashSet::new();
    let fresh: Vec<usize> = (0..orders.len())
        .filter(|&i| results[i].is_none())
        .filter(|&i| seen.insert((orders[i].channel.as_str(), orders[i].external_id.as_str())))
        .collect();
    let ids = insert_orders(&mut tx, orders, &fresh, &hashes, &policy, mode).await?;
    let fresh: Vec<(usize, i64)> =
        fresh.into_iter().filter_map(|i| ids.get(&key(orders[i])).map(|&id| (i, id))).collect();
    insert_lines(&mut tx, orders, &fresh).await?;

    let skus: Vec<String> = fresh
        .iter()
        .flat_map(|(i, _)| orders[*i].lines.iter().map(|l| l.sku.clone()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let lock = mode == Mode::Careful;
    let mut snapshot = Snapshot::load(&mut tx, &skus, lock, now).await?;
    let mut writes = Writes::default();
    let no_exclusions = HashSet::new();
    for &(i, order_id) in &fresh {
        let order = orders[i];
        let demand = order.demand();
        let request = SourcingRequest {
            channel: &order.channel,
            demand: &demand,
            order_value: order.value(),
            customer: order.customer,
            pickup: order.pickup_location.as_deref(),
            partial_policy: order.partial_policy,
            now: order.placed_at,
            exclude: &no_exclusions,
        };
        let plan = sourcing::plan(&request, &snapshot, &policy);
        for pick in &plan.picks {
            snapshot.take(&pick.sku, &pick.location, pick.quantity);
        }
        results[i] = Some(Ok(writes.add(order_id, order, &plan, 1, &policy)));
    }
    writes.flush(&mut tx, actor).await?;

    // Repeats: of an earlier order, or of one earlier in this batch.
    let repeats: Vec<usize> = (0..orders.len()).filter(|&i| results[i].is_none()).collect();
    if !repeats.is_empty() {
        let existing = existing_orders(&mut tx, orders, &repeats).await?;
        for i in repeats {
            let o = orders[i];
            results[i] = Some(match existing.get(&key(o)) {
                Some((id, hash, _)) if *hash != hashes[i] => {
                    let _ = id;
                    Err(EngineError::IdempotencyConflict {
                        source_name: o.channel.clone(),
                        external_id: o.external_id.clone(),
                    })
                }
                Some((id, _, status)) => {
                    Ok(CaptureOutcome::Duplicate { order_id: *id, status: *status })
                }
                None => Err(EngineError::Internal(format!("order {} vanished", o.external_id))),
            });
        }
    }
    tx.commit().await.context("committing order capture")?;
    Ok(results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(EngineError::Internal("order not decided".into()))))
        .collect())
}

fn key(o: &OrderRequest) -> (String, String) {
    (o.channel.clone(), o.external_id.clone())
}

/// Marks invalid orders and those naming an unknown channel, SKU or pickup store.
async fn reject_unknown_references(
    conn: &mut PgConnection,
    orders: &[&OrderRequest],
    results: &mut [Option<Result<CaptureOutcome>>],
) -> Result<()> {
    let skus: Vec<String> =
        orders.iter().flat_map(|o| o.lines.iter().map(|l| l.sku.clone())).collect();
    let pickups: Vec<String> = orders.iter().filter_map(|o| o.pickup_location.clone()).collect();
    type Known = (Vec<String>, Vec<String>, Vec<String>, Vec<String>);
    let (known_skus, channels, places, stores): Known = sqlx::query_as(
        "SELECT (SELECT coalesce(array_agg(sku), '{}') FROM products WHERE sku = ANY($1)),
                    (SELECT coalesce(array_agg(code), '{}') FROM channels),
                    (SELECT coalesce(array_agg(code), '{}') FROM locations WHERE code = ANY($2)),
                    (SELECT coalesce(array_agg(code), '{}') FROM locations
                     WHERE code = ANY($2) AND offers_pickup)",
    )
    .bind(&skus)
    .bind(&pickups)
    .fetch_one(&mut *conn)
    .await
    .context("checking the orders' channels, SKUs and pickup stores")?;
    let known_skus: HashSet<String> = known_skus.into_iter().collect();
    let channels: HashSet<String> = channels.into_iter().collect();
    let places: HashSet<String> = places.into_iter().collect();
    let stores: HashSet<String> = stores.into_iter().collect();
    for (i, o) in orders.iter().enumerate() {
        let id = &o.external_id;
        let problem = o.invalid_field().or_else(|| {
            if !channels.contains(&o.channel) {
                let message = format!("order {id}: channel {} is not known", o.channel);
                return Some(("channel".to_owned(), message));
            }
            if let Some(p) = o.pickup_location.as_ref().filter(|p| !stores.contains(*p)) {
                let message = if places.contains(p) {
                    format!("order {id}: pickup_location {p} does not offer pickup")
                } else {
                    format!("order {id}: pickup_location {p} is not a known location")
                };
                return Some(("pickup_location".to_owned(), message));
            }
            o.lines.iter().enumerate().find(|(_, l)| !known_skus.contains(&l.sku)).map(|(n, l)| {
                let message =
                    format!("order {id} line {}: sku {} is not in the catalogue", n + 1, l.sku);
                (format!("lines[{n}].sku"), message)
            })
        });
        if let Some((field, message)) = problem {
            results[i] = Some(Err(EngineError::InvalidField { field, message }));
        }
    }
    Ok(())
}

/// Inserts new orders; returns the ids of those that were not already there.
async fn insert_orders(
    conn: &mut PgConnection,
    orders: &[&OrderRequest],
    which: &[usize],
    hashes: &[String],
    policy: &SourcingPolicy,
    mode: Mode,
) -> Result<HashMap<(String, String), i64>> {
    let pick = |f: &dyn Fn(&OrderRequest) -> _| -> Vec<_> {
        which.iter().map(|&i| f(orders[i])).collect()
    };
    let channels: Vec<String> = pick(&|o| o.channel.clone());
    let external: Vec<String> = pick(&|o| o.external_id.clone());
    let hash: Vec<String> = which.iter().map(|&i| hashes[i].clone()).collect();
    let policies: Vec<&str> = which
        .iter()
        .map(|&i| match orders[i].partial_policy {
            super::PartialPolicy::AllOrNothing => "all_or_nothing",
            super::PartialPolicy::ReserveAvailable => "reserve_available",
        })
        .collect();
    let lat: Vec<Option<f64>> = which.iter().map(|&i| orders[i].customer.map(|c| c.0)).collect();
    let lon: Vec<Option<f64>> = which.iter().map(|&i| orders[i].customer.map(|c| c.1)).collect();
    let pickup: Vec<Option<String>> =
        which.iter().map(|&i| orders[i].pickup_location.clone()).collect();
    let value: Vec<Decimal> = which.iter().map(|&i| orders[i].value().round_dp(2)).collect();
    let placed: Vec<DateTime<Utc>> = which.iter().map(|&i| orders[i].placed_at).collect();
    let hold = Duration::minutes(i64::from(policy.hold_minutes));
    let expires: Vec<Option<DateTime<Utc>>> =
        which.iter().map(|&i| (!orders[i].confirmed).then(|| orders[i].placed_at + hold)).collect();
    let customers: Vec<Option<String>> =
        which.iter().map(|&i| orders[i].customer_ref.clone()).collect();
    // A plain insert checks the key once; ON CONFLICT probes it before inserting too.
    let on_conflict = match mode {
        Mode::Optimistic => "",
        Mode::Careful => "ON CONFLICT (channel, external_id) DO NOTHING",
    };
    let sql = format!(
        "INSERT INTO orders (channel, external_id, payload_hash, status, partial_policy,
             customer_lat, customer_lon, pickup_location, order_value, placed_at, expires_at,
             customer_ref)
         SELECT c, e, h, 'open', p::partial_policy, la, lo, pu, v, pl, ex, cr
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[],
             $6::float8[], $7::text[], $8::numeric[], $9::timestamptz[], $10::timestamptz[],
             $11::text[])
             AS t(c, e, h, p, la, lo, pu, v, pl, ex, cr)
         {on_conflict}
         RETURNING id, channel, external_id"
    );
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&sql)
        .bind(&channels)
        .bind(&external)
        .bind(&hash)
        .bind(&policies)
        .bind(&lat)
        .bind(&lon)
        .bind(&pickup)
        .bind(&value)
        .bind(&placed)
        .bind(&expires)
        .bind(&customers)
        .fetch_all(conn)
        .await
        .context("recording orders")?;
    Ok(rows.into_iter().map(|(id, c, e)| ((c, e), id)).collect())
}

async fn insert_lines(
    conn: &mut PgConnection,
    orders: &[&OrderRequest],
    fresh: &[(usize, i64)],
) -> Result<()> {
    let mut ids = Vec::new();
    let mut nos = Vec::new();
    let mut skus = Vec::new();
    let mut qtys = Vec::new();
    let mut prices = Vec::new();
    for &(i, id) in fresh {
        for (n, line) in orders[i].lines.iter().enumerate() {
            ids.push(id);
            nos.push(i32::try_from(n + 1).unwrap_or(i32::MAX));
            skus.push(line.sku.clone());
            qtys.push(line.quantity);
            prices.push(line.unit_price);
        }
    }
    sqlx::query(
        "INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price)
         SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::bigint[], $5::numeric[])",
    )
    .bind(&ids)
    .bind(&nos)
    .bind(&skus)
    .bind(&qtys)
    .bind(&prices)
    .execute(conn)
    .await
    .context("recording order lines")?;
    Ok(())
}

type Existing = HashMap<(String, String), (i64, String, OrderStatus)>;

async fn existing_orders(
    conn: &mut PgConnection,
    orders: &[&OrderRequest],
    which: &[usize],
) -> Result<Existing> {
    let channels: Vec<String> = which.iter().map(|&i| orders[i].channel.clone()).collect();
    let external: Vec<String> = which.iter().map(|&i| orders[i].external_id.clone()).collect();
    let rows: Vec<(i64, String, String, String, OrderStatus)> = sqlx::query_as(
        "SELECT o.id, o.channel, o.external_id, o.payload_hash, o.status
         FROM orders o JOIN unnest($1::text[], $2::text[]) AS k(c, e)
           ON o.channel = k.c AND o.external_id = k.e",
    )
    .bind(&channels)
    .bind(&external)
    .fetch_all(conn)
    .await
    .context("reading orders already captured")?;
    Ok(rows.into_iter().map(|(id, c, e, h, s)| ((c, e), (id, h, s))).collect())
}

/// One allocation of a line's units at a location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineAllocation {
    pub line_no: i32,
    pub sku: String,
    pub location: String,
    pub quantity: i64,
    pub ship_day: NaiveDate,
}

/// Spreads each SKU's picks over the order's lines for that SKU, in line order.
pub(crate) fn allocate_to_lines(lines: &[(i32, String, i64)], plan: &Plan) -> Vec<LineAllocation> {
    let mut out = Vec::new();
    let mut picks: Vec<(String, String, i64, NaiveDate)> = plan
        .picks
        .iter()
        .map(|p| (p.sku.clone(), p.location.clone(), p.quantity, p.ship_day))
        .collect();
    for (line_no, sku, quantity) in lines {
        let mut need = *quantity;
        for pick in picks.iter_mut().filter(|p| &p.0 == sku) {
            let take = pick.2.min(need);
            if take > 0 {
                out.push(LineAllocation {
                    line_no: *line_no,
                    sku: sku.clone(),
                    location: pick.1.clone(),
                    quantity: take,
                    ship_day: pick.3,
                });
                pick.2 -= take;
                need -= take;
            }
        }
    }
    out
}

/// Rows gathered over a batch, written with one statement per table.
#[derive(Default)]
pub(crate) struct Writes {
    allocations: Vec<(i64, LineAllocation)>,
    movements: Vec<(String, NewMovement)>,
    decisions: Vec<(i64, i32, String, String, String, String)>,
    rejected: Vec<i64>,
}

impl Writes {
    /// Records the plan for an order; returns what capture tells the channel.
    pub(crate) fn add(
        &mut self,
        order_id: i64,
        order: &OrderRequest,
        plan: &Plan,
        seq: i32,
        policy: &SourcingPolicy,
    ) -> CaptureOutcome {
        let lines: Vec<(i32, String, i64)> = order
            .lines
            .iter()
            .enumerate()
            .map(|(n, l)| (i32::try_from(n + 1).unwrap_or(i32::MAX), l.sku.clone(), l.quantity))
            .collect();
        let prices: HashMap<i32, Decimal> = order
            .lines
            .iter()
            .enumerate()
            .map(|(n, l)| (i32::try_from(n + 1).unwrap_or(i32::MAX), l.unit_price))
            .collect();
        self.add_plan(
            order_id,
            &order.channel,
            &order.external_id,
            order.placed_at,
            &lines,
            &prices,
            plan,
            seq,
            policy,
        );
        if plan.accepted() {
            CaptureOutcome::Reserved {
                order_id,
                reserved_units: plan.filled_units,
                requested_units: plan.requested_units,
                shipments: i64::try_from(plan.shipments()).unwrap_or(i64::MAX),
            }
        } else {
            self.rejected.push(order_id);
            CaptureOutcome::Rejected { order_id, reason: plan.explanation.clone() }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_plan(
        &mut self,
        order_id: i64,
        channel: &str,
        external_id: &str,
        at: DateTime<Utc>,
        lines: &[(i32, String, i64)],
        prices: &HashMap<i32, Decimal>,
        plan: &Plan,
        seq: i32,
        policy: &SourcingPolicy,
    ) {
        for a in allocate_to_lines(lines, plan) {
            self.movements.push((
                format!("order:{order_id}:{}:{}:reserve:{seq}", a.line_no, a.location),
                NewMovement {
                    kind: MovementKind::Reservation,
                    sku: a.sku.clone(),
                    location: a.location.clone(),
                    from: Some(StockState::Available),
                    to: Some(StockState::Reserved),
                    quantity: a.quantity,
                    channel: Some(channel.to_owned()),
                    unit_price: prices.get(&a.line_no).copied(),
                    unit_cost: None,
                    reason: None,
                    reference: Some(format!("{channel}/{external_id}")),
                    event_time: at,
                },
            ));
            self.allocations.push((order_id, a));
        }
        let candidates = serde_json::to_string(&DecisionDetail {
            candidates: plan.candidates.clone(),
            locations_without_stock: plan.locations_without_stock,
            requested_units: plan.requested_units,
            filled_units: plan.filled_units,
            shipping_cost: plan.shipping_cost,
        })
        .unwrap_or_default();
        self.decisions.push((
            order_id,
            seq,
            plan.rule.clone(),
            format!("sourcing policy v{}", policy.version),
            plan.explanation.clone(),
            candidates,
        ));
    }

    /// Writes the batch. Rows that lock nothing shared come first; the movements (which
    /// lock positions) and the allocations (which lock the day's pick loads) come last,
    /// so hot rows are held for as short a time as possible, and in that order, the
    /// order releases and shipments take them in, so they cannot deadlock with capture.
    pub(crate) async fn flush(self, conn: &mut PgConnection, actor: &str) -> Result<()> {
        if !self.decisions.is_empty() {
            let d = &self.decisions;
            sqlx::query(
                "INSERT INTO routing_decisions
                     (order_id, seq, rule, policy, explanation, candidates)
                 SELECT o, s, r, p, e, c::json
                 FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[],
                     $6::text[])
                     AS t(o, s, r, p, e, c)",
            )
            .bind(d.iter().map(|x| x.0).collect::<Vec<_>>())
            .bind(d.iter().map(|x| x.1).collect::<Vec<_>>())
            .bind(d.iter().map(|x| x.2.clone()).collect::<Vec<_>>())
            .bind(d.iter().map(|x| x.3.clone()).collect::<Vec<_>>())
            .bind(d.iter().map(|x| x.4.clone()).collect::<Vec<_>>())
            .bind(d.iter().map(|x| x.5.clone()).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await
            .context("recording routing decisions")?;
        }
        if !self.rejected.is_empty() {
            sqlx::query(
                "UPDATE orders SET status = 'rejected', closed_at = now(), expires_at = NULL
                 WHERE id = ANY($1)",
            )
            .bind(&self.rejected)
            .execute(&mut *conn)
            .await
            .context("marking rejected orders")?;
        }
        let movements = merge_reservations(self.movements);
        let keyed: Vec<Keyed<'_>> = movements
            .iter()
            .map(|(key, m)| Keyed { movement: m, idempotency_key: key.clone(), event_id: None })
            .collect();
        insert_movements(&mut *conn, actor, &keyed).await?;
        if !self.allocations.is_empty() {
            let col = |f: &dyn Fn(&(i64, LineAllocation)) -> _| -> Vec<_> {
                self.allocations.iter().map(f).collect()
            };
            let order_ids: Vec<i64> = col(&|a| a.0);
            let line_nos: Vec<i32> = self.allocations.iter().map(|a| a.1.line_no).collect();
            let skus: Vec<String> = self.allocations.iter().map(|a| a.1.sku.clone()).collect();
            let locations: Vec<String> =
                self.allocations.iter().map(|a| a.1.location.clone()).collect();
            let qtys: Vec<i64> = self.allocations.iter().map(|a| a.1.quantity).collect();
            let days: Vec<NaiveDate> = self.allocations.iter().map(|a| a.1.ship_day).collect();
            sqlx::query(
                "INSERT INTO allocations (order_id, line_no, sku, location, quantity, ship_day)
                 SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[],
                     $5::bigint[], $6::date[])",
            )
            .bind(&order_ids)
            .bind(&line_nos)
            .bind(&skus)
            .bind(&locations)
            .bind(&qtys)
            .bind(&days)
            .execute(&mut *conn)
            .await
            .context("recording allocations")?;
        }
        Ok(())
    }
}

/// One reservation movement per SKU, location and channel for the orders of a batch
/// placed within the same second. A hot SKU's position then takes one update per batch
/// instead of one per order, and the ledger stays true to the second; each order's own
/// share is its allocation rows. The merged movement keeps the key of its first
/// allocation (which names the order, line and location) and names how many orders it
/// holds in its reference.
fn merge_reservations(movements: Vec<(String, NewMovement)>) -> Vec<(String, NewMovement)> {
    let group_of = |m: &NewMovement| {
        (m.sku.clone(), m.location.clone(), m.channel.clone(), m.event_time.timestamp())
    };
    let same_group = |a: &NewMovement, b: &NewMovement| {
        a.sku == b.sku
            && a.location == b.location
            && a.channel == b.channel
            && a.event_time.timestamp() == b.event_time.timestamp()
    };
    // (key, merged movement, the orders' references in it)
    let mut merged: Vec<(String, NewMovement, HashSet<Option<String>>)> = Vec::new();
    let mut groups: HashMap<(String, String, Option<String>, i64), usize> = HashMap::new();
    for (key, m) in movements {
        // A batch's movements for one SKU mostly follow each other: the last group is
        // looked at first, without building a key.
        let last = merged.len().checked_sub(1).filter(|&i| same_group(&merged[i].1, &m));
        let found = last.or_else(|| groups.get(&group_of(&m)).copied());
        match found {
            Some(i) => {
                let (_, into, orders) = &mut merged[i];
                into.quantity += m.quantity;
                into.event_time = into.event_time.min(m.event_time);
                if into.unit_price != m.unit_price {
                    into.unit_price = None;
                }
                orders.insert(m.reference);
            }
            None => {
                groups.insert(group_of(&m), merged.len());
                let orders = HashSet::from([m.reference.clone()]);
                merged.push((key, m, orders));
            }
        }
    }
    merged
        .into_iter()
        .map(|(key, mut m, orders)| {
            if orders.len() > 1 {
                let first = m.reference.take().unwrap_or_default();
                m.reference = Some(format!("{first} and {} more orders", orders.len() - 1));
            }
            (key, m)
        })
        .collect()
}
