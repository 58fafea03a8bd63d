-- Returns: capture from any channel, receipt into return_pending, inspection with a
-- grade, and a disposition that moves the units on. What went back to stock per order
-- line is one record: allocations.released (cancellation, expiry, refund before
-- shipment) plus order_lines.returned (units received back after shipment). A trigger
-- keeps returned within what was shipped, so released + returned never exceeds what the
-- line took from stock.

ALTER TABLE orders ADD COLUMN customer_ref text;
COMMENT ON COLUMN orders.customer_ref IS 'The channel''s customer id, to find a sale from a return.';
CREATE INDEX orders_customer_idx ON orders (customer_ref, placed_at) WHERE customer_ref IS NOT NULL;

ALTER TABLE order_lines ADD COLUMN returned bigint NOT NULL DEFAULT 0 CHECK (returned >= 0);
COMMENT ON COLUMN order_lines.returned IS 'Units of this line received back from the customer.';

CREATE TABLE return_reasons (
    code  text PRIMARY KEY CHECK (code <> ''),
    label text NOT NULL
);
INSERT INTO return_reasons VALUES
    ('changed_mind', 'Changed mind'),
    ('not_as_described', 'Not as described'),
    ('wrong_item', 'Wrong item sent'),
    ('damaged_in_transit', 'Damaged in transit'),
    ('defective', 'Defective'),
    ('late_delivery', 'Arrived too late'),
    ('not_given', 'No reason given');

CREATE TYPE return_grade AS ENUM ('as_new', 'open_box', 'damaged', 'defective');
CREATE TYPE disposition AS ENUM ('restock', 'refurbish', 'return_to_vendor', 'liquidate', 'scrap');
CREATE TYPE return_status AS ENUM ('announced', 'received', 'closed');

-- Which location kinds may receive customer returns and hold restocked units.
CREATE TABLE return_location_rules (
    kind             location_kind PRIMARY KEY,
    receives_returns boolean NOT NULL,
    restocks         boolean NOT NULL
);
INSERT INTO return_location_rules VALUES
    ('returns_hub', true, false),
    ('store', true, true),
    ('distribution_centre', true, true),
    ('dark_store', false, true);
COMMENT ON COLUMN return_location_rules.restocks IS 'Restocked units may be made available here.';

-- Expected recovery per unit, as shares of the original selling price. Versioned like
-- the other policies: the latest version in force decides, and each decision names it.
CREATE TABLE recovery_rules (
    version            integer PRIMARY KEY CHECK (version > 0),
    resale_as_new      numeric(5, 4) NOT NULL CHECK (resale_as_new BETWEEN 0 AND 1),
    resale_open_box    numeric(5, 4) NOT NULL CHECK (resale_open_box BETWEEN 0 AND 1),
    refurbished_resale numeric(5, 4) NOT NULL CHECK (refurbished_resale BETWEEN 0 AND 1),
    refurbish_cost     numeric(5, 4) NOT NULL CHECK (refurbish_cost BETWEEN 0 AND 1),
    vendor_credit      numeric(5, 4) NOT NULL CHECK (vendor_credit BETWEEN 0 AND 1),
    liquidation        numeric(5, 4) NOT NULL CHECK (liquidation BETWEEN 0 AND 1),
    handling_per_unit  numeric(10, 4) NOT NULL CHECK (handling_per_unit >= 0),
    effective_from     timestamptz NOT NULL,
    author             text NOT NULL CHECK (author <> ''),
    recorded_at        timestamptz NOT NULL DEFAULT now()
);
INSERT INTO recovery_rules VALUES
    (1, 1.0000, 0.8000, 0.7500, 0.3000, 0.4000, 0.1500, 0.2500,
     '2000-01-01T00:00:00Z', 'stockroom', now());

