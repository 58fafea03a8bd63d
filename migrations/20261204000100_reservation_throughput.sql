-- Reservation throughput on hot SKUs.
--
-- 1. Each location's picking load per day is kept as a counter, maintained by triggers
--    on allocations, so a reservation reads it in one indexed lookup instead of counting
--    the day's allocations. A line counts against the day while any of it is still
--    promised or shipped; releasing it in full gives the slot back.
-- 2. Movements no longer check products and locations row by row: the ledger trigger
--    writes the position of every movement's (sku, location) in the same statement, and
--    positions reference both tables, so a movement for an unknown SKU or location is
--    still refused (by positions_sku_fkey / positions_location_fkey) while the hot path
--    saves two lookups per movement.
--
-- Lock order, everywhere: positions first (the ledger trigger, in key order), then
-- pick loads (this trigger, in key order). Code that writes both writes movements before
-- allocations.

CREATE TABLE pick_loads (
    location text NOT NULL REFERENCES locations (code),
    ship_day date NOT NULL,
    lines    bigint NOT NULL CHECK (lines >= 0),
    PRIMARY KEY (location, ship_day)
);
COMMENT ON TABLE pick_loads IS 'Order lines each location has promised to hand to the carrier on a day.';
COMMENT ON COLUMN pick_loads.lines IS 'Allocations for the day not released in full; compared with capacity.';

INSERT INTO pick_loads (location, ship_day, lines)
SELECT location, ship_day, count(*) FROM allocations WHERE released < quantity
GROUP BY location, ship_day;

-- Adds per-(location, day) deltas to the counters, locking them in key order.
CREATE FUNCTION add_pick_loads(locs text[], days date[], deltas bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pick_loads (location, ship_day, lines)
    SELECT l, d, 0 FROM unnest(locs, days) AS k(l, d) ORDER BY l, d
    ON CONFLICT (location, ship_day) DO NOTHING;
    PERFORM 1 FROM pick_loads p
    WHERE (p.location, p.ship_day) IN (SELECT l, d FROM unnest(locs, days) AS k(l, d))
    ORDER BY p.location, p.ship_day
    FOR UPDATE;
    UPDATE pick_loads p SET lines = p.lines + k.n
    FROM unnest(locs, days, deltas) AS k(l, d, n)
    WHERE p.location = k.l AND p.ship_day = k.d;
END $$;

CREATE FUNCTION count_new_allocations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    locs text[]; days date[]; deltas bigint[];
BEGIN
    SELECT array_agg(location), array_agg(ship_day), array_agg(n) INTO locs, days, deltas
    FROM (SELECT location, ship_day, count(*) AS n FROM new_rows
          WHERE released < quantity GROUP BY location, ship_day) x;
    IF locs IS NOT NULL THEN
        PERFORM add_pick_loads(locs, days, deltas);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION count_changed_allocations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    locs text[]; days date[]; deltas bigint[];
BEGIN
    SELECT array_agg(location), array_agg(ship_day), array_agg(n) INTO locs, days, deltas
    FROM (SELECT location, ship_day, sum(d) AS n FROM (
              SELECT location, ship_day, 1 AS d FROM new_rows WHERE released < quantity
              UNION ALL
              SELECT location, ship_day, -1 FROM old_rows WHERE released < quantity) c
          GROUP BY location, ship_day HAVING sum(d) <> 0) x;
    IF locs IS NOT NULL THEN
        PERFORM add_pick_loads(locs, days, deltas);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER allocations_count_insert AFTER INSERT ON allocations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_new_allocations();
CREATE TRIGGER allocations_count_update AFTER UPDATE ON allocations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_changed_allocations();

ALTER TABLE movements DROP CONSTRAINT movements_sku_fkey;
ALTER TABLE movements DROP CONSTRAINT movements_location_fkey;

-- The ledger triggers reach positions and pick loads only by primary key, for the keys
-- of one statement's rows. The planner has no statistics on transition tables and a
-- plan cached by a pooled connection outlives the table's growth, so left to itself it
-- may keep scanning the whole positions table (catalogue x network rows) for a batch of
-- one movement. Index access is right for every batch size here.
ALTER FUNCTION apply_movements() SET enable_seqscan = off;
ALTER FUNCTION add_pick_loads(text[], date[], bigint[]) SET enable_seqscan = off;
