-- Orders and their reservations. An allocation is the part of an order line promised
-- from one location; its open quantity (quantity - shipped - released) is what is still
-- reserved there, and the CHECK makes a double release impossible.

CREATE TYPE order_status AS ENUM (
    'open', 'partially_shipped', 'shipped', 'cancelled', 'expired', 'rejected'
);
CREATE TYPE partial_policy AS ENUM ('all_or_nothing', 'reserve_available');

CREATE TABLE orders (
    id              bigserial PRIMARY KEY,
    channel         text NOT NULL REFERENCES channels (code),
    external_id     text NOT NULL CHECK (external_id <> ''),
    payload_hash    text NOT NULL,
    status          order_status NOT NULL,
    partial_policy  partial_policy NOT NULL,
    customer_lat    double precision,
    customer_lon    double precision,
    pickup_location text REFERENCES locations (code),
    order_value     numeric(14, 2) NOT NULL DEFAULT 0 CHECK (order_value >= 0),
    placed_at       timestamptz NOT NULL,
    expires_at      timestamptz,
    closed_at       timestamptz,
    UNIQUE (channel, external_id)
);
COMMENT ON COLUMN orders.external_id IS 'The channel''s order id; with channel, the idempotency key.';
COMMENT ON COLUMN orders.payload_hash IS 'SHA-256 of the captured order, to refuse a changed repeat.';
COMMENT ON COLUMN orders.status IS 'Where the order is in its life.';
COMMENT ON COLUMN orders.partial_policy IS 'All lines or nothing, or reserve what is available.';
COMMENT ON COLUMN orders.customer_lat IS 'Delivery point, for distance-based routing.';
COMMENT ON COLUMN orders.customer_lon IS 'Delivery point, for distance-based routing.';
COMMENT ON COLUMN orders.pickup_location IS 'Click-and-collect store; NULL for deliveries.';
COMMENT ON COLUMN orders.order_value IS 'Sum of line values, for split thresholds.';
COMMENT ON COLUMN orders.placed_at IS 'When the customer placed the order.';
COMMENT ON COLUMN orders.expires_at IS 'Reservations lapse unless confirmed by then; NULL = confirmed.';
COMMENT ON COLUMN orders.closed_at IS 'When the order reached a final status.';
CREATE INDEX orders_open_idx ON orders (expires_at) WHERE closed_at IS NULL;

CREATE TABLE order_lines (
    order_id   bigint NOT NULL REFERENCES orders (id),
    line_no    integer NOT NULL CHECK (line_no > 0),
    sku        text NOT NULL REFERENCES products (sku),
    quantity   bigint NOT NULL CHECK (quantity > 0),
    unit_price numeric(14, 4) NOT NULL DEFAULT 0 CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, line_no)
);
COMMENT ON COLUMN order_lines.quantity IS 'Units ordered, in the SKU''s base unit.';
COMMENT ON COLUMN order_lines.unit_price IS 'Selling price per unit.';

CREATE TABLE allocations (
    id        bigserial PRIMARY KEY,
    order_id  bigint NOT NULL REFERENCES orders (id),
    line_no   integer NOT NULL,
    sku       text NOT NULL,
    location  text NOT NULL REFERENCES locations (code),
    quantity  bigint NOT NULL CHECK (quantity > 0),
    shipped   bigint NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    released  bigint NOT NULL DEFAULT 0 CHECK (released >= 0),
    ship_day  date NOT NULL,
    waved_at  timestamptz,
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no),
    CHECK (shipped + released <= quantity)
);
COMMENT ON COLUMN allocations.quantity IS 'Units reserved at this location for the line.';
COMMENT ON COLUMN allocations.shipped IS 'Units shipped from this reservation.';
COMMENT ON COLUMN allocations.released IS 'Units given back by cancellation, expiry or a failed pick; never more than open.';
COMMENT ON COLUMN allocations.ship_day IS 'Day the location promised to hand it to the carrier; counts against its capacity.';
COMMENT ON COLUMN allocations.waved_at IS 'When a release wave sent it to the location to pick.';
CREATE INDEX allocations_order_idx ON allocations (order_id);
CREATE INDEX allocations_load_idx ON allocations (ship_day, location);

CREATE TABLE routing_decisions (
    order_id    bigint NOT NULL REFERENCES orders (id),
    seq         integer NOT NULL CHECK (seq > 0),
    rule        text NOT NULL,
    policy      text NOT NULL,
    explanation text NOT NULL,
    candidates  jsonb NOT NULL,
    decided_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, seq)
);
COMMENT ON COLUMN routing_decisions.seq IS '1 at capture; later numbers are re-routes after a store rejection.';
COMMENT ON COLUMN routing_decisions.policy IS 'Sourcing policy and availability rule versions in force.';
COMMENT ON COLUMN routing_decisions.rule IS 'The sourcing rule that decided.';
COMMENT ON COLUMN routing_decisions.explanation IS 'Why the order ships from where it does, in words.';
COMMENT ON COLUMN routing_decisions.candidates IS 'Every location considered, its score and why it lost.';

