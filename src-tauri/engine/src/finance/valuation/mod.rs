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

use super::cost::PoolState;
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

#[derive(sqlx::FromRow)]
struct PoolRow {
    sku: String,
    location: String,
    pool: Pool,
    quantity: i64,
    value: Decimal,
    unit_cost: Decimal,
    last_time: Option<DateTime<Utc>>,
    last_key: Option<String>,
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
    let rows: Vec<PoolRow> = sqlx::query_as(
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
        .map(|r| {
            let state = PoolState { quantity: r.quantity, value: r.value, unit_cost: r.unit_cost };
            ((r.sku, r.location, r.pool), (state, r.last_time.zip(r.last_key)))
        })
        .collect())
}

mod store;
mod walk;
