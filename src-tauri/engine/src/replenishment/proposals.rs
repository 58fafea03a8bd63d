//! The planner's side of proposals: list and filter them, approve (as proposed or with
//! an edited quantity) or reject them, singly or in bulk. Approval records who and when;
//! approved purchases become purchase orders (one per supplier and DC), approved
//! transfers and rebalances become shipped transfers (one per source and destination).
//!
//! A bulk approval is tried in one transaction; if anything in it is refused (a source
//! no longer has the units), each proposal is tried on its own, so one bad proposal never
//! blocks the others and none is half-approved.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{PgConnection, PgPool};

use super::policy::Urgency;
use crate::error::{EngineError, Result, StorageContext};
use crate::ledger::line_units_problem;
use crate::purchasing::{self, NewLine};
use crate::transfers::{self, TransferLineRequest};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "proposal_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    /// Buy from the supplier into a DC.
    Purchase,
    /// Ship from the DC that serves the store.
    Transfer,
    /// Ship from a store with surplus to a store short of stock.
    Rebalance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, sqlx::Type)]
#[sqlx(type_name = "proposal_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Proposed,
    Approved,
    Rejected,
    /// Replaced by a later planning run before anyone decided.
    Superseded,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, sqlx::FromRow)]
pub struct Proposal {
    pub id: i64,
    pub plan_run: i64,
    pub kind: ProposalKind,
    pub sku: String,
    pub description: String,
    pub location: String,
    pub source_location: Option<String>,
    pub supplier: Option<String>,
    pub quantity: i64,
    pub urgency: Urgency,
    pub daily_demand: f64,
    pub inventory_position: i64,
    pub safety_stock: i64,
    pub reorder_point: i64,
    pub order_up_to: i64,
    pub explanation: String,
    pub status: ProposalStatus,
    pub approved_quantity: Option<i64>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub purchase_order_id: Option<i64>,
    pub transfer_id: Option<i64>,
}

/// Which proposals to list; every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
pub struct ProposalFilter {
    pub status: Option<ProposalStatus>,
    pub kind: Option<ProposalKind>,
    pub urgency: Option<Urgency>,
    pub location: Option<String>,
    pub supplier: Option<String>,
    /// SKU prefix.
    pub sku: Option<String>,
    pub limit: Option<i64>,
}

pub async fn list(pool: &PgPool, filter: &ProposalFilter) -> Result<Vec<Proposal>> {
    sqlx::query_as::<_, Proposal>(
        "SELECT p.id, p.plan_run, p.kind, p.sku, coalesce(pr.description, '') AS description,
             p.location, p.source_location, p.supplier, p.quantity, p.urgency, p.daily_demand,
             p.inventory_position, p.safety_stock, p.reorder_point, p.order_up_to,
             p.explanation, p.status, p.approved_quantity, p.decided_by, p.decided_at,
             p.decision_note, p.purchase_order_id, p.transfer_id
         FROM proposals p LEFT JOIN products pr ON pr.sku = p.sku
         WHERE p.status = coalesce($1, 'proposed'::proposal_status)
           AND ($2::proposal_kind IS NULL OR p.kind = $2)
           AND ($3::proposal_urgency IS NULL OR p.urgency = $3)
           AND ($4::text IS NULL OR p.location = $4 OR p.source_location = $4)
           AND ($5::text IS NULL OR p.supplier = $5)
           AND ($6::text IS NULL OR p.sku LIKE $6 || '%')
         ORDER BY p.urgency, p.inventory_position::float8 / nullif(p.daily_demand, 0)
             NULLS LAST, p.daily_demand DESC, p.id
         LIMIT $7",
    )
    .bind(filter.status)
    .bind(filter.kind)
    .bind(filter.urgency)
    .bind(&filter.location)
    .bind(&filter.supplier)
    .bind(&filter.sku)
    .bind(filter.limit.unwrap_or(5_000).clamp(1, 50_000))
    .fetch_all(pool)
    .await
    .context("listing proposals")
}

/// Approve one proposal, optionally with another quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Approval {
    pub id: i64,
    #[serde(default)]
    pub quantity: Option<i64>,
}

