//! Valuing movements as they are recorded, in the same transaction.
//!
//! Each movement becomes legs into or out of cost pools (see the finance migration).
//! A leg's value comes from, in order: the other leg of the same movement (out of
//! transit into stock), the leg it pairs with (a transfer's `:out` leg for its
//! `:in-transit` leg), the movement's unit cost, the original sale (a linked customer
//! return), or the pool's moving-average cost (the supplier's cost for a pool that never
//! held the SKU). Legs out of a pool take their share of its value.
//!
//! Pools are walked in canonical order, (event_time, idempotency key). New legs after a
//! pool's last valued leg are simply appended; a backdated leg replays the pool from its
//! position, and any leg whose value changes carries the change on to the legs that
//! depend on it (the paired transit leg, the stock leg of a transfer receipt), so only
//! the pools and positions a backdated movement reaches are revalued. Every first value
//! posts a journal entry; every change posts a correcting entry for the difference.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use super::cost::{pence, PoolState};
use super::posting;
use crate::error::{Result, StorageContext};
use crate::ledger::{MovementKind, StockState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, sqlx::Type)]
#[sqlx(type_name = "cost_pool", rename_all = "snake_case")]
pub enum Pool {
    Stock,
    Transit,
}

impl Pool {
    pub fn of(state: StockState) -> Option<Pool> {
        match state {
            StockState::Available
            | StockState::Reserved
            | StockState::Quarantined
            | StockState::ReturnPending => Some(Pool::Stock),
            StockState::InTransit => Some(Pool::Transit),
            StockState::Damaged | StockState::Inbound => None,
        }
    }
}

/// A recorded movement, as valuation needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Recorded {
    pub id: i64,
    pub idempotency_key: String,
    pub kind: MovementKind,
    pub sku: String,
    pub location: String,
    pub from_state: Option<StockState>,
    pub to_state: Option<StockState>,
    pub quantity: i64,
    pub unit_cost: Option<Decimal>,
    pub event_time: DateTime<Utc>,
}

impl Recorded {
    /// The pools this movement moves value into or out of: (out, in).
    fn pools(&self) -> (Option<Pool>, Option<Pool>) {
        let from = self.from_state.and_then(Pool::of);
        let to = self.to_state.and_then(Pool::of);
        if from.is_some() && from == to {
            (None, None)
        } else {
            (from, to)
        }
    }

    pub fn is_valued(&self) -> bool {
        self.pools() != (None, None)
    }
}

type PoolKey = (String, String, Pool);
/// Canonical position of a leg in its pool.
type Position = (DateTime<Utc>, String);

#[derive(Debug, Clone)]
struct Leg {
    movement: usize,
    pool: Pool,
    units: i64,
    /// The value stored for this leg before this run, if it was valued before.
    stored: Option<(Decimal, Decimal)>,
}

#[derive(Debug, Clone, Copy)]
struct Computed {
    value: Decimal,
    variance: Decimal,
    after: PoolState,
    /// (value, variance) stored before this run, for legs valued before.
    stored: Option<(Decimal, Decimal)>,
}

impl Computed {
    fn changed(&self) -> bool {
        self.stored != Some((self.value, self.variance))
    }
}

struct PoolRun {
    key: PoolKey,
    state: PoolState,
    legs: Vec<Leg>,
    next: usize,
    /// The state before `legs[0]`, and from which position stored legs were loaded
    /// (None: the pool continues from its current state, after its last stored leg).
    initial: PoolState,
    from: Option<Position>,
}

/// Everything one valuation run touches.
struct Run {
    movements: Vec<Recorded>,
    by_id: HashMap<i64, usize>,
    pools: Vec<PoolRun>,
    pool_index: HashMap<PoolKey, usize>,
    /// Values of legs computed in this run or read from storage: (movement, pool).
    values: HashMap<(i64, Pool), (Decimal, Decimal)>,
    /// Legs computed in this run: (movement index, pool) -> what was found.
    computed: BTreeMap<(usize, Pool), Computed>,
    /// Costs of linked returns' original sales, per return movement id.
    sale_costs: HashMap<i64, Decimal>,
    /// Supplier cost per SKU, for pools that never held it.
    reference_costs: HashMap<String, Decimal>,
    /// Stored values of `:out` legs whose movements are not in this run, by key.
    partner_values: HashMap<String, Decimal>,
    /// Movement index by idempotency key.
    by_key: HashMap<String, usize>,
    /// Pools to open after this walk, from a position, because a leg they depend on
    /// changed value.
    cascades: Vec<(String, Position)>,
    /// Movement ids first valued in this run.
    fresh: HashSet<i64>,
}

