-- Rules that keep the ledger honest: movements are never changed, positions are written
-- only by the ledger, and promises never drive availability below zero.

CREATE FUNCTION refuse_ledger_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'movements are append-only: record a correcting movement instead'
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER movements_append_only BEFORE UPDATE OR DELETE ON movements
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_edit();
CREATE TRIGGER movements_no_truncate BEFORE TRUNCATE ON movements
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_edit();

CREATE FUNCTION apply_movements() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    refused record;
BEGIN
    -- Rows for new keys first (all zero), so the update below only ever adds deltas:
    -- a CHECK on an INSERT would see a lone negative delta and refuse it wrongly.
    INSERT INTO positions (sku, location)
    SELECT DISTINCT sku, location FROM new_rows
    ORDER BY sku, location
    ON CONFLICT (sku, location) DO NOTHING;

    -- Lock the touched positions in key order, so concurrent batches cannot deadlock.
    PERFORM 1 FROM positions p
    WHERE (p.sku, p.location) IN (SELECT sku, location FROM new_rows)
    ORDER BY p.sku, p.location
    FOR UPDATE;

    WITH legs AS (
        SELECT sku, location, to_state AS state, quantity AS delta, 1 AS moves
        FROM new_rows WHERE to_state IS NOT NULL
        UNION ALL
        SELECT sku, location, from_state, -quantity, 1
        FROM new_rows WHERE from_state IS NOT NULL AND to_state IS NULL
        UNION ALL
        SELECT sku, location, from_state, -quantity, 0
        FROM new_rows WHERE from_state IS NOT NULL AND to_state IS NOT NULL
    ), per_key AS (
        SELECT sku, location,
            coalesce(sum(delta) FILTER (WHERE state = 'available'), 0) AS available,
            coalesce(sum(delta) FILTER (WHERE state = 'reserved'), 0) AS reserved,
            coalesce(sum(delta) FILTER (WHERE state = 'in_transit'), 0) AS in_transit,
            coalesce(sum(delta) FILTER (WHERE state = 'damaged'), 0) AS damaged,
            coalesce(sum(delta) FILTER (WHERE state = 'quarantined'), 0) AS quarantined,
            coalesce(sum(delta) FILTER (WHERE state = 'return_pending'), 0) AS return_pending,
            coalesce(sum(delta) FILTER (WHERE state = 'inbound'), 0) AS inbound,
            sum(moves) AS moves
        FROM legs GROUP BY sku, location
    )
    UPDATE positions p SET
        available = p.available + k.available,
        reserved = p.reserved + k.reserved,
        in_transit = p.in_transit + k.in_transit,
        damaged = p.damaged + k.damaged,
        quarantined = p.quarantined + k.quarantined,
        return_pending = p.return_pending + k.return_pending,
        inbound = p.inbound + k.inbound,
        movement_count = p.movement_count + k.moves,
        updated_at = now()
    FROM per_key k
    WHERE p.sku = k.sku AND p.location = k.location;

    -- A promise (reservation, transfer out, ...) must find the units free.
    SELECT n.sku, n.location, p.available, sum(n.quantity) AS requested INTO refused
    FROM new_rows n JOIN positions p USING (sku, location)
    WHERE n.from_state = 'available' AND NOT n.is_fact AND p.available < 0
    GROUP BY n.sku, n.location, p.available
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insufficient available: % at % has % available; % requested',
            refused.sku, refused.location, refused.available + refused.requested,
            refused.requested
            USING ERRCODE = 'check_violation';
    END IF;

    -- A fact that oversold is recorded, and raises an exception for someone to own.
    INSERT INTO stock_exceptions AS e (kind, sku, location, detail)
    SELECT DISTINCT ON (n.sku, n.location) 'negative_available', n.sku, n.location,
        format('%s at %s has %s available after %s %s', n.sku, n.location, p.available,
               n.kind, coalesce(n.reference, ''))
    FROM new_rows n JOIN positions p USING (sku, location)
    WHERE n.from_state = 'available' AND p.available < 0
    ORDER BY n.sku, n.location, n.id DESC
    ON CONFLICT (kind, sku, location, coalesce(order_id, 0)) WHERE resolved_at IS NULL
    DO UPDATE SET detail = excluded.detail, last_seen_at = now();

    RETURN NULL;
END $$;

CREATE TRIGGER movements_apply AFTER INSERT ON movements
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION apply_movements();

CREATE FUNCTION guard_positions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'positions are written only by the ledger: insert a movement'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER positions_written_by_ledger BEFORE INSERT OR UPDATE OR DELETE ON positions
    FOR EACH ROW EXECUTE FUNCTION guard_positions();
