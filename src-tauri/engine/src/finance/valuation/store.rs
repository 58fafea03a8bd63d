//! Writing a run's results: legs' values and running totals, pools, journal entries.

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;
use sqlx::PgConnection;

use super::{Pool, PoolRun, PoolState, Recorded, Run};
use crate::error::{Result, StorageContext};
use crate::finance::cost::pence;
use crate::finance::posting;
use crate::ledger::MovementKind;

impl Run {
    /// Writes the legs' values, the pools' new states and the journal entries.
    pub(super) async fn store(self, conn: &mut PgConnection) -> Result<()> {
        // Legs first valued or changed, and the journal each movement needs.
        let mut rows: Vec<(usize, Pool, Decimal, Decimal, PoolState, i64)> = Vec::new();
        let mut deltas: BTreeMap<usize, (Decimal, Decimal, Decimal)> = BTreeMap::new();
        for (&(i, pool), c) in &self.computed {
            if !c.changed() {
                continue;
            }
            let (old_value, old_variance) = c.stored.unwrap_or_default();
            let units = self.units(i, pool);
            rows.push((i, pool, c.value, c.variance, c.after, units));
            let d = deltas.entry(i).or_default();
            match pool {
                Pool::Stock => d.0 += c.value - old_value,
                Pool::Transit => d.1 += c.value - old_value,
            }
            d.2 += c.variance - old_variance;
        }
        if !rows.is_empty() {
            let m = |r: &(usize, Pool, Decimal, Decimal, PoolState, i64)| &self.movements[r.0];
            sqlx::query(
                "INSERT INTO movement_values (movement_id, pool, sku, location, event_time,
                     ord_key, quantity, value, variance, quantity_after, value_after,
                     unit_cost_after)
                 SELECT * FROM unnest($1::bigint[], $2::cost_pool[], $3::text[], $4::text[],
                     $5::timestamptz[], $6::text[], $7::bigint[], $8::numeric[],
                     $9::numeric[], $10::bigint[], $11::numeric[], $12::numeric[])
                 ON CONFLICT (movement_id, pool) DO UPDATE SET value = excluded.value,
                     variance = excluded.variance, quantity_after = excluded.quantity_after,
                     value_after = excluded.value_after,
                     unit_cost_after = excluded.unit_cost_after",
            )
            .bind(rows.iter().map(|r| m(r).id).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.1).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| m(r).sku.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| m(r).location.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| m(r).event_time).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| m(r).idempotency_key.clone()).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.5).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.2).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.3).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.4.quantity).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.4.value).collect::<Vec<_>>())
            .bind(rows.iter().map(|r| r.4.unit_cost).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await
            .context("recording the stock ledger's values")?;
        }
        // Stored later legs that this run walked but did not change still moved the
        // running totals after them; rewrite their running state too.
        let mut running: Vec<(i64, Pool, i64, Decimal, Decimal)> = Vec::new();
        for (&(i, pool), c) in self.computed.iter().filter(|(_, c)| !c.changed()) {
            let a = c.after;
            running.push((self.movements[i].id, pool, a.quantity, a.value, a.unit_cost));
        }
        if !running.is_empty() {
            sqlx::query(
                "UPDATE movement_values v SET quantity_after = r.q, value_after = r.v,
                     unit_cost_after = r.c
                 FROM unnest($1::bigint[], $2::cost_pool[], $3::bigint[], $4::numeric[],
                     $5::numeric[]) AS r(id, pool, q, v, c)
                 WHERE v.movement_id = r.id AND v.pool = r.pool
                   AND (v.quantity_after, v.value_after, v.unit_cost_after)
                       IS DISTINCT FROM (r.q, r.v, r.c)",
            )
            .bind(running.iter().map(|r| r.0).collect::<Vec<_>>())
            .bind(running.iter().map(|r| r.1).collect::<Vec<_>>())
            .bind(running.iter().map(|r| r.2).collect::<Vec<_>>())
            .bind(running.iter().map(|r| r.3).collect::<Vec<_>>())
            .bind(running.iter().map(|r| r.4).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await
            .context("updating the stock ledger's running totals")?;
        }

        // Pools: their state after their last leg.
        let walked: Vec<&PoolRun> = self.pools.iter().filter(|p| !p.legs.is_empty()).collect();
        if !walked.is_empty() {
            let last = |p: &PoolRun| {
                let m = &self.movements[p.legs[p.legs.len() - 1].movement];
                (m.event_time, m.idempotency_key.clone())
            };
            sqlx::query(
                "UPDATE cost_pools c SET quantity = k.q, value = k.v, unit_cost = k.c,
                     last_time = greatest(c.last_time, k.t),
                     last_key = CASE WHEN c.last_time IS NULL OR (k.t, k.k) > (c.last_time, c.last_key)
                                     THEN k.k ELSE c.last_key END
                 FROM unnest($1::text[], $2::text[], $3::cost_pool[], $4::bigint[],
                     $5::numeric[], $6::numeric[], $7::timestamptz[], $8::text[])
                     AS k(s, l, p, q, v, c, t, k)
                 WHERE c.sku = k.s AND c.location = k.l AND c.pool = k.p",
            )
            .bind(walked.iter().map(|p| p.key.0.clone()).collect::<Vec<_>>())
            .bind(walked.iter().map(|p| p.key.1.clone()).collect::<Vec<_>>())
            .bind(walked.iter().map(|p| p.key.2).collect::<Vec<_>>())
            .bind(walked.iter().map(|p| p.state.quantity).collect::<Vec<_>>())
            .bind(walked.iter().map(|p| p.state.value).collect::<Vec<_>>())
            .bind(walked.iter().map(|p| p.state.unit_cost).collect::<Vec<_>>())
            .bind(walked.iter().map(|p| last(p).0).collect::<Vec<_>>())
            .bind(walked.iter().map(|p| last(p).1).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await
            .context("updating cost pools")?;
        }

        let locations: Vec<String> =
            deltas.keys().map(|&i| self.movements[i].location.clone()).collect();
        let kinds: HashMap<String, String> =
            sqlx::query_as("SELECT code, kind::text FROM locations WHERE code = ANY($1)")
                .bind(&locations)
                .fetch_all(&mut *conn)
                .await
                .context("reading location kinds")?
                .into_iter()
                .collect();
        // Goods in transit are held at the destination: a transfer's outbound leg posts
        // its transit line there (where its in-transit leg puts the units).
        let partners: Vec<String> = deltas
            .keys()
            .filter_map(|&i| {
                let key = &self.movements[i].idempotency_key;
                key.strip_suffix(":out").map(|k| format!("{k}:in-transit"))
            })
            .collect();
        let destinations: HashMap<String, String> = sqlx::query_as(
            "SELECT idempotency_key, location FROM movements WHERE idempotency_key = ANY($1)",
        )
        .bind(&partners)
        .fetch_all(&mut *conn)
        .await
        .context("reading transfer destinations")?
        .into_iter()
        .collect();
        let mut entries: Vec<(usize, Vec<Line>)> = Vec::new();
        for (&i, &(stock, transit, variance)) in &deltas {
            let m = &self.movements[i];
            let kind = kinds.get(&m.location).map_or("", String::as_str);
            let destination = m
                .idempotency_key
                .strip_suffix(":out")
                .and_then(|k| destinations.get(&format!("{k}:in-transit")));
            // A supplier return is credited at the receipt price, once; revaluations of
            // it only move the variance.
            let counter = match (m.kind, m.unit_cost) {
                (MovementKind::VendorReturn, Some(cost)) if self.fresh.contains(&m.id) => {
                    Some(pence(cost * Decimal::from(m.quantity)))
                }
                (MovementKind::VendorReturn, Some(_)) => Some(Decimal::ZERO),
                _ => None,
            };
            let lines: Vec<Line> =
                posting::lines(m.kind, kind, (stock, transit, variance), counter)
                    .into_iter()
                    .map(|(account, amount)| {
                        let at = match destination {
                            Some(d) if account == posting::GOODS_IN_TRANSIT => d.clone(),
                            _ => m.location.clone(),
                        };
                        (account, at, amount)
                    })
                    .collect();
            if !lines.is_empty() {
                entries.push((i, lines));
            }
        }
        post(conn, &self.movements, &self.fresh, &entries).await
    }
}