/// Values newly recorded movements and posts their journal entries. Called by
/// `ledger::insert_movements` inside the caller's transaction.
pub(crate) async fn value_new(conn: &mut PgConnection, recorded: Vec<Recorded>) -> Result<()> {
    let recorded: Vec<Recorded> = recorded.into_iter().filter(Recorded::is_valued).collect();
    if recorded.is_empty() {
        return Ok(());
    }
    let mut run = Run::new();
    let fresh: Vec<usize> = recorded.into_iter().map(|m| run.add_movement(m)).collect();
    run.fresh = fresh.iter().map(|&i| run.movements[i].id).collect();

    // Lock the pools in key order and read where each one stands.
    let mut keys: Vec<PoolKey> = Vec::new();
    for &i in &fresh {
        let m = &run.movements[i];
        let (out, into) = m.pools();
        for p in [out, into].into_iter().flatten() {
            keys.push((m.sku.clone(), m.location.clone(), p));
        }
    }
    keys.sort();
    keys.dedup();
    let current = lock_pools(conn, &keys).await?;
    for key in &keys {
        let (state, last) = current.get(key).cloned().unwrap_or_default();
        let first_new = fresh
            .iter()
            .filter(|&&i| run.touches(i, key))
            .map(|&i| run.position(i))
            .min()
            .unwrap_or_else(|| (DateTime::<Utc>::MIN_UTC, String::new()));
        match last {
            // Appending after the last valued leg: start from the pool as it stands.
            Some(last) if first_new > last => run.open_pool(key.clone(), state),
            // Before the pool's history: replay it from the first new leg.
            Some(_) => run.replay_pool(conn, key.clone(), &first_new).await?,
            None => run.open_pool(key.clone(), state),
        };
    }
    for &i in &fresh {
        run.schedule(i);
    }
    run.preload(conn).await?;
    run.walk(conn).await?;
    run.store(conn).await
}

impl Run {
    fn new() -> Self {
        Run {
            movements: Vec::new(),
            by_id: HashMap::new(),
            pools: Vec::new(),
            pool_index: HashMap::new(),
            values: HashMap::new(),
            computed: BTreeMap::new(),
            sale_costs: HashMap::new(),
            reference_costs: HashMap::new(),
            partner_values: HashMap::new(),
            by_key: HashMap::new(),
            cascades: Vec::new(),
            fresh: HashSet::new(),
        }
    }

    fn add_movement(&mut self, m: Recorded) -> usize {
        if let Some(&i) = self.by_id.get(&m.id) {
            return i;
        }
        self.by_id.insert(m.id, self.movements.len());
        self.by_key.insert(m.idempotency_key.clone(), self.movements.len());
        self.movements.push(m);
        self.movements.len() - 1
    }

    fn position(&self, i: usize) -> Position {
        let m = &self.movements[i];
        (m.event_time, m.idempotency_key.clone())
    }

    fn touches(&self, i: usize, key: &PoolKey) -> bool {
        let m = &self.movements[i];
        let (out, into) = m.pools();
        m.sku == key.0 && m.location == key.1 && (out == Some(key.2) || into == Some(key.2))
    }

    fn open_pool(&mut self, key: PoolKey, state: PoolState) -> usize {
        if let Some(&p) = self.pool_index.get(&key) {
            return p;
        }
        self.pool_index.insert(key.clone(), self.pools.len());
        self.pools.push(PoolRun {
            key,
            state,
            legs: Vec::new(),
            next: 0,
            initial: state,
            from: None,
        });
        self.pools.len() - 1
    }