CREATE TABLE returns (
    id           bigserial PRIMARY KEY,
    channel      text NOT NULL REFERENCES channels (code),
    external_id  text NOT NULL CHECK (external_id <> ''),
    payload_hash text NOT NULL,
    order_id     bigint REFERENCES orders (id),
    customer_ref text,
    location     text NOT NULL REFERENCES locations (code),
    status       return_status NOT NULL,
    captured_at  timestamptz NOT NULL,
    received_at  timestamptz,
    closed_at    timestamptz,
    captured_by  text NOT NULL CHECK (captured_by <> ''),
    UNIQUE (channel, external_id),
    CHECK ((status = 'announced') = (received_at IS NULL))
);
COMMENT ON COLUMN returns.external_id IS 'The channel''s return (RMA) number.';
COMMENT ON COLUMN returns.order_id IS 'The original order; NULL for an unlinked return.';
COMMENT ON COLUMN returns.location IS 'Where the units are (to be) received.';
COMMENT ON COLUMN returns.status IS 'announced = expected, received = units in return_pending, closed = all disposed.';
CREATE INDEX returns_queue_idx ON returns (received_at) WHERE status = 'received';

CREATE TABLE return_lines (
    return_id     bigint NOT NULL REFERENCES returns (id),
    line_no       integer NOT NULL CHECK (line_no > 0),
    sku           text NOT NULL REFERENCES products (sku),
    quantity      bigint NOT NULL CHECK (quantity > 0),
    reason        text NOT NULL REFERENCES return_reasons (code),
    order_id      bigint,
    order_line_no integer,
    unit_price    numeric(14, 4) NOT NULL CHECK (unit_price >= 0),
    received      bigint NOT NULL DEFAULT 0 CHECK (received IN (0, quantity)),
    disposed      bigint NOT NULL DEFAULT 0 CHECK (disposed >= 0 AND disposed <= received),
    PRIMARY KEY (return_id, line_no),
    FOREIGN KEY (order_id, order_line_no) REFERENCES order_lines (order_id, line_no),
    CHECK ((order_id IS NULL) = (order_line_no IS NULL))
);
COMMENT ON COLUMN return_lines.unit_price IS 'Original selling price per unit (the order line''s, when linked).';
COMMENT ON COLUMN return_lines.disposed IS 'Units inspected and sent on; the rest wait in return_pending.';
CREATE INDEX return_lines_order_idx ON return_lines (order_id, order_line_no) WHERE order_id IS NOT NULL;

CREATE TABLE return_decisions (
    id              bigserial PRIMARY KEY,
    return_id       bigint NOT NULL,
    line_no         integer NOT NULL,
    quantity        bigint NOT NULL CHECK (quantity > 0),
    grade           return_grade NOT NULL,
    disposition     disposition NOT NULL,
    suggested       disposition NOT NULL,
    override_reason text,
    destination     text REFERENCES locations (code),
    transfer_id     bigint REFERENCES transfers (id),
    rules_version   integer NOT NULL REFERENCES recovery_rules (version),
    original_value  numeric(14, 2) NOT NULL CHECK (original_value >= 0),
    recovery        numeric(14, 2) NOT NULL,
    decided_at      timestamptz NOT NULL,
    decided_by      text NOT NULL CHECK (decided_by <> ''),
    refurbished_at  timestamptz,
    FOREIGN KEY (return_id, line_no) REFERENCES return_lines (return_id, line_no),
    CHECK (disposition = suggested OR btrim(coalesce(override_reason, '')) <> ''),
    CHECK (disposition <> 'restock' OR grade IN ('as_new', 'open_box')),
    CHECK ((disposition IN ('restock', 'refurbish')) = (destination IS NOT NULL)),
    CHECK (refurbished_at IS NULL OR disposition = 'refurbish')
);
COMMENT ON COLUMN return_decisions.suggested IS 'The disposition with the highest expected recovery.';
COMMENT ON COLUMN return_decisions.override_reason IS 'Required when the user chose another disposition.';
COMMENT ON COLUMN return_decisions.destination IS 'Where restocked or refurbished units become available.';
COMMENT ON COLUMN return_decisions.transfer_id IS 'Transfer carrying restocked units to another location.';
COMMENT ON COLUMN return_decisions.recovery IS 'Expected value recovered, rounded to pence once, here.';
COMMENT ON COLUMN return_decisions.refurbished_at IS 'When refurbished units were made available.';
CREATE INDEX return_decisions_line_idx ON return_decisions (return_id, line_no);

-- A return is received only where the rules allow it.
CREATE FUNCTION check_return_location() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM locations l JOIN return_location_rules r USING (kind)
                   WHERE l.code = NEW.location AND r.receives_returns) THEN
        RAISE EXCEPTION 'location % does not receive customer returns', NEW.location
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER returns_location_allowed BEFORE INSERT OR UPDATE OF location ON returns
    FOR EACH ROW EXECUTE FUNCTION check_return_location();

