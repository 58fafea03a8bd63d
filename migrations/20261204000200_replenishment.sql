-- Replenishment: who supplies what, versioned planning policy, demand forecasts, the
-- proposals planners approve, and the purchase orders and transfers they become.
--
-- Stock states used: a purchase order puts units in `inbound` at the receiving DC; a
-- shipped transfer takes them out of `available` at the source and into `in_transit` at
-- the destination; receipts move them on to `available` (accepted) or elsewhere
-- (rejected). The ledger trigger refuses a transfer the source cannot cover.

CREATE TABLE suppliers (
    code              text PRIMARY KEY CHECK (code <> ''),
    name              text NOT NULL,
    lead_time_days    integer NOT NULL CHECK (lead_time_days > 0),
    lead_time_sd_days double precision NOT NULL DEFAULT 0 CHECK (lead_time_sd_days >= 0)
);
COMMENT ON COLUMN suppliers.lead_time_days IS 'Mean days from order to receipt at the DC.';
COMMENT ON COLUMN suppliers.lead_time_sd_days IS 'Spread of that lead time; widens safety stock.';

CREATE TABLE supplier_items (
    sku           text PRIMARY KEY REFERENCES products (sku),
    supplier      text NOT NULL REFERENCES suppliers (code),
    unit_cost     numeric(14, 4) NOT NULL CHECK (unit_cost >= 0),
    min_order_qty bigint NOT NULL DEFAULT 1 CHECK (min_order_qty >= 1),
    pack_size     bigint NOT NULL DEFAULT 1 CHECK (pack_size >= 1)
);
COMMENT ON TABLE supplier_items IS 'The primary supplier of each SKU and its buying terms.';
COMMENT ON COLUMN supplier_items.unit_cost IS 'Agreed purchase price per base unit.';
COMMENT ON COLUMN supplier_items.min_order_qty IS 'Smallest quantity the supplier accepts per PO line.';
COMMENT ON COLUMN supplier_items.pack_size IS 'Units per case; PO quantities are whole cases.';
CREATE INDEX supplier_items_supplier_idx ON supplier_items (supplier);

CREATE TABLE replenishment_sources (
    location           text PRIMARY KEY REFERENCES locations (code),
    source_location    text REFERENCES locations (code),
    transfer_lead_days integer NOT NULL DEFAULT 2 CHECK (transfer_lead_days >= 0),
    CHECK (source_location IS DISTINCT FROM location)
);
COMMENT ON TABLE replenishment_sources IS 'How each planned location is replenished.';
COMMENT ON COLUMN replenishment_sources.source_location IS 'DC that ships to it; NULL = bought from the SKU''s supplier.';
COMMENT ON COLUMN replenishment_sources.transfer_lead_days IS 'Days from transfer release to receipt.';

CREATE TABLE replenishment_policies (
    version            bigserial PRIMARY KEY,
    effective_from     timestamptz NOT NULL DEFAULT now(),
    author             text NOT NULL CHECK (author <> ''),
    service_level      double precision NOT NULL CHECK (service_level >= 0.5 AND service_level < 1),
    review_days        integer NOT NULL CHECK (review_days >= 1),
    rebalance_max_km   double precision NOT NULL CHECK (rebalance_max_km >= 0),
    note               text NOT NULL DEFAULT ''
);
COMMENT ON TABLE replenishment_policies IS 'Planning parameters; the latest effective version applies.';
COMMENT ON COLUMN replenishment_policies.service_level IS 'Chance of not running out in a cycle (cycle service level).';
COMMENT ON COLUMN replenishment_policies.review_days IS 'Days between plans; orders cover lead time plus this.';
COMMENT ON COLUMN replenishment_policies.rebalance_max_km IS 'Farthest a store-to-store rebalancing transfer may travel.';
-- The default applies from long before any data, so replays of past years are planned.
INSERT INTO replenishment_policies
    (effective_from, author, service_level, review_days, rebalance_max_km, note)
VALUES ('2000-01-01 00:00:00+00', 'system', 0.95, 7, 80, 'default');

