-- Finance: perpetual moving-average valuation per SKU x location and a balanced GL
-- journal for every change of stock value, written by the engine in the transaction that
-- records the movement (see src-tauri/engine/src/finance).
--
-- Valued stock sits in two pools per SKU x location: `stock` (available, reserved,
-- quarantined, return pending) and `transit` (in transit to this location). Damaged
-- units carry no value (they are written off when they become damaged) and supplier
-- inbound units are not yet owned. Each movement leg into or out of a pool has a value,
-- rounded to pence once, when it is valued; pools hold exact pence. The canonical order
-- of a pool's legs is (event_time, idempotency_key), so the same dated movements keyed
-- in any order give the same values; a backdated movement revalues the later legs of
-- the pools it reaches and posts correcting journal entries for the differences.

ALTER TABLE movements ADD COLUMN unit_cost numeric(14, 4) CHECK (unit_cost >= 0);
COMMENT ON COLUMN movements.unit_cost IS 'Cost per unit of units entering at a known cost (receipts, opening stock).';
CREATE INDEX movements_sale_reference_idx ON movements (reference, sku) WHERE kind = 'sale';

CREATE TABLE finance_settings (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    time_zone text NOT NULL,
    currency  text NOT NULL CHECK (currency ~ '^[A-Z]{3}$')
);
INSERT INTO finance_settings VALUES (true, 'Europe/London', 'GBP');
COMMENT ON COLUMN finance_settings.time_zone IS '"As of a date" means the end of that day here.';

CREATE TYPE account_kind AS ENUM ('asset', 'liability', 'equity', 'expense');
CREATE TABLE accounts (
    code           text PRIMARY KEY,
    name           text NOT NULL,
    kind           account_kind NOT NULL,
    inventory_of   location_kind UNIQUE,
    is_inventory   boolean NOT NULL DEFAULT false
);
COMMENT ON COLUMN accounts.inventory_of IS 'The location kind whose stock this inventory account holds.';
COMMENT ON COLUMN accounts.is_inventory IS 'Reconciled against the stock ledger (inventory and goods in transit).';
INSERT INTO accounts VALUES
    ('1300', 'Inventory - distribution centres', 'asset', 'distribution_centre', true),
    ('1310', 'Inventory - stores', 'asset', 'store', true),
    ('1320', 'Inventory - dark stores', 'asset', 'dark_store', true),
    ('1330', 'Inventory - returns hub', 'asset', 'returns_hub', true),
    ('1350', 'Goods in transit', 'asset', NULL, true),
    ('1400', 'Vendor returns receivable', 'asset', NULL, false),
    ('2100', 'Goods received not invoiced', 'liability', NULL, false),
    ('3100', 'Opening stock', 'equity', NULL, false),
    ('5000', 'Cost of goods sold', 'expense', NULL, false),
    ('5010', 'Customer returns', 'expense', NULL, false),
    ('5100', 'Shrinkage and write-offs', 'expense', NULL, false),
    ('5200', 'Markdowns', 'expense', NULL, false),
    ('5300', 'Purchase price variance', 'expense', NULL, false),
    ('5400', 'Liquidation', 'expense', NULL, false);

CREATE TYPE period_status AS ENUM ('open', 'closing', 'closed');
CREATE TABLE periods (
    month      date PRIMARY KEY CHECK (extract(day FROM month) = 1),
    status     period_status NOT NULL DEFAULT 'open',
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text
);
COMMENT ON TABLE periods IS 'Accounting months; no posting into a closed one, and they close in order.';

CREATE TYPE cost_pool AS ENUM ('stock', 'transit');

CREATE TABLE cost_pools (
    sku        text NOT NULL REFERENCES products (sku),
    location   text NOT NULL REFERENCES locations (code),
    pool       cost_pool NOT NULL,
    quantity   bigint NOT NULL DEFAULT 0,
    value      numeric(16, 2) NOT NULL DEFAULT 0,
    unit_cost  numeric(24, 10) NOT NULL DEFAULT 0,
    last_time  timestamptz,
    last_key   text,
    PRIMARY KEY (sku, location, pool)
);
COMMENT ON COLUMN cost_pools.unit_cost IS 'Moving-average cost per unit after the last leg (10 dp; money is rounded only on legs).';
COMMENT ON COLUMN cost_pools.last_key IS 'Canonical position of the last valued leg: (last_time, last_key).';