    /// Opens a pool at `from`: its state just before, and its stored legs from there on.
    async fn replay_pool(
        &mut self,
        conn: &mut PgConnection,
        key: PoolKey,
        from: &Position,
    ) -> Result<usize> {
        if let Some(&p) = self.pool_index.get(&key) {
            return Ok(p);
        }
        let before: Option<(i64, Decimal, Decimal)> = sqlx::query_as(
            "SELECT quantity_after, value_after, unit_cost_after FROM movement_values
             WHERE sku = $1 AND location = $2 AND pool = $3 AND (event_time, ord_key) < ($4, $5)
             ORDER BY event_time DESC, ord_key DESC LIMIT 1",
        )
        .bind(&key.0)
        .bind(&key.1)
        .bind(key.2)
        .bind(from.0)
        .bind(&from.1)
        .fetch_optional(&mut *conn)
        .await
        .context("reading a cost pool before a backdated movement")?;
        let state = before
            .map(|(quantity, value, unit_cost)| PoolState { quantity, value, unit_cost })
            .unwrap_or_default();
        let later: Vec<StoredLeg> = sqlx::query_as(
            "SELECT m.id, m.idempotency_key, m.kind, m.sku, m.location, m.from_state,
                    m.to_state, m.quantity, m.unit_cost, m.event_time, v.value, v.variance
             FROM movement_values v JOIN movements m ON m.id = v.movement_id
             WHERE v.sku = $1 AND v.location = $2 AND v.pool = $3
               AND (v.event_time, v.ord_key) >= ($4, $5)
             ORDER BY v.event_time, v.ord_key",
        )
        .bind(&key.0)
        .bind(&key.1)
        .bind(key.2)
        .bind(from.0)
        .bind(&from.1)
        .fetch_all(&mut *conn)
        .await
        .context("reading the legs after a backdated movement")?;
        let p = self.open_pool(key.clone(), state);
        self.pools[p].from = Some(from.clone());
        for leg in later {
            let (value, variance) = (leg.value, leg.variance);
            let i = self.add_movement(leg.into_recorded());
            let units = self.units(i, key.2);
            let stored = Some((value, variance));
            self.pools[p].legs.push(Leg { movement: i, pool: key.2, units, stored });
        }
        Ok(p)
    }

    fn units(&self, i: usize, pool: Pool) -> i64 {
        let m = &self.movements[i];
        let (out, _) = m.pools();
        if out == Some(pool) {
            -m.quantity
        } else {
            m.quantity
        }
    }

    /// Puts a new movement's legs into their (opened) pools, in canonical order.
    fn schedule(&mut self, i: usize) {
        let m = &self.movements[i];
        let (out, into) = m.pools();
        let (sku, location) = (m.sku.clone(), m.location.clone());
        for pool in [out, into].into_iter().flatten() {
            let units = self.units(i, pool);
            if let Some(&p) = self.pool_index.get(&(sku.clone(), location.clone(), pool)) {
                self.pools[p].legs.push(Leg { movement: i, pool, units, stored: None });
            }
        }
    }

    /// Reads what dependent legs need from outside this run: stored values of paired
    /// legs, the costs of returned sales, and suppliers' costs.
    async fn preload(&mut self, conn: &mut PgConnection) -> Result<()> {
        for p in &mut self.pools {
            let movements = &self.movements;
            p.legs.sort_by(|a, b| {
                let (ma, mb) = (&movements[a.movement], &movements[b.movement]);
                (ma.event_time, &ma.idempotency_key).cmp(&(mb.event_time, &mb.idempotency_key))
            });
            p.legs.dedup_by_key(|l| l.movement);
        }
        let partners: Vec<String> =
            self.movements.iter().filter_map(|m| partner_key(&m.idempotency_key)).collect();
        if !partners.is_empty() {
            let rows: Vec<(i64, String, Decimal, Decimal)> = sqlx::query_as(
                "SELECT v.movement_id, m.idempotency_key, v.value, v.variance
                 FROM movements m JOIN movement_values v ON v.movement_id = m.id
                 WHERE m.idempotency_key = ANY($1) AND v.pool = 'stock'",
            )
            .bind(&partners)
            .fetch_all(&mut *conn)
            .await
            .context("reading the transfers' outbound values")?;
            for (id, key, value, variance) in rows {
                self.values.entry((id, Pool::Stock)).or_insert((value, variance));
                if !self.by_id.contains_key(&id) {
                    self.partner_values.insert(key, value);
                }
            }
        }
        let returns: Vec<(i64, i64, i32)> = self
            .movements
            .iter()
            .filter(|m| m.kind == MovementKind::Return && m.from_state.is_none())
            .filter(|m| !self.sale_costs.contains_key(&m.id))
            .filter_map(|m| return_line(&m.idempotency_key).map(|(r, l)| (m.id, r, l)))
            .collect();
        if !returns.is_empty() {
            let costs: Vec<(i64, Option<Decimal>)> = sqlx::query_as(
                "SELECT k.id, (SELECT sum(-v.value) / nullif(sum(-v.quantity), 0)
                               FROM return_lines rl
                               JOIN orders o ON o.id = rl.order_id
                               JOIN movements m ON m.kind = 'sale' AND m.sku = rl.sku
                                    AND m.reference = o.channel || '/' || o.external_id
                               JOIN movement_values v ON v.movement_id = m.id
                                    AND v.pool = 'stock'
                               WHERE rl.return_id = k.r AND rl.line_no = k.l)
                 FROM unnest($1::bigint[], $2::bigint[], $3::int[]) AS k(id, r, l)",
            )
            .bind(returns.iter().map(|r| r.0).collect::<Vec<_>>())
            .bind(returns.iter().map(|r| r.1).collect::<Vec<_>>())
            .bind(returns.iter().map(|r| r.2).collect::<Vec<_>>())
            .fetch_all(&mut *conn)
            .await
            .context("reading the costs of returned sales")?;
            for (id, cost) in costs {
                if let Some(c) = cost {
                    self.sale_costs.insert(id, c);
                }
            }
        }
        let skus: Vec<&str> = self.movements.iter().map(|m| m.sku.as_str()).collect();
        let costs: Vec<(String, Decimal)> = sqlx::query_as(
            "SELECT sku, min(unit_cost) FROM supplier_items WHERE sku = ANY($1) GROUP BY sku",
        )
        .bind(&skus)
        .fetch_all(&mut *conn)
        .await
        .context("reading suppliers' costs")?;
        self.reference_costs = costs.into_iter().collect();
        Ok(())
    }
}

