//! Inspection and disposition: grade the units, suggest where they should go by
//! expected recovery, record the decision (the user may override it with a reason), and
//! move the units in the same transaction. Restocked units are available to channels
//! the moment the decision commits; units restocked at another location travel on a
//! transfer and become available when it is received.
//!
//! Money: expected recovery per unit is exact decimal arithmetic on the rules' shares of
//! the original selling price; each decision's total is rounded to pence once, half to
//! even, and stored. Reports only add stored totals.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use specta::Type;
use sqlx::{PgConnection, PgPool};

use super::{DecisionOutcome, DecisionRequest, Disposition, Grade, ReturnStatus};
use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::{insert_movements, Keyed, MovementKind, NewMovement, StockState};

/// Days a transfer of restocked units takes to reach its destination.
const RESTOCK_TRANSFER_DAYS: u64 = 1;

/// Shares of the original selling price each disposition is expected to recover.
#[derive(Debug, Clone, PartialEq, Serialize, Type, sqlx::FromRow)]
pub struct RecoveryRules {
    pub version: i32,
    #[specta(type = String)]
    pub resale_as_new: Decimal,
    #[specta(type = String)]
    pub resale_open_box: Decimal,
    #[specta(type = String)]
    pub refurbished_resale: Decimal,
    #[specta(type = String)]
    pub refurbish_cost: Decimal,
    #[specta(type = String)]
    pub vendor_credit: Decimal,
    #[specta(type = String)]
    pub liquidation: Decimal,
    /// Cost of handling one unit back onto a shelf, in pounds.
    #[specta(type = String)]
    pub handling_per_unit: Decimal,
}

impl RecoveryRules {
    /// Expected recovery of one unit of `grade` sold at `price`, if it goes `way`.
    pub fn unit_recovery(&self, way: Disposition, grade: Grade, price: Decimal) -> Decimal {
        match way {
            Disposition::Restock => {
                let share = match grade {
                    Grade::AsNew => self.resale_as_new,
                    Grade::OpenBox => self.resale_open_box,
                    Grade::Damaged | Grade::Defective => Decimal::ZERO,
                };
                price * share - self.handling_per_unit
            }
            Disposition::Refurbish => {
                price * (self.refurbished_resale - self.refurbish_cost) - self.handling_per_unit
            }
            Disposition::ReturnToVendor => price * self.vendor_credit,
            Disposition::Liquidate => price * self.liquidation,
            Disposition::Scrap => Decimal::ZERO,
        }
    }
}

/// One way the units could go, with its expected recovery per unit.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RecoveryOption {
    pub disposition: Disposition,
    pub allowed: bool,
    #[specta(type = String)]
    pub unit_recovery: Decimal,
    pub suggested: bool,
}

/// Every disposition for units of `grade` sold at `price`; the allowed one with the
/// highest expected recovery is suggested (ties go to the one earlier in
/// [`Disposition::ALL`], which keeps the unit closest to a sale).
pub fn suggest(rules: &RecoveryRules, grade: Grade, price: Decimal) -> Vec<RecoveryOption> {
    let mut options: Vec<RecoveryOption> = Disposition::ALL
        .iter()
        .map(|&d| RecoveryOption {
            disposition: d,
            allowed: d.allowed_for(grade),
            unit_recovery: rules.unit_recovery(d, grade, price),
            suggested: false,
        })
        .collect();
    let best = options.iter().enumerate().filter(|(_, o)| o.allowed).fold(
        None::<(usize, Decimal)>,
        |best, (i, o)| match best {
            Some((_, v)) if v >= o.unit_recovery => best,
            _ => Some((i, o.unit_recovery)),
        },
    );
    if let Some((i, _)) = best {
        options[i].suggested = true;
    }
    options
}

fn suggested(options: &[RecoveryOption]) -> Disposition {
    options.iter().find(|o| o.suggested).map_or(Disposition::Scrap, |o| o.disposition)
}

/// Money is rounded here and nowhere else: to pence, half to even.
pub(crate) fn pence(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
}