/// What became of a bulk decision.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
pub struct DecisionSummary {
    pub decided: Vec<i64>,
    /// Proposals left as they were, each with the reason.
    pub failed: Vec<DecisionFailure>,
    pub purchase_orders: Vec<i64>,
    pub transfers: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct DecisionFailure {
    pub id: i64,
    pub reason: String,
}

#[derive(sqlx::FromRow)]
struct Locked {
    id: i64,
    kind: ProposalKind,
    sku: String,
    location: String,
    source_location: Option<String>,
    supplier: Option<String>,
    quantity: i64,
    status: ProposalStatus,
    unit_cost: Option<Decimal>,
    min_order_qty: Option<i64>,
    pack_size: Option<i64>,
    transfer_lead_days: Option<i32>,
}

/// Why an approved quantity cannot stand, if it cannot: it must be a valid line
/// ([`line_units_problem`]); a purchase must also meet the supplier's minimum order in
/// whole cases.
pub fn quantity_problem(
    kind: ProposalKind,
    quantity: i64,
    min_order: i64,
    pack: i64,
) -> Option<String> {
    if let Some(problem) = line_units_problem(quantity) {
        return Some(format!("quantity {problem}"));
    }
    if kind == ProposalKind::Purchase {
        if quantity < min_order {
            return Some(format!(
                "{quantity} is below the supplier's minimum order of {min_order}"
            ));
        }
        if pack > 1 && quantity % pack != 0 {
            return Some(format!("{quantity} is not a whole number of cases of {pack}"));
        }
    }
    None
}

#[tracing::instrument(skip(pool, approvals), fields(count = approvals.len()))]
pub async fn approve(
    pool: &PgPool,
    actor: &str,
    approvals: &[Approval],
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<DecisionSummary> {
    match approve_together(pool, actor, approvals, note, now).await {
        Ok(summary) => Ok(summary),
        Err(err) if approvals.len() > 1 => {
            tracing::warn!(error = %err, "bulk approval refused; approving one by one");
            let mut summary = DecisionSummary::default();
            for approval in approvals {
                match approve_together(pool, actor, std::slice::from_ref(approval), note, now).await
                {
                    Ok(one) => summary.merge(one),
                    Err(err) => summary
                        .failed
                        .push(DecisionFailure { id: approval.id, reason: err.user_message() }),
                }
            }
            Ok(summary)
        }
        Err(err) => Ok(DecisionSummary {
            failed: vec![DecisionFailure { id: approvals[0].id, reason: err.user_message() }],
            ..DecisionSummary::default()
        }),
    }
}

impl DecisionSummary {
    fn merge(&mut self, other: DecisionSummary) {
        self.decided.extend(other.decided);
        self.failed.extend(other.failed);
        self.purchase_orders.extend(other.purchase_orders);
        self.transfers.extend(other.transfers);
    }
}

async fn approve_together(
    pool: &PgPool,
    actor: &str,
    approvals: &[Approval],
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<DecisionSummary> {
    let mut tx = pool.begin().await.context("starting an approval")?;
    let ids: Vec<i64> = approvals.iter().map(|a| a.id).collect();
    let locked = lock(&mut tx, &ids).await?;
    let mut summary = DecisionSummary::default();

    // Decide what each proposal becomes, grouped into documents.
    let mut purchases: BTreeMap<(String, String), Vec<(i64, NewLine)>> = BTreeMap::new();
    let mut shipments: BTreeMap<(String, String), (u32, Vec<TransferLineRequest>)> =
        BTreeMap::new();
    let mut quantities = Vec::new();
    for approval in approvals {
        let Some(p) = locked.iter().find(|p| p.id == approval.id) else {
            summary.failed.push(DecisionFailure {
                id: approval.id,
                reason: format!("proposal {} does not exist", approval.id),
            });
            continue;
        };
        if p.status != ProposalStatus::Proposed {
            summary.failed.push(DecisionFailure {
                id: p.id,
                reason: format!("proposal {} is already {:?}", p.id, p.status).to_lowercase(),
            });
            continue;
        }
        let quantity = approval.quantity.unwrap_or(p.quantity);
        let (moq, pack) = (p.min_order_qty.unwrap_or(1), p.pack_size.unwrap_or(1));
        if let Some(problem) = quantity_problem(p.kind, quantity, moq, pack) {
            summary.failed.push(DecisionFailure {
                id: p.id,
                reason: format!("proposal {}: {problem}", p.id),
            });
            continue;
        }
        if quantities.iter().any(|(id, _)| *id == p.id) {
            summary.failed.push(DecisionFailure {
                id: p.id,
                reason: format!("proposal {} is listed twice; approve it once", p.id),
            });
            continue;
        }
        quantities.push((p.id, quantity));
        match (p.kind, &p.supplier, &p.source_location) {
            (ProposalKind::Purchase, Some(supplier), _) => {
                let line = NewLine {
                    sku: p.sku.clone(),
                    quantity,
                    unit_cost: p.unit_cost.unwrap_or_default(),
                    proposal_id: Some(p.id),
                };
                purchases
                    .entry((supplier.clone(), p.location.clone()))
                    .or_default()
                    .push((p.id, line));
            }
            (_, _, Some(source)) => {
                let lead = u32::try_from(p.transfer_lead_days.unwrap_or(2)).unwrap_or(2);
                let entry = shipments
                    .entry((source.clone(), p.location.clone()))
                    .or_insert((lead, Vec::new()));
                entry.1.push(TransferLineRequest {
                    sku: p.sku.clone(),
                    quantity,
                    proposal_id: Some(p.id),
                });
            }
            _ => return Err(EngineError::Internal(format!("proposal {} is malformed", p.id))),
        }
    }

    for ((supplier, location), lines) in &purchases {
        let new_lines: Vec<NewLine> = lines.iter().map(|(_, l)| l.clone()).collect();
        let po = purchasing::raise(&mut tx, actor, supplier, location, &new_lines, now).await?;
        link(&mut tx, lines.iter().map(|(id, _)| *id), "purchase_order_id", po).await?;
        summary.purchase_orders.push(po);
    }
    for ((source, destination), (lead, lines)) in &shipments {
        let id = transfers::ship(&mut tx, actor, source, destination, lines, *lead, now).await?;
        link(&mut tx, lines.iter().filter_map(|l| l.proposal_id), "transfer_id", id).await?;
        summary.transfers.push(id);
    }
    mark_approved(&mut tx, &quantities, actor, note, now).await?;
    tx.commit().await.context("committing the approval")?;
    summary.decided = quantities.iter().map(|(id, _)| *id).collect();
    tracing::info!(approved = summary.decided.len(), failed = summary.failed.len(), "approved");
    Ok(summary)
}

async fn lock(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<Locked>> {
    sqlx::query_as::<_, Locked>(
        "SELECT p.id, p.kind, p.sku, p.location, p.source_location, p.supplier, p.quantity,
             p.status, si.unit_cost, si.min_order_qty, si.pack_size, rs.transfer_lead_days
         FROM proposals p
         LEFT JOIN supplier_items si ON si.sku = p.sku
         LEFT JOIN replenishment_sources rs ON rs.location = p.location
         WHERE p.id = ANY($1) ORDER BY p.id FOR UPDATE OF p",
    )
    .bind(ids)
    .fetch_all(conn)
    .await
    .context("locking the proposals to decide")
}

async fn link(
    conn: &mut PgConnection,
    ids: impl Iterator<Item = i64>,
    column: &str,
    document: i64,
) -> Result<()> {
    let ids: Vec<i64> = ids.collect();
    sqlx::query(&format!("UPDATE proposals SET {column} = $2 WHERE id = ANY($1)"))
        .bind(&ids)
        .bind(document)
        .execute(conn)
        .await
        .context("linking proposals to their documents")?;
    Ok(())
}

async fn mark_approved(
    conn: &mut PgConnection,
    quantities: &[(i64, i64)],
    actor: &str,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let ids: Vec<i64> = quantities.iter().map(|q| q.0).collect();
    let qtys: Vec<i64> = quantities.iter().map(|q| q.1).collect();
    sqlx::query(
        "UPDATE proposals p SET status = 'approved', approved_quantity = a.q,
             decided_by = $3, decided_at = $4, decision_note = $5
         FROM unnest($1::bigint[], $2::bigint[]) AS a(id, q) WHERE p.id = a.id",
    )
    .bind(&ids)
    .bind(&qtys)
    .bind(actor)
    .bind(now)
    .bind(note)
    .execute(conn)
    .await
    .context("recording the approvals")?;
    Ok(())
}

/// Rejects open proposals with a reason; proposals already decided are reported back.
pub async fn reject(
    pool: &PgPool,
    actor: &str,
    ids: &[i64],
    reason: &str,
    now: DateTime<Utc>,
) -> Result<DecisionSummary> {
    if reason.trim().is_empty() {
        return Err(EngineError::InvalidInput("a rejection needs a reason".into()));
    }
    let decided: Vec<i64> = sqlx::query_scalar(
        "UPDATE proposals SET status = 'rejected', decided_by = $2, decided_at = $3,
             decision_note = $4
         WHERE id = ANY($1) AND status = 'proposed' RETURNING id",
    )
    .bind(ids)
    .bind(actor)
    .bind(now)
    .bind(reason)
    .fetch_all(pool)
    .await
    .context("rejecting proposals")?;
    let failed = ids
        .iter()
        .filter(|id| !decided.contains(id))
        .map(|&id| DecisionFailure {
            id,
            reason: format!("proposal {id} is not open (already decided, superseded or unknown)"),
        })
        .collect();
    Ok(DecisionSummary { decided, failed, ..DecisionSummary::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_purchase_must_meet_the_minimum_order_in_whole_cases() {
        let purchase = ProposalKind::Purchase;
        assert_eq!(quantity_problem(purchase, 48, 48, 24), None);
        let below = quantity_problem(purchase, 24, 48, 24).expect("below the minimum");
        assert!(below.contains("minimum order of 48"), "{below}");
        let odd = quantity_problem(purchase, 50, 48, 24).expect("not whole cases");
        assert!(odd.contains("whole number of cases of 24"), "{odd}");
    }

    #[test]
    fn no_line_may_carry_an_absurd_or_empty_quantity() {
        for kind in [ProposalKind::Purchase, ProposalKind::Transfer, ProposalKind::Rebalance] {
            assert!(quantity_problem(kind, 0, 1, 1).is_some());
            assert!(quantity_problem(kind, -5, 1, 1).is_some());
            assert!(quantity_problem(kind, i64::MAX, 1, 1).is_some());
            assert_eq!(quantity_problem(kind, crate::ledger::MAX_LINE_UNITS, 1, 1), None);
        }
        assert_eq!(quantity_problem(ProposalKind::Transfer, 7, 48, 24), None, "stores take units");
    }
}