CREATE TABLE movement_values (
    movement_id    bigint NOT NULL REFERENCES movements (id),
    pool           cost_pool NOT NULL,
    sku            text NOT NULL,
    location       text NOT NULL,
    event_time     timestamptz NOT NULL,
    ord_key        text NOT NULL,
    quantity       bigint NOT NULL,
    value          numeric(16, 2) NOT NULL,
    variance       numeric(16, 2) NOT NULL DEFAULT 0,
    quantity_after bigint NOT NULL,
    value_after    numeric(16, 2) NOT NULL,
    unit_cost_after numeric(24, 10) NOT NULL,
    PRIMARY KEY (movement_id, pool)
);
COMMENT ON TABLE movement_values IS 'The stock ledger''s value: one row per movement leg into or out of a cost pool.';
COMMENT ON COLUMN movement_values.quantity IS 'Signed units into (+) or out of (-) the pool.';
COMMENT ON COLUMN movement_values.value IS 'Signed value in pence precision; the one rounding point.';
COMMENT ON COLUMN movement_values.variance IS 'Value cleared to price variance when the leg emptied the pool.';
CREATE INDEX movement_values_order_idx
    ON movement_values (sku, location, pool, event_time, ord_key);
CREATE INDEX movement_values_time_idx ON movement_values (event_time);

CREATE TABLE journal_entries (
    id          bigserial PRIMARY KEY,
    movement_id bigint REFERENCES movements (id),
    kind        text NOT NULL CHECK (kind IN ('posting', 'correction')),
    event_time  timestamptz NOT NULL,
    period      date NOT NULL REFERENCES periods (month),
    memo        text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON COLUMN journal_entries.event_time IS 'When the stock moved; the entry counts in "as of" reports from then.';
COMMENT ON COLUMN journal_entries.kind IS 'posting = first valuation of a movement; correction = a later revaluation''s difference.';
CREATE INDEX journal_entries_movement_idx ON journal_entries (movement_id);
CREATE INDEX journal_entries_time_idx ON journal_entries (event_time);

CREATE TABLE journal_lines (
    entry_id bigint NOT NULL REFERENCES journal_entries (id),
    line_no  integer NOT NULL CHECK (line_no > 0),
    account  text NOT NULL REFERENCES accounts (code),
    sku      text NOT NULL,
    location text NOT NULL,
    debit    numeric(16, 2) NOT NULL DEFAULT 0 CHECK (debit >= 0),
    credit   numeric(16, 2) NOT NULL DEFAULT 0 CHECK (credit >= 0),
    PRIMARY KEY (entry_id, line_no),
    CHECK ((debit = 0) <> (credit = 0))
);
CREATE INDEX journal_lines_account_idx ON journal_lines (account, location, sku);

-- The journal is append-only: corrections are new entries.
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_edit();
CREATE TRIGGER journal_lines_append_only BEFORE UPDATE OR DELETE ON journal_lines
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_edit();

-- Every entry balances, checked when the transaction commits.
CREATE FUNCTION check_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d numeric;
    c numeric;
BEGIN
    SELECT sum(debit), sum(credit) INTO d, c FROM journal_lines WHERE entry_id = NEW.entry_id;
    IF d <> c THEN
        RAISE EXCEPTION 'journal entry % does not balance: debits %, credits %',
            NEW.entry_id, d, c USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER journal_lines_balance AFTER INSERT ON journal_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_entry_balances();

-- No posting into a closed (or closing) period.
CREATE FUNCTION check_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s period_status;
BEGIN
    SELECT status INTO s FROM periods WHERE month = NEW.period;
    IF s <> 'open' THEN
        RAISE EXCEPTION 'period % is %: nothing may be posted into it',
            to_char(NEW.period, 'YYYY-MM'), s USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER journal_entries_period_open BEFORE INSERT ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION check_period_open();

-- Valuation variances found by reconciliation are exceptions with an owner.
ALTER TABLE stock_exceptions ADD COLUMN amount numeric(16, 2);
COMMENT ON COLUMN stock_exceptions.amount IS 'For valuation variances: stock ledger value minus GL.';