-- Restocked units go only where the rules allow them to be sold from.
CREATE FUNCTION check_restock_destination() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.disposition = 'restock' AND NOT EXISTS (
        SELECT 1 FROM locations l JOIN return_location_rules r USING (kind)
        WHERE l.code = NEW.destination AND r.restocks) THEN
        RAISE EXCEPTION 'location % may not hold restocked units', NEW.destination
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER return_decisions_destination_allowed BEFORE INSERT ON return_decisions
    FOR EACH ROW EXECUTE FUNCTION check_restock_destination();

-- Receiving a linked line adds to its order line's returned units, which may never
-- exceed what was shipped on that line: a unit comes back to stock at most once.
CREATE FUNCTION count_returned_units() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_shipped bigint;
    v_returned bigint;
BEGIN
    IF NEW.order_id IS NULL OR NEW.received = OLD.received THEN
        RETURN NEW;
    END IF;
    UPDATE order_lines SET returned = returned + (NEW.received - OLD.received)
    WHERE order_id = NEW.order_id AND line_no = NEW.order_line_no
    RETURNING order_lines.returned INTO v_returned;
    SELECT coalesce(sum(a.shipped), 0) INTO v_shipped FROM allocations a
    WHERE a.order_id = NEW.order_id AND a.line_no = NEW.order_line_no;
    IF v_returned > v_shipped THEN
        RAISE EXCEPTION 'order % line %: % units shipped, % would have come back',
            NEW.order_id, NEW.order_line_no, v_shipped, v_returned
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER return_lines_count_returned BEFORE UPDATE OF received ON return_lines
    FOR EACH ROW EXECUTE FUNCTION count_returned_units();

-- Disposed units never exceed received ones (CHECK above); decisions add up to disposed.
CREATE FUNCTION count_disposed_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE return_lines l SET disposed = l.disposed + d.n
    FROM (SELECT return_id, line_no, sum(quantity) AS n FROM new_rows
          GROUP BY return_id, line_no) d
    WHERE l.return_id = d.return_id AND l.line_no = d.line_no;
    RETURN NULL;
END $$;
CREATE TRIGGER return_decisions_count AFTER INSERT ON return_decisions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_disposed_units();

-- What each order line took from stock and what went back, in one place.
CREATE VIEW order_line_stock AS
SELECT l.order_id, l.line_no, l.sku, l.quantity AS ordered,
       coalesce(sum(a.quantity), 0)::bigint AS allocated,
       coalesce(sum(a.shipped), 0)::bigint AS shipped,
       coalesce(sum(a.released), 0)::bigint AS released,
       l.returned,
       (coalesce(sum(a.released), 0) + l.returned)::bigint AS put_back
FROM order_lines l LEFT JOIN allocations a USING (order_id, line_no)
GROUP BY l.order_id, l.line_no;

-- A refund of an order line, once per (order, refund reference). With restock, units
-- not yet shipped are released at once and the rest are expected back as a return.
CREATE TABLE refunds (
    order_id    bigint NOT NULL,
    line_no     integer NOT NULL,
    reference   text NOT NULL CHECK (reference <> ''),
    quantity    bigint NOT NULL CHECK (quantity > 0),
    restock     boolean NOT NULL,
    released    bigint NOT NULL CHECK (released >= 0),
    return_id   bigint REFERENCES returns (id),
    reason      text NOT NULL REFERENCES return_reasons (code),
    refunded_at timestamptz NOT NULL,
    refunded_by text NOT NULL CHECK (refunded_by <> ''),
    PRIMARY KEY (order_id, reference),
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no),
    CHECK (released <= quantity),
    CHECK (restock OR (released = 0 AND return_id IS NULL))
);
COMMENT ON COLUMN refunds.released IS 'Units not yet shipped that the refund put back at once.';
COMMENT ON COLUMN refunds.return_id IS 'The return expected for the units the customer has.';

-- Time to resale of units restocked elsewhere is the receipt of their transfer, whose
-- movements are referenced 'TR-<id>/<receiving note>'.
CREATE INDEX movements_transfer_in_idx ON movements (split_part(reference, '/', 1))
    WHERE kind = 'transfer_in';