CREATE TABLE demand_forecasts (
    sku          text NOT NULL REFERENCES products (sku),
    location     text NOT NULL REFERENCES locations (code),
    method       text NOT NULL,
    daily_mean   double precision NOT NULL CHECK (daily_mean >= 0),
    daily_sd     double precision NOT NULL CHECK (daily_sd >= 0),
    history_days integer NOT NULL CHECK (history_days >= 0),
    peak_share   double precision NOT NULL DEFAULT 0 CHECK (peak_share BETWEEN 0 AND 1),
    computed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sku, location)
);
COMMENT ON TABLE demand_forecasts IS 'Latest forecast of customer demand per SKU x location.';
COMMENT ON COLUMN demand_forecasts.daily_mean IS 'Expected units per day over the planning horizon.';
COMMENT ON COLUMN demand_forecasts.daily_sd IS 'Spread of one day''s demand around the forecast.';
COMMENT ON COLUMN demand_forecasts.history_days IS 'Days of sales history the forecast was fitted on.';
COMMENT ON COLUMN demand_forecasts.peak_share IS 'Share of the history sold on its single biggest day, when that is a spike (0 otherwise); proposals built on it ask for a check.';

CREATE TABLE plan_runs (
    id             bigserial PRIMARY KEY,
    policy_version bigint NOT NULL REFERENCES replenishment_policies (version),
    actor          text NOT NULL CHECK (actor <> ''),
    planned_at     timestamptz NOT NULL DEFAULT now(),
    proposals      bigint NOT NULL DEFAULT 0,
    duration_ms    bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE plan_runs IS 'Each planning run, with the policy version it used.';

CREATE TYPE proposal_kind AS ENUM ('purchase', 'transfer', 'rebalance');
CREATE TYPE proposal_status AS ENUM ('proposed', 'approved', 'rejected', 'superseded');
CREATE TYPE proposal_urgency AS ENUM ('critical', 'due');

CREATE TABLE proposals (
    id                 bigserial PRIMARY KEY,
    plan_run           bigint NOT NULL REFERENCES plan_runs (id),
    kind               proposal_kind NOT NULL,
    sku                text NOT NULL REFERENCES products (sku),
    location           text NOT NULL REFERENCES locations (code),
    source_location    text REFERENCES locations (code),
    supplier           text REFERENCES suppliers (code),
    quantity           bigint NOT NULL CHECK (quantity > 0),
    urgency            proposal_urgency NOT NULL,
    daily_demand       double precision NOT NULL CHECK (daily_demand >= 0),
    inventory_position bigint NOT NULL,
    safety_stock       bigint NOT NULL CHECK (safety_stock >= 0),
    reorder_point      bigint NOT NULL,
    order_up_to        bigint NOT NULL,
    explanation        text NOT NULL,
    status             proposal_status NOT NULL DEFAULT 'proposed',
    approved_quantity  bigint CHECK (approved_quantity > 0),
    decided_by         text,
    decided_at         timestamptz,
    decision_note      text,
    purchase_order_id  bigint,
    transfer_id        bigint,
    CHECK ((kind = 'purchase') = (supplier IS NOT NULL)),
    CHECK ((kind = 'purchase') = (source_location IS NULL)),
    CHECK ((status IN ('approved', 'rejected')) = (decided_by IS NOT NULL)),
    CHECK ((status = 'approved') = (approved_quantity IS NOT NULL))
);
COMMENT ON COLUMN proposals.location IS 'Where the stock is needed (receiving location).';
COMMENT ON COLUMN proposals.source_location IS 'Shipping location of a transfer; NULL for a purchase.';
COMMENT ON COLUMN proposals.quantity IS 'Units proposed, after minimum order and pack rounding.';
COMMENT ON COLUMN proposals.urgency IS 'critical: runs out before a new order can arrive; due: at or below the reorder point.';
COMMENT ON COLUMN proposals.inventory_position IS 'available + in transit + inbound when planned.';
COMMENT ON COLUMN proposals.approved_quantity IS 'Units the planner approved (may differ from quantity).';
COMMENT ON COLUMN proposals.explanation IS 'Why this quantity, in the planner''s words.';
CREATE INDEX proposals_open_idx ON proposals (urgency, location, sku) WHERE status = 'proposed';
CREATE INDEX proposals_run_idx ON proposals (plan_run);

CREATE TYPE document_status AS ENUM ('open', 'partially_received', 'received', 'closed');

CREATE TABLE purchase_orders (
    id          bigserial PRIMARY KEY,
    supplier    text NOT NULL REFERENCES suppliers (code),
    location    text NOT NULL REFERENCES locations (code),
    status      document_status NOT NULL DEFAULT 'open',
    ordered_at  timestamptz NOT NULL,
    expected_at timestamptz NOT NULL,
    created_by  text NOT NULL CHECK (created_by <> '')
);
COMMENT ON COLUMN purchase_orders.location IS 'Receiving location (a DC).';
COMMENT ON COLUMN purchase_orders.expected_at IS 'Ordered at + supplier lead time.';

CREATE TABLE purchase_order_lines (
    purchase_order_id bigint NOT NULL REFERENCES purchase_orders (id),
    line_no           integer NOT NULL CHECK (line_no > 0),
    sku               text NOT NULL REFERENCES products (sku),
    ordered           bigint NOT NULL CHECK (ordered > 0),
    received          bigint NOT NULL DEFAULT 0 CHECK (received >= 0),
    rejected          bigint NOT NULL DEFAULT 0 CHECK (rejected >= 0),
    unit_cost         numeric(14, 4) NOT NULL CHECK (unit_cost >= 0),
    proposal_id       bigint REFERENCES proposals (id),
    PRIMARY KEY (purchase_order_id, line_no),
    CHECK (received + rejected <= ordered)
);
COMMENT ON COLUMN purchase_order_lines.received IS 'Units accepted into stock so far.';
COMMENT ON COLUMN purchase_order_lines.rejected IS 'Units refused at the dock (back to the supplier).';

CREATE TABLE transfers (
    id          bigserial PRIMARY KEY,
    source      text NOT NULL REFERENCES locations (code),
    destination text NOT NULL REFERENCES locations (code),
    status      document_status NOT NULL DEFAULT 'open',
    shipped_at  timestamptz NOT NULL,
    expected_at timestamptz NOT NULL,
    created_by  text NOT NULL CHECK (created_by <> ''),
    CHECK (source <> destination)
);
COMMENT ON COLUMN transfers.status IS 'open = shipped, nothing received yet.';
COMMENT ON COLUMN transfers.expected_at IS 'Shipped at + transfer lead time; later than this is late.';
CREATE INDEX transfers_open_idx ON transfers (expected_at) WHERE status IN ('open', 'partially_received');

CREATE TABLE transfer_lines (
    transfer_id bigint NOT NULL REFERENCES transfers (id),
    line_no     integer NOT NULL CHECK (line_no > 0),
    sku         text NOT NULL REFERENCES products (sku),
    shipped     bigint NOT NULL CHECK (shipped > 0),
    accepted    bigint NOT NULL DEFAULT 0 CHECK (accepted >= 0),
    rejected    bigint NOT NULL DEFAULT 0 CHECK (rejected >= 0),
    proposal_id bigint REFERENCES proposals (id),
    PRIMARY KEY (transfer_id, line_no),
    CHECK (accepted + rejected <= shipped)
);
COMMENT ON COLUMN transfer_lines.accepted IS 'Units received into available stock.';
COMMENT ON COLUMN transfer_lines.rejected IS 'Units received damaged (put into damaged).';

ALTER TABLE proposals
    ADD FOREIGN KEY (purchase_order_id) REFERENCES purchase_orders (id),
    ADD FOREIGN KEY (transfer_id) REFERENCES transfers (id);

CREATE TABLE receipts (
    document     text NOT NULL CHECK (document IN ('purchase_order', 'transfer')),
    document_id  bigint NOT NULL,
    reference    text NOT NULL CHECK (reference <> ''),
    payload_hash text NOT NULL,
    received_by  text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (document, document_id, reference)
);
COMMENT ON TABLE receipts IS 'Each goods receipt once: a repeated reference is a no-op.';
COMMENT ON COLUMN receipts.reference IS 'The receiving note (GRN) number.';
COMMENT ON COLUMN receipts.payload_hash IS 'SHA-256 of the receipt, to refuse a changed repeat.';

-- The one rounding point of planning (see replenishment/policy.rs, whole_units_up):
-- float noise below a millionth of a unit is trimmed, then the level is rounded up.
-- round(float8) rounds half to even, as Rust's f64::round_ties_even does.
CREATE FUNCTION whole_units_up(x double precision) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN greatest(ceil(round(x * 1e6::float8) / 1e6::float8), 0)::bigint;

-- Appended to a proposal's explanation when one day's sales dominate its history.
CREATE FUNCTION spike_note(peak_share double precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN peak_share > 0 THEN format(
    '; CHECK: one day made %s%% of the sales history (a bulk order?)',
    round((peak_share * 100)::numeric)) ELSE '' END;
