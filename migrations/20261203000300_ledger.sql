-- The inventory ledger. Movements are append-only; positions are their running sum per
-- SKU x location, maintained by a statement-level trigger in the same transaction, so a
-- movement can never exist without its effect on positions (and vice versa).

CREATE TYPE stock_state AS ENUM (
    'available', 'reserved', 'in_transit', 'damaged', 'quarantined', 'return_pending',
    'inbound'
);
CREATE TYPE movement_kind AS ENUM (
    'opening', 'purchase_order', 'receipt', 'sale', 'return', 'write_off', 'adjustment',
    'transfer_out', 'transfer_in', 'reservation', 'release'
);

-- Facts already happened in the physical world and are recorded even when they drive
-- availability below zero. Everything else is a promise or a decision, and is refused
-- rather than allowed to oversell. Must match MovementKind::is_fact in the engine.
CREATE FUNCTION movement_is_fact(kind movement_kind) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN kind IN ('opening', 'receipt', 'sale', 'return', 'write_off', 'adjustment',
                'transfer_in');

CREATE TABLE movements (
    id              bigserial PRIMARY KEY,
    idempotency_key text NOT NULL UNIQUE CHECK (idempotency_key <> ''),
    event_id        bigint REFERENCES intake_events (id),
    kind            movement_kind NOT NULL,
    is_fact         boolean GENERATED ALWAYS AS (movement_is_fact(kind)) STORED,
    sku             text NOT NULL REFERENCES products (sku),
    location        text NOT NULL REFERENCES locations (code),
    from_state      stock_state,
    to_state        stock_state,
    quantity        bigint NOT NULL CHECK (quantity > 0),
    channel         text REFERENCES channels (code),
    unit_price      numeric(14, 4) CHECK (unit_price >= 0),
    reason          text,
    reference       text,
    actor           text NOT NULL CHECK (actor <> ''),
    event_time      timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (from_state IS NOT NULL OR to_state IS NOT NULL),
    CHECK (from_state IS DISTINCT FROM to_state)
);
COMMENT ON COLUMN movements.idempotency_key IS 'Unique per movement; a retried write cannot double-count.';
COMMENT ON COLUMN movements.event_id IS 'The intake event this movement came from, if any.';
COMMENT ON COLUMN movements.kind IS 'Why the stock moved.';
COMMENT ON COLUMN movements.is_fact IS 'Derived from kind: facts may drive availability negative.';
COMMENT ON COLUMN movements.from_state IS 'State the units left; NULL = from outside the company.';
COMMENT ON COLUMN movements.to_state IS 'State the units entered; NULL = to outside the company.';
COMMENT ON COLUMN movements.quantity IS 'Units in the SKU''s base unit; always positive.';
COMMENT ON COLUMN movements.channel IS 'Sales channel for customer-facing movements.';
COMMENT ON COLUMN movements.unit_price IS 'Selling price per unit as recorded by the channel.';
COMMENT ON COLUMN movements.reason IS 'Free-text reason from the source (e.g. damages).';
COMMENT ON COLUMN movements.reference IS 'Source document (invoice, PO, transfer).';
COMMENT ON COLUMN movements.actor IS 'User or system that recorded the movement.';
COMMENT ON COLUMN movements.event_time IS 'When it happened in the physical world.';
COMMENT ON COLUMN movements.recorded_at IS 'When Stockroom recorded it.';
CREATE INDEX movements_position_idx ON movements (sku, location, id);
CREATE INDEX movements_event_time_idx ON movements (event_time);

CREATE TABLE positions (
    sku            text NOT NULL REFERENCES products (sku),
    location       text NOT NULL REFERENCES locations (code),
    available      bigint NOT NULL DEFAULT 0,
    reserved       bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    in_transit     bigint NOT NULL DEFAULT 0 CHECK (in_transit >= 0),
    damaged        bigint NOT NULL DEFAULT 0 CHECK (damaged >= 0),
    quarantined    bigint NOT NULL DEFAULT 0 CHECK (quarantined >= 0),
    return_pending bigint NOT NULL DEFAULT 0 CHECK (return_pending >= 0),
    inbound        bigint NOT NULL DEFAULT 0 CHECK (inbound >= 0),
    on_hand        bigint GENERATED ALWAYS AS (available + reserved) STORED,
    movement_count bigint NOT NULL DEFAULT 0 CHECK (movement_count >= 0),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sku, location)
);
COMMENT ON COLUMN positions.available IS 'Free to promise. Only facts may drive it below zero.';
COMMENT ON COLUMN positions.reserved IS 'Promised to orders, still on the shelf.';
COMMENT ON COLUMN positions.in_transit IS 'Shipped to this location, not yet received.';
COMMENT ON COLUMN positions.damaged IS 'Physically here, not sellable.';
COMMENT ON COLUMN positions.quarantined IS 'Held pending a decision (recall, count).';
COMMENT ON COLUMN positions.return_pending IS 'Returned by customers, awaiting inspection.';
COMMENT ON COLUMN positions.inbound IS 'Ordered from suppliers, not yet received.';
COMMENT ON COLUMN positions.on_hand IS 'Sellable units physically here: available + reserved.';
COMMENT ON COLUMN positions.movement_count IS 'Movements applied; sizes the drill-down.';
COMMENT ON COLUMN positions.updated_at IS 'Last movement applied.';
CREATE INDEX positions_location_idx ON positions (location, sku);

CREATE TABLE stock_exceptions (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL,
    sku           text NOT NULL REFERENCES products (sku),
    location      text NOT NULL REFERENCES locations (code),
    detail        text NOT NULL,
    owner         text,
    order_id      bigint,
    raised_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at   timestamptz,
    resolved_by   text,
    resolution    text
);
COMMENT ON COLUMN stock_exceptions.kind IS 'What went wrong, e.g. negative_available.';
COMMENT ON COLUMN stock_exceptions.detail IS 'Plain description for the person who owns it.';
COMMENT ON COLUMN stock_exceptions.owner IS 'Who must act; NULL until assigned.';
COMMENT ON COLUMN stock_exceptions.last_seen_at IS 'Latest movement that confirmed the problem.';
COMMENT ON COLUMN stock_exceptions.order_id IS 'The order concerned, for order exceptions.';
COMMENT ON COLUMN stock_exceptions.resolved_at IS 'When the owner closed it; open while NULL.';
COMMENT ON COLUMN stock_exceptions.resolved_by IS 'Who closed it.';
COMMENT ON COLUMN stock_exceptions.resolution IS 'What was done, in the owner''s words.';
CREATE UNIQUE INDEX stock_exceptions_open_idx
    ON stock_exceptions (kind, sku, location, coalesce(order_id, 0)) WHERE resolved_at IS NULL;