/// A journal line to write: account, location, signed amount (debit +).
type Line = (&'static str, String, Decimal);

/// Writes one journal entry per movement: a posting when it is valued the first time, a
/// correction for a later change.
async fn post(
    conn: &mut PgConnection,
    movements: &[Recorded],
    fresh: &HashSet<i64>,
    entries: &[(usize, Vec<Line>)],
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT nextval('journal_entries_id_seq') FROM generate_series(1, $1)")
            .bind(entries.len() as i64)
            .fetch_all(&mut *conn)
            .await
            .context("numbering journal entries")?;
    let m = |e: &(usize, Vec<Line>)| &movements[e.0];
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| if fresh.contains(&m(e).id) { "posting" } else { "correction" })
        .collect();
    let memos: Vec<String> = entries
        .iter()
        .map(|e| {
            let mv = m(e);
            format!("{} {} x{} at {}", mv.kind.as_str(), mv.sku, mv.quantity, mv.location)
        })
        .collect();
    sqlx::query(
        "WITH e AS (
             SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::timestamptz[],
                 $5::text[]) AS t(id, movement_id, kind, event_time, memo)),
         p AS (
             SELECT e.*, date_trunc('month', e.event_time AT TIME ZONE f.time_zone)::date AS period
             FROM e, finance_settings f),
         opened AS (
             INSERT INTO periods (month) SELECT DISTINCT period FROM p
             ON CONFLICT DO NOTHING)
         INSERT INTO journal_entries (id, movement_id, kind, event_time, period, memo)
         SELECT id, movement_id, kind, event_time, period, memo FROM p",
    )
    .bind(&ids)
    .bind(entries.iter().map(|e| m(e).id).collect::<Vec<_>>())
    .bind(&kinds)
    .bind(entries.iter().map(|e| m(e).event_time).collect::<Vec<_>>())
    .bind(&memos)
    .execute(&mut *conn)
    .await
    .context("posting journal entries")?;

    let mut entry_ids = Vec::new();
    let mut line_nos = Vec::new();
    let mut accounts = Vec::new();
    let mut skus = Vec::new();
    let mut locations = Vec::new();
    let mut debits = Vec::new();
    let mut credits = Vec::new();
    for (e, id) in entries.iter().zip(&ids) {
        for (n, (account, location, amount)) in e.1.iter().enumerate() {
            entry_ids.push(*id);
            line_nos.push(n as i32 + 1);
            accounts.push(*account);
            skus.push(m(e).sku.clone());
            locations.push(location.clone());
            debits.push((*amount).max(Decimal::ZERO));
            credits.push((-*amount).max(Decimal::ZERO));
        }
    }
    sqlx::query(
        "INSERT INTO journal_lines (entry_id, line_no, account, sku, location, debit, credit)
         SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[],
             $6::numeric[], $7::numeric[])",
    )
    .bind(&entry_ids)
    .bind(&line_nos)
    .bind(&accounts)
    .bind(&skus)
    .bind(&locations)
    .bind(&debits)
    .bind(&credits)
    .execute(&mut *conn)
    .await
    .context("posting journal lines")?;
    Ok(())
}
