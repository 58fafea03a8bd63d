//! Walking pools in canonical order: valuing each leg, following dependencies between
//! legs, and reopening the pools a changed value reaches.

use rust_decimal::Decimal;
use sqlx::PgConnection;

use super::{partner_key, Computed, Leg, Pool, Position, Run};
use crate::error::{Result, StorageContext};
use crate::finance::cost::pence;
use crate::ledger::StockState;

impl Run {
    /// Walks every open pool's legs in canonical order, valuing each; then opens the
    /// pools that changed values reach, and walks again, until nothing changes.
    pub(super) async fn walk(&mut self, conn: &mut PgConnection) -> Result<()> {
        self.load_stored(conn).await?;
        loop {
            // Pools walk one after another; a leg that takes its value from another
            // pool's leg walks that pool up to it first (see `provider`).
            for p in 0..self.pools.len() {
                while self.pools[p].next < self.pools[p].legs.len() {
                    self.advance(p);
                }
            }
            let cascades = std::mem::take(&mut self.cascades);
            if cascades.is_empty() {
                return Ok(());
            }
            for (key, at) in cascades {
                self.open_cascade(conn, &key, &at).await?;
            }
            // The reopened pools' legs need what new legs needed: partners, sale costs.
            self.preload(conn).await?;
            self.load_stored(conn).await?;
        }
    }

    /// Stored values of every leg of the movements in the run (their other pools may not
    /// be open), so dependent legs can read them.
    async fn load_stored(&mut self, conn: &mut PgConnection) -> Result<()> {
        let ids: Vec<i64> = self.movements.iter().map(|m| m.id).collect();
        let rows: Vec<(i64, Pool, Decimal, Decimal)> = sqlx::query_as(
            "SELECT movement_id, pool, value, variance FROM movement_values
             WHERE movement_id = ANY($1)",
        )
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await
        .context("reading stored leg values")?;
        for (id, pool, value, variance) in rows {
            self.values.entry((id, pool)).or_insert((value, variance));
        }
        Ok(())
    }

    /// Opens the pool reached by a changed leg (the movement with `key`) from `at`.
    async fn open_cascade(
        &mut self,
        conn: &mut PgConnection,
        key: &str,
        at: &Position,
    ) -> Result<()> {
        let found: Option<(String, String, Option<StockState>)> = sqlx::query_as(
            "SELECT sku, location, to_state FROM movements WHERE idempotency_key = $1",
        )
        .bind(key)
        .fetch_optional(&mut *conn)
        .await
        .context("finding the leg a revaluation reaches")?;
        let Some((sku, location, Some(to))) = found else { return Ok(()) };
        let Some(pool) = Pool::of(to) else { return Ok(()) };
        let pool_key = (sku, location, pool);
        if let Some(&p) = self.pool_index.get(&pool_key) {
            return self.reopen(conn, p, at).await;
        }
        let p = self.replay_pool(conn, pool_key, at).await?;
        let legs = self.pools[p].legs.clone();
        for leg in legs {
            self.values.remove(&(self.movements[leg.movement].id, leg.pool));
        }
        Ok(())
    }

    /// Walks pool `p` again from `at`: from a leg it already holds, or, when `at` is
    /// before what it loaded, with the stored legs from `at` added.
    async fn reopen(&mut self, conn: &mut PgConnection, p: usize, at: &Position) -> Result<()> {
        let loaded_from_before = self.pools[p].from.as_ref().is_some_and(|f| f <= at);
        if loaded_from_before {
            let k = self.pools[p]
                .legs
                .iter()
                .position(|l| self.position(l.movement) >= *at)
                .unwrap_or(self.pools[p].legs.len());
            // Already walked past `at`: step back to the leg at `at`.
            if k < self.pools[p].next {
                let state = match k {
                    0 => self.pools[p].initial,
                    _ => {
                        let before = &self.pools[p].legs[k - 1];
                        self.computed
                            .get(&(before.movement, before.pool))
                            .map_or(self.pools[p].initial, |c| c.after)
                    }
                };
                self.pools[p].next = k;
                self.pools[p].state = state;
            }
            return Ok(());
        }
        // Load the stored legs from `at` and keep the run's new ones.
        let key = self.pools[p].key.clone();
        let fresh: Vec<Leg> =
            self.pools[p].legs.iter().filter(|l| l.stored.is_none()).cloned().collect();
        self.pool_index.remove(&key);
        let q = self.replay_pool(conn, key.clone(), at).await?;
        // replay_pool appended a new run; move it into slot p.
        let mut reloaded = self.pools.swap_remove(q);
        for leg in fresh {
            if !reloaded.legs.iter().any(|l| l.movement == leg.movement) {
                reloaded.legs.push(leg);
            }
        }
        let movements = &self.movements;
        reloaded.legs.sort_by(|a, b| {
            let (ma, mb) = (&movements[a.movement], &movements[b.movement]);
            (ma.event_time, &ma.idempotency_key).cmp(&(mb.event_time, &mb.idempotency_key))
        });
        self.pools[p] = reloaded;
        self.pool_index.insert(key, p);
        Ok(())
    }