/// The recovery rules in force at `at`.
pub async fn recovery_rules(conn: &mut PgConnection, at: DateTime<Utc>) -> Result<RecoveryRules> {
    sqlx::query_as::<_, RecoveryRules>(
        "SELECT version, resale_as_new, resale_open_box, refurbished_resale, refurbish_cost,
                vendor_credit, liquidation, handling_per_unit
         FROM recovery_rules WHERE effective_from <= $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(at)
    .fetch_optional(conn)
    .await
    .context("reading the recovery rules")?
    .ok_or_else(|| EngineError::NotFound { what: "recovery rules", key: at.to_rfc3339() })
}

/// Records one decision in its own transaction.
pub async fn decide(
    pool: &PgPool,
    actor: &str,
    request: &DecisionRequest,
) -> Result<DecisionOutcome> {
    let mut outcomes = decide_all(pool, actor, std::slice::from_ref(request)).await?;
    outcomes.pop().ok_or_else(|| EngineError::Internal("no decision recorded".into()))
}

#[derive(sqlx::FromRow)]
struct LineState {
    return_id: i64,
    line_no: i32,
    external_id: String,
    channel: String,
    location: String,
    status: ReturnStatus,
    sku: String,
    received: i64,
    disposed: i64,
    unit_price: Decimal,
}

/// A decision checked and priced, ready to write.
struct Planned {
    line: usize,
    quantity: i64,
    grade: Grade,
    disposition: Disposition,
    suggested: Disposition,
    override_reason: Option<String>,
    destination: Option<String>,
    original: Decimal,
    recovery: Decimal,
    /// Units of the line disposed before this decision.
    disposed_before: i64,
    at: DateTime<Utc>,
}

/// Records decisions in one transaction: all of them, or none with an error naming the
/// decision (its position in the list), the field and the reason.
#[tracing::instrument(skip_all, fields(decisions = requests.len()))]
pub async fn decide_all(
    pool: &PgPool,
    actor: &str,
    requests: &[DecisionRequest],
) -> Result<Vec<DecisionOutcome>> {
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = pool.begin().await.context("starting return decisions")?;
    let mut return_ids: Vec<i64> = requests.iter().map(|r| r.return_id).collect();
    return_ids.sort_unstable();
    return_ids.dedup();
    sqlx::query("SELECT 1 FROM returns WHERE id = ANY($1) ORDER BY id FOR UPDATE")
        .bind(&return_ids)
        .execute(&mut *tx)
        .await
        .context("locking the returns")?;
    let lines: Vec<LineState> = sqlx::query_as(
        "SELECT l.return_id, l.line_no, r.external_id, r.channel, r.location, r.status, l.sku,
                l.received, l.disposed, l.unit_price
         FROM return_lines l JOIN returns r ON r.id = l.return_id
         WHERE l.return_id = ANY($1)",
    )
    .bind(&return_ids)
    .fetch_all(&mut *tx)
    .await
    .context("reading the return lines")?;
    let index: HashMap<(i64, i32), usize> =
        lines.iter().enumerate().map(|(i, l)| ((l.return_id, l.line_no), i)).collect();
    let now = requests.iter().map(|r| r.at).max().unwrap_or_else(Utc::now);
    let rules = recovery_rules(&mut tx, now).await?;
    let restock_sites = restock_sites(&mut tx).await?;

    let mut disposed: Vec<i64> = lines.iter().map(|l| l.disposed).collect();
    let mut planned = Vec::with_capacity(requests.len());
    for (n, req) in requests.iter().enumerate() {
        let fail = |field: &str, reason: String| {
            EngineError::InvalidInput(format!(
                "decision {} (return {} line {}): field {field}: {reason}",
                n + 1,
                req.return_id,
                req.line_no
            ))
        };
        let &i = index
            .get(&(req.return_id, req.line_no))
            .ok_or_else(|| fail("line_no", "no such return line".into()))?;
        let line = &lines[i];
        if line.status == ReturnStatus::Announced {
            return Err(fail("return_id", "the return has not been received yet".into()));
        }
        let waiting = line.received - disposed[i];
        if req.quantity <= 0 || req.quantity > waiting {
            return Err(fail(
                "quantity",
                format!("{} unit(s) wait for a decision; {} given", waiting, req.quantity),
            ));
        }
        let options = suggest(&rules, req.grade, line.unit_price);
        let best = suggested(&options);
        let chosen = req.disposition.unwrap_or(best);
        if !chosen.allowed_for(req.grade) {
            return Err(fail(
                "disposition",
                format!(
                    "{} units may not be sent to {}",
                    req.grade.as_str().replace('_', " "),
                    chosen.as_str().replace('_', " ")
                ),
            ));
        }
        let reason = req.override_reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if chosen != best && reason.is_none() {
            return Err(fail(
                "override_reason",
                format!(
                    "{} was suggested; say why {} instead",
                    best.as_str().replace('_', " "),
                    chosen.as_str().replace('_', " ")
                ),
            ));
        }
        let destination = match chosen {
            Disposition::Restock | Disposition::Refurbish => {
                let d = match &req.destination {
                    Some(d) => d.clone(),
                    None => default_destination(&mut tx, &line.location, &restock_sites).await?,
                };
                if !restock_sites.contains_key(&d) {
                    return Err(fail(
                        "destination",
                        format!("{d} may not hold restocked units (see the return location rules)"),
                    ));
                }
                Some(d)
            }
            _ => None,
        };
        let unit = rules.unit_recovery(chosen, req.grade, line.unit_price);
        let qty = Decimal::from(req.quantity);
        planned.push(Planned {
            line: i,
            quantity: req.quantity,
            grade: req.grade,
            disposition: chosen,
            suggested: best,
            override_reason: reason.map(str::to_owned),
            destination,
            original: pence(line.unit_price * qty),
            recovery: pence(unit * qty),
            disposed_before: disposed[i],
            at: req.at,
        });
        disposed[i] += req.quantity;
    }

    let transfers = restock_transfers(&mut tx, actor, &lines, &planned, now).await?;
    let skus: Vec<&str> = lines.iter().map(|l| l.sku.as_str()).collect();
    let supplier_costs: HashMap<String, Decimal> = sqlx::query_as(
        "SELECT sku, min(unit_cost) FROM supplier_items WHERE sku = ANY($1) GROUP BY sku",
    )
    .bind(&skus)
    .fetch_all(&mut *tx)
    .await
    .context("reading suppliers' prices")?
    .into_iter()
    .collect();
    let moves = movements(&lines, &planned, &transfers, &supplier_costs);
    let keyed: Vec<Keyed<'_>> = moves
        .iter()
        .map(|(k, m)| Keyed { movement: m, idempotency_key: k.clone(), event_id: None })
        .collect();
    insert_movements(&mut tx, actor, &keyed).await?;

    let transfer_of = |p: &Planned| -> Option<i64> {
        let l = &lines[p.line];
        (p.disposition == Disposition::Restock)
            .then(|| p.destination.as_ref().filter(|d| **d != l.location))
            .flatten()
            .and_then(|d| transfers.get(&(l.location.clone(), d.clone())).copied())
    };
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO return_decisions (return_id, line_no, quantity, grade, disposition,
             suggested, override_reason, destination, transfer_id, rules_version,
             original_value, recovery, decided_at, decided_by)
         SELECT r, l, q, g::return_grade, d::disposition, s::disposition, o, dst, t, $10,
             ov, rv, at, $14
         FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[],
             $7::text[], $8::text[], $9::bigint[], $11::numeric[], $12::numeric[],
             $13::timestamptz[])
             WITH ORDINALITY AS x(r, l, q, g, d, s, o, dst, t, ov, rv, at, n)
         ORDER BY n
         RETURNING id",
    )
    .bind(planned.iter().map(|p| lines[p.line].return_id).collect::<Vec<_>>())
    .bind(planned.iter().map(|p| lines[p.line].line_no).collect::<Vec<_>>())
    .bind(planned.iter().map(|p| p.quantity).collect::<Vec<_>>())
    .bind(planned.iter().map(|p| p.grade.as_str()).collect::<Vec<_>>())
    .bind(planned.iter().map(|p| p.disposition.as_str()).collect::<Vec<_>>())
    .bind(planned.iter().map(|p| p.suggested.as_str()).collect::<Vec<_>>())
    .bind(planned.iter().map(|p| p.override_reason.clone()).collect::<Vec<_>>())
    .bind(planned.iter().map(|p| p.destination.clone()).collect::<Vec<_>>())
    .bind(planned.iter().map(transfer_of).collect::<Vec<_>>())
    .bind(rules.version)
    .bind(planned.iter().map(|p| p.original).collect::<Vec<_>>())
    .bind(planned.iter().map(|p| p.recovery).collect::<Vec<_>>())
    .bind(requests.iter().map(|r| r.at).collect::<Vec<_>>())
    .bind(actor)
    .fetch_all(&mut *tx)
    .await
    .context("recording the decisions")?;

    let closed: Vec<i64> = sqlx::query_scalar(
        "UPDATE returns r SET status = 'closed', closed_at = x.at
         FROM (SELECT * FROM unnest($1::bigint[], $2::timestamptz[]) AS t(id, at)) x
         WHERE r.id = x.id AND r.status = 'received'
           AND NOT EXISTS (SELECT 1 FROM return_lines l
                           WHERE l.return_id = r.id AND l.disposed < l.quantity)
         RETURNING r.id",
    )
    .bind(&return_ids)
    .bind(return_ids.iter().map(|id| latest_for(requests, *id)).collect::<Vec<_>>())
    .fetch_all(&mut *tx)
    .await
    .context("closing disposed returns")?;
    tx.commit().await.context("committing the decisions")?;

    Ok(planned
        .iter()
        .zip(ids)
        .map(|(p, decision_id)| DecisionOutcome {
            decision_id,
            disposition: p.disposition,
            suggested: p.suggested,
            recovery: p.recovery,
            destination: p.destination.clone(),
            transfer_id: transfer_of(p),
            return_closed: closed.contains(&lines[p.line].return_id),
        })
        .collect())
}