/// The `:out` leg a transfer's `:in-transit` leg takes its value from.
fn partner_key(key: &str) -> Option<String> {
    key.strip_suffix(":in-transit").map(|k| format!("{k}:out"))
}

/// (return id, line) of a return receipt's movement key `return:<id>:<line>:receipt`.
fn return_line(key: &str) -> Option<(i64, i32)> {
    let mut parts = key.strip_prefix("return:")?.strip_suffix(":receipt")?.split(':');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

#[derive(sqlx::FromRow)]
struct StoredLeg {
    id: i64,
    idempotency_key: String,
    kind: MovementKind,
    sku: String,
    location: String,
    from_state: Option<StockState>,
    to_state: Option<StockState>,
    quantity: i64,
    unit_cost: Option<Decimal>,
    event_time: DateTime<Utc>,
    value: Decimal,
    variance: Decimal,
}

impl StoredLeg {
    fn into_recorded(self) -> Recorded {
        Recorded {
            id: self.id,
            idempotency_key: self.idempotency_key,
            kind: self.kind,
            sku: self.sku,
            location: self.location,
            from_state: self.from_state,
            to_state: self.to_state,
            quantity: self.quantity,
            unit_cost: self.unit_cost,
            event_time: self.event_time,
        }
    }
}

async fn lock_pools(
    conn: &mut PgConnection,
    keys: &[PoolKey],
) -> Result<HashMap<PoolKey, (PoolState, Option<Position>)>> {
    let skus: Vec<&str> = keys.iter().map(|k| k.0.as_str()).collect();
    let locations: Vec<&str> = keys.iter().map(|k| k.1.as_str()).collect();
    let pools: Vec<Pool> = keys.iter().map(|k| k.2).collect();
    sqlx::query(
        "INSERT INTO cost_pools (sku, location, pool)
         SELECT * FROM unnest($1::text[], $2::text[], $3::cost_pool[]) ORDER BY 1, 2, 3
         ON CONFLICT DO NOTHING",
    )
    .bind(&skus)
    .bind(&locations)
    .bind(&pools)
    .execute(&mut *conn)
    .await
    .context("opening cost pools")?;
    let rows: Vec<(
        String,
        String,
        Pool,
        i64,
        Decimal,
        Decimal,
        Option<DateTime<Utc>>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT c.sku, c.location, c.pool, c.quantity, c.value, c.unit_cost, c.last_time,
                    c.last_key
             FROM cost_pools c
             JOIN unnest($1::text[], $2::text[], $3::cost_pool[]) AS k(s, l, p)
               ON c.sku = k.s AND c.location = k.l AND c.pool = k.p
             ORDER BY c.sku, c.location, c.pool
             FOR UPDATE OF c",
    )
    .bind(&skus)
    .bind(&locations)
    .bind(&pools)
    .fetch_all(&mut *conn)
    .await
    .context("locking cost pools")?;
    Ok(rows
        .into_iter()
        .map(|(s, l, p, quantity, value, unit_cost, time, key)| {
            let last = time.zip(key);
            ((s, l, p), (PoolState { quantity, value, unit_cost }, last))
        })
        .collect())
}

impl Run {
    /// Walks every open pool's legs in canonical order, valuing each; then opens the
    /// pools that changed values reach, and walks again, until nothing changes.
    async fn walk(&mut self, conn: &mut PgConnection) -> Result<()> {
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

impl Run {
    /// Writes the legs' values, the pools' new states and the journal entries.
    async fn store(self, conn: &mut PgConnection) -> Result<()> {
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