-- How the sourcing engine weighs locations. Versioned like availability rules: the
-- latest version in force decides, and each decision records which one it used.
CREATE TABLE sourcing_policies (
    version            integer PRIMARY KEY CHECK (version > 0),
    split_min_value    numeric(14, 2) NOT NULL CHECK (split_min_value >= 0),
    parcel_cost        numeric(10, 4) NOT NULL CHECK (parcel_cost >= 0),
    cost_per_km        numeric(10, 4) NOT NULL CHECK (cost_per_km >= 0),
    handling_dc        numeric(10, 4) NOT NULL CHECK (handling_dc >= 0),
    handling_dark      numeric(10, 4) NOT NULL CHECK (handling_dark >= 0),
    handling_store     numeric(10, 4) NOT NULL CHECK (handling_store >= 0),
    late_day_penalty   numeric(10, 4) NOT NULL CHECK (late_day_penalty >= 0),
    hold_minutes       integer NOT NULL CHECK (hold_minutes > 0),
    min_pick_accuracy  numeric(5, 4) NOT NULL CHECK (min_pick_accuracy BETWEEN 0 AND 1),
    effective_from     timestamptz NOT NULL,
    author             text NOT NULL CHECK (author <> ''),
    recorded_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN sourcing_policies.split_min_value IS 'Orders worth less than this are never split.';
COMMENT ON COLUMN sourcing_policies.parcel_cost IS 'Carrier cost of one parcel, before distance.';
COMMENT ON COLUMN sourcing_policies.cost_per_km IS 'Carrier cost per km from the location to the customer.';
COMMENT ON COLUMN sourcing_policies.handling_dc IS 'Pick and pack cost per line at a distribution centre.';
COMMENT ON COLUMN sourcing_policies.handling_dark IS 'Pick and pack cost per line at a dark store.';
COMMENT ON COLUMN sourcing_policies.handling_store IS 'Pick and pack cost per line at a store.';
COMMENT ON COLUMN sourcing_policies.late_day_penalty IS 'Cost charged per day a location promises later than the best.';
COMMENT ON COLUMN sourcing_policies.hold_minutes IS 'How long an unconfirmed reservation holds stock.';
COMMENT ON COLUMN sourcing_policies.min_pick_accuracy IS 'Release waves flag locations picking below this rate.';
INSERT INTO sourcing_policies VALUES
    (1, 40.00, 3.2000, 0.0150, 0.6000, 0.9000, 1.8000, 4.0000, 30, 0.9500,
     '2000-01-01T00:00:00Z', 'stockroom', now());

-- Every pick attempt: found (shipped) or not found (a store rejection). The share found
-- is the location's measured stock accuracy.
CREATE TABLE pick_outcomes (
    id          bigserial PRIMARY KEY,
    location    text NOT NULL REFERENCES locations (code),
    sku         text NOT NULL REFERENCES products (sku),
    order_id    bigint NOT NULL REFERENCES orders (id),
    found       boolean NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN pick_outcomes.found IS 'The unit was on the shelf; false = store rejection.';
CREATE INDEX pick_outcomes_location_idx ON pick_outcomes (location, recorded_at);

CREATE VIEW location_accuracy AS
SELECT location, count(*) AS picks, count(*) FILTER (WHERE found) AS found,
       round(count(*) FILTER (WHERE found)::numeric / count(*), 4) AS accuracy
FROM pick_outcomes
WHERE recorded_at > now() - interval '30 days'
GROUP BY location;

ALTER TABLE stock_exceptions
    ADD FOREIGN KEY (order_id) REFERENCES orders (id);

-- Each shipment is recorded once per (order, shipment reference): a repeated
-- confirmation from a warehouse is a no-op, never a second sale.
CREATE TABLE shipments (
    order_id     bigint NOT NULL REFERENCES orders (id),
    shipment_ref text NOT NULL CHECK (shipment_ref <> ''),
    units        bigint NOT NULL CHECK (units > 0),
    actor        text NOT NULL,
    shipped_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, shipment_ref)
);
COMMENT ON COLUMN shipments.shipment_ref IS 'The warehouse''s id for the parcel; a repeat is ignored.';
COMMENT ON COLUMN shipments.units IS 'Units that left in this shipment.';