fn latest_for(requests: &[DecisionRequest], return_id: i64) -> DateTime<Utc> {
    requests.iter().filter(|r| r.return_id == return_id).map(|r| r.at).max().unwrap_or_default()
}

/// Locations that may hold restocked units, with whether they ship orders.
async fn restock_sites(conn: &mut PgConnection) -> Result<HashMap<String, bool>> {
    let rows: Vec<(String, bool)> = sqlx::query_as(
        "SELECT l.code, l.ships_orders OR l.offers_pickup FROM locations l
         JOIN return_location_rules r USING (kind) WHERE r.restocks",
    )
    .fetch_all(conn)
    .await
    .context("reading where returns may be restocked")?;
    Ok(rows.into_iter().collect())
}

/// The receiving location when it may restock, else the nearest one that ships orders.
async fn default_destination(
    conn: &mut PgConnection,
    location: &str,
    sites: &HashMap<String, bool>,
) -> Result<String> {
    if sites.contains_key(location) {
        return Ok(location.to_owned());
    }
    sqlx::query_scalar(
        "SELECT d.code FROM locations h, locations d
         JOIN return_location_rules r ON r.kind = d.kind
         WHERE h.code = $1 AND r.restocks AND d.ships_orders
         ORDER BY (d.latitude - h.latitude) ^ 2
                  + ((d.longitude - h.longitude) * cos(radians(h.latitude))) ^ 2, d.code
         LIMIT 1",
    )
    .bind(location)
    .fetch_optional(conn)
    .await
    .context("finding where to restock")?
    .ok_or_else(|| {
        EngineError::InvalidInput(format!(
            "no location may hold units restocked from {location}; name a destination"
        ))
    })
}