    /// Values the next leg of pool `p`.
    fn advance(&mut self, p: usize) {
        let leg = self.pools[p].legs[self.pools[p].next].clone();
        let value = self.leg_value(p, &leg);
        let mut state = self.pools[p].state;
        state.apply(leg.units, value);
        let variance = state.residue();
        state.value -= variance;
        let pool_value = value - variance;
        let id = self.movements[leg.movement].id;
        let found = Computed { value: pool_value, variance, after: state, stored: leg.stored };
        let prior = self.computed.insert((leg.movement, leg.pool), found);
        let prior = prior.map(|c| (c.value, c.variance)).or(leg.stored);
        self.values.insert((id, leg.pool), (pool_value, variance));
        self.pools[p].state = state;
        self.pools[p].next += 1;
        if prior.is_some_and(|s| s != (pool_value, variance)) {
            self.reach_dependents(leg.movement, leg.pool);
        }
    }

    /// A leg's value changed: the legs that take their value from it must be revalued.
    fn reach_dependents(&mut self, i: usize, pool: Pool) {
        let m = &self.movements[i];
        let at = (m.event_time, m.idempotency_key.clone());
        let dependent = match (pool, m.to_state.and_then(Pool::of)) {
            // Out of stock onto a transfer: its in-transit leg at the destination.
            (Pool::Stock, None) => {
                m.idempotency_key.strip_suffix(":out").map(|k| format!("{k}:in-transit"))
            }
            // Out of transit into stock (a transfer received): the same movement.
            (Pool::Transit, Some(Pool::Stock)) => Some(m.idempotency_key.clone()),
            _ => None,
        };
        if let Some(key) = dependent {
            // Nothing to do when the dependent leg is still ahead in an open pool: it
            // will read the new value when its pool walks to it.
            let pending = self.by_key.get(&key).is_some_and(|&j| self.pending(j));
            if !pending {
                // From the dependent leg's own position (same time, its own key).
                let at = (at.0, key.clone());
                self.cascades.push((key, at));
            }
        }
    }

    /// Whether movement `j`'s leg into its `to` pool is open and not yet walked.
    fn pending(&self, j: usize) -> bool {
        let d = &self.movements[j];
        let Some(t) = d.to_state.and_then(Pool::of) else { return false };
        let Some(&p) = self.pool_index.get(&(d.sku.clone(), d.location.clone(), t)) else {
            return false;
        };
        self.pools[p].legs[self.pools[p].next..].iter().any(|l| l.movement == j)
    }

    /// The value of a leg (signed: positive in, negative out).
    fn leg_value(&mut self, p: usize, leg: &Leg) -> Decimal {
        let m = self.movements[leg.movement].clone();
        if leg.units < 0 {
            return -self.pools[p].state.out_value(-leg.units);
        }
        let units = Decimal::from(leg.units);
        if let Some(out) = m.pools().0 {
            if let Some((v, _)) = self.provider(leg.movement, out) {
                return -v;
            }
        }
        if leg.pool == Pool::Transit {
            if let Some(partner) = partner_key(&m.idempotency_key) {
                let in_run = self.by_key.get(&partner).copied();
                let v = match in_run {
                    Some(j) => self.provider(j, Pool::Stock).map(|(v, _)| v),
                    None => self.partner_values.get(&partner).copied(),
                };
                if let Some(v) = v {
                    return -v;
                }
            }
        }
        if let Some(c) = m.unit_cost {
            return pence(c * units);
        }
        if let Some(c) = self.sale_costs.get(&m.id) {
            return pence(*c * units);
        }
        let held = self.pools[p].state.unit_cost;
        let cost = if held > Decimal::ZERO {
            held
        } else {
            self.reference_costs.get(&m.sku).copied().unwrap_or_default()
        };
        pence(cost * units)
    }

    /// The value of movement `i`'s leg in `pool`: computed in this run (walking its pool
    /// up to it if need be), or as stored.
    fn provider(&mut self, i: usize, pool: Pool) -> Option<(Decimal, Decimal)> {
        let m = &self.movements[i];
        let key = (m.sku.clone(), m.location.clone(), pool);
        if let Some(&p) = self.pool_index.get(&key) {
            let pending = self.pools[p].legs[self.pools[p].next..].iter().any(|l| l.movement == i);
            if pending {
                while !self.computed.contains_key(&(i, pool)) {
                    self.advance(p);
                }
            }
        }
        if let Some(c) = self.computed.get(&(i, pool)) {
            return Some((c.value, c.variance));
        }
        self.values.get(&(self.movements[i].id, pool)).copied()
    }
}