/// One transfer per (source, destination) for restocks leaving the receiving location.
async fn restock_transfers(
    conn: &mut PgConnection,
    actor: &str,
    lines: &[LineState],
    planned: &[Planned],
    now: DateTime<Utc>,
) -> Result<BTreeMap<(String, String), i64>> {
    let mut legs: BTreeMap<(String, String), Vec<(String, i64)>> = BTreeMap::new();
    for p in planned.iter().filter(|p| p.disposition == Disposition::Restock) {
        let l = &lines[p.line];
        if let Some(d) = p.destination.as_ref().filter(|d| **d != l.location) {
            legs.entry((l.location.clone(), d.clone()))
                .or_default()
                .push((l.sku.clone(), p.quantity));
        }
    }
    let mut ids = BTreeMap::new();
    for ((source, destination), items) in legs {
        let id = open_transfer(&mut *conn, actor, &source, &destination, &items, now).await?;
        ids.insert((source, destination), id);
    }
    Ok(ids)
}

/// Records a transfer document for units leaving a return location (its movements are
/// written by the caller, out of return_pending or quarantine rather than available).
async fn open_transfer(
    conn: &mut PgConnection,
    actor: &str,
    source: &str,
    destination: &str,
    items: &[(String, i64)],
    now: DateTime<Utc>,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO transfers (source, destination, shipped_at, expected_at, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(source)
    .bind(destination)
    .bind(now)
    .bind(now + Days::new(RESTOCK_TRANSFER_DAYS))
    .bind(actor)
    .fetch_one(&mut *conn)
    .await
    .context(format!("recording a restock transfer from {source} to {destination}"))?;
    sqlx::query(
        "INSERT INTO transfer_lines (transfer_id, line_no, sku, shipped)
         SELECT $1, n::int, s, q FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY
             AS t(s, q, n)",
    )
    .bind(id)
    .bind(items.iter().map(|i| i.0.clone()).collect::<Vec<_>>())
    .bind(items.iter().map(|i| i.1).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await
    .context(format!("recording the lines of restock transfer {id}"))?;
    Ok(id)
}

/// The movements of planned decisions. Units returned to a vendor carry the supplier's
/// price, at which the vendor credits them (finance posts the difference from average
/// cost to price variance).
fn movements(
    lines: &[LineState],
    planned: &[Planned],
    transfers: &BTreeMap<(String, String), i64>,
    supplier_costs: &HashMap<String, Decimal>,
) -> Vec<(String, NewMovement)> {
    let mut out = Vec::new();
    for p in planned {
        let l = &lines[p.line];
        let key = format!(
            "return:{}:{}:dispose:{}-{}",
            l.return_id,
            l.line_no,
            p.disposed_before,
            p.disposed_before + p.quantity
        );
        let reference = format!("RMA {}/{}", l.channel, l.external_id);
        let leg = |kind, location: &str, from, to, reference: &str| NewMovement {
            kind,
            sku: l.sku.clone(),
            location: location.to_owned(),
            from,
            to,
            quantity: p.quantity,
            channel: None,
            unit_price: Some(l.unit_price),
            unit_cost: None,
            reason: Some(format!("graded {}", p.grade.as_str().replace('_', " "))),
            reference: Some(reference.to_owned()),
            event_time: p.at,
        };
        let pending = Some(StockState::ReturnPending);
        match (p.disposition, p.destination.as_deref()) {
            (Disposition::Restock, Some(d)) if d == l.location => out.push((
                key,
                leg(MovementKind::Restock, d, pending, Some(StockState::Available), &reference),
            )),
            (Disposition::Restock, Some(d)) => {
                let tr = transfers.get(&(l.location.clone(), d.to_owned())).copied();
                let tr_ref = tr.map_or(reference.clone(), |id| format!("TR-{id}"));
                out.push((
                    format!("{key}:out"),
                    leg(MovementKind::Restock, &l.location, pending, None, &tr_ref),
                ));
                out.push((
                    format!("{key}:in-transit"),
                    leg(MovementKind::Restock, d, None, Some(StockState::InTransit), &tr_ref),
                ));
            }
            (Disposition::Refurbish, _) => out.push((
                key,
                leg(
                    MovementKind::Refurbish,
                    &l.location,
                    pending,
                    Some(StockState::Quarantined),
                    &reference,
                ),
            )),
            (way, _) => {
                let kind = match way {
                    Disposition::ReturnToVendor => MovementKind::VendorReturn,
                    Disposition::Liquidate => MovementKind::Liquidation,
                    _ => MovementKind::Scrap,
                };
                let mut m = leg(kind, &l.location, pending, None, &reference);
                if kind == MovementKind::VendorReturn {
                    m.unit_cost = supplier_costs.get(&l.sku).copied();
                }
                out.push((key, m));
            }
        }
    }
    out
}

#[derive(sqlx::FromRow)]
struct Refurbishing {
    channel: String,
    external_id: String,
    location: String,
    sku: String,
    quantity: i64,
    disposition: Disposition,
    destination: Option<String>,
    refurbished_at: Option<DateTime<Utc>>,
    unit_price: Decimal,
}

/// Marks refurbished units ready: they leave quarantine and become available at the
/// decision's destination (directly, or on a transfer when that is elsewhere).
/// Returns the transfer id, if one was needed. Completing twice is refused.
pub async fn complete_refurbishment(
    pool: &PgPool,
    actor: &str,
    decision_id: i64,
    at: DateTime<Utc>,
) -> Result<Option<i64>> {
    let mut tx = pool.begin().await.context("starting refurbishment completion")?;
    let row: Option<Refurbishing> = sqlx::query_as(
        "SELECT r.channel, r.external_id, r.location, l.sku, d.quantity, d.disposition,
                d.destination, d.refurbished_at, l.unit_price
         FROM return_decisions d
         JOIN return_lines l ON l.return_id = d.return_id AND l.line_no = d.line_no
         JOIN returns r ON r.id = d.return_id
         WHERE d.id = $1 FOR UPDATE OF d",
    )
    .bind(decision_id)
    .fetch_optional(&mut *tx)
    .await
    .context(format!("reading decision {decision_id}"))?;
    let Some(Refurbishing {
        channel,
        external_id: rma,
        location,
        sku,
        quantity,
        disposition: way,
        destination,
        refurbished_at: done,
        unit_price: price,
    }) = row
    else {
        return Err(EngineError::NotFound {
            what: "return decision",
            key: decision_id.to_string(),
        });
    };
    if way != Disposition::Refurbish {
        return Err(EngineError::InvalidInput(format!(
            "decision {decision_id} sent its units to {}, not to refurbishment",
            way.as_str().replace('_', " ")
        )));
    }
    if done.is_some() {
        return Err(EngineError::InvalidInput(format!(
            "decision {decision_id}: the refurbished units were already made available"
        )));
    }
    let destination = destination.unwrap_or_else(|| location.clone());
    let transfer = if destination == location {
        None
    } else {
        let items = [(sku.clone(), quantity)];
        Some(open_transfer(&mut tx, actor, &location, &destination, &items, at).await?)
    };
    let reference = transfer.map_or(format!("RMA {channel}/{rma}"), |id| format!("TR-{id}"));
    let leg = |location: &str, from, to| NewMovement {
        kind: MovementKind::Restock,
        sku: sku.clone(),
        location: location.to_owned(),
        from,
        to,
        quantity,
        channel: None,
        unit_price: Some(price),
        unit_cost: None,
        reason: Some("refurbished".into()),
        reference: Some(reference.clone()),
        event_time: at,
    };
    let quarantined = Some(StockState::Quarantined);
    let key = format!("return-decision:{decision_id}:refurbished");
    let moves: Vec<(String, NewMovement)> = match transfer {
        None => vec![(key, leg(&location, quarantined, Some(StockState::Available)))],
        Some(_) => vec![
            (format!("{key}:out"), leg(&location, quarantined, None)),
            (format!("{key}:in-transit"), leg(&destination, None, Some(StockState::InTransit))),
        ],
    };
    let keyed: Vec<Keyed<'_>> = moves
        .iter()
        .map(|(k, m)| Keyed { movement: m, idempotency_key: k.clone(), event_id: None })
        .collect();
    insert_movements(&mut tx, actor, &keyed).await?;
    sqlx::query("UPDATE return_decisions SET refurbished_at = $2, transfer_id = $3 WHERE id = $1")
        .bind(decision_id)
        .bind(at)
        .bind(transfer)
        .execute(&mut *tx)
        .await
        .context(format!("completing refurbishment of decision {decision_id}"))?;
    tx.commit().await.context("committing refurbishment completion")?;
    Ok(transfer)
}
