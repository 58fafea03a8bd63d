-- An order's lines and routing decisions refer to the order, and its allocations to
-- their line, through checks made once per statement instead of foreign keys.
--
-- A foreign key checks every new row with a query of its own and locks the parent row
-- (FOR KEY SHARE), which rewrites the parent's page and adds a WAL record for each line,
-- decision and allocation, even when the parent was inserted by the same transaction a
-- moment before. Capture writes a batch of orders with one statement per table, so one
-- anti-join per statement proves the same thing at a fraction of the cost.
--
-- The other half of what the foreign keys guaranteed is that a parent never goes away:
-- orders and order lines are never deleted, and no key on either side ever changes.
--
-- The checks are written once per table, as static queries, and replace the generic
-- checks of 20261204000800: a generic check built its query as text and planned it on
-- every statement, which cost more than the check itself for a batch of a few orders.
-- Each probe is a correlated subquery (OFFSET 0 keeps the planner from turning it into
-- a join): one index lookup per row, whatever the size of the table or of the batch. A
-- cached plan that hashed a whole table would read every order to check one line.

CREATE FUNCTION refuse_missing_reference(tab text, col text, val text, master text, key text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%.% %: no such % (key %)', tab, col, val, master, key
        USING ERRCODE = 'foreign_key_violation';
END $$;

CREATE FUNCTION orders_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    SELECT n.channel INTO missing FROM (SELECT DISTINCT channel FROM new_rows) n
    WHERE NOT EXISTS (SELECT 1 FROM channels m WHERE m.code = n.channel OFFSET 0) LIMIT 1;
    IF FOUND THEN
        PERFORM refuse_missing_reference('orders', 'channel', missing, 'channels', 'code');
    END IF;
    SELECT n.pickup_location INTO missing FROM (SELECT DISTINCT pickup_location FROM new_rows) n
    WHERE n.pickup_location IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM locations m WHERE m.code = n.pickup_location OFFSET 0)
    LIMIT 1;
    IF FOUND THEN
        PERFORM refuse_missing_reference('orders', 'pickup_location', missing, 'locations',
                                         'code');
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION order_lines_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    SELECT n.sku INTO missing FROM (SELECT DISTINCT sku FROM new_rows) n
    WHERE NOT EXISTS (SELECT 1 FROM products m WHERE m.sku = n.sku OFFSET 0) LIMIT 1;
    IF FOUND THEN
        PERFORM refuse_missing_reference('order_lines', 'sku', missing, 'products', 'sku');
    END IF;
    SELECT n.order_id::text INTO missing FROM (SELECT DISTINCT order_id FROM new_rows) n
    WHERE NOT EXISTS (SELECT 1 FROM orders m WHERE m.id = n.order_id OFFSET 0) LIMIT 1;
    IF FOUND THEN
        PERFORM refuse_missing_reference('order_lines', 'order_id', missing, 'orders', 'id');
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION routing_decisions_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    SELECT n.order_id::text INTO missing FROM (SELECT DISTINCT order_id FROM new_rows) n
    WHERE NOT EXISTS (SELECT 1 FROM orders m WHERE m.id = n.order_id OFFSET 0) LIMIT 1;
    IF FOUND THEN
        PERFORM refuse_missing_reference('routing_decisions', 'order_id', missing, 'orders',
                                         'id');
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION allocations_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    SELECT n.location INTO missing FROM (SELECT DISTINCT location FROM new_rows) n
    WHERE NOT EXISTS (SELECT 1 FROM locations m WHERE m.code = n.location OFFSET 0) LIMIT 1;
    IF FOUND THEN
        PERFORM refuse_missing_reference('allocations', 'location', missing, 'locations',
                                         'code');
    END IF;
    SELECT n.order_id || '/' || n.line_no INTO missing FROM new_rows n
    WHERE NOT EXISTS (SELECT 1 FROM order_lines m
                      WHERE m.order_id = n.order_id AND m.line_no = n.line_no OFFSET 0)
    LIMIT 1;
    IF FOUND THEN
        PERFORM refuse_missing_reference('allocations', '(order_id, line_no)', missing,
                                         'order_lines', 'order_id, line_no');
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION movements_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    SELECT n.channel INTO missing FROM (SELECT DISTINCT channel FROM new_rows) n
    WHERE n.channel IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM channels m WHERE m.code = n.channel OFFSET 0) LIMIT 1;
    IF FOUND THEN
        PERFORM refuse_missing_reference('movements', 'channel', missing, 'channels', 'code');
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION refuse_parent_removal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are never deleted or re-keyed: % refer to them',
        TG_TABLE_NAME, TG_ARGV[0]
        USING ERRCODE = 'restrict_violation';
END $$;

ALTER TABLE order_lines DROP CONSTRAINT order_lines_order_id_fkey;
ALTER TABLE routing_decisions DROP CONSTRAINT routing_decisions_order_id_fkey;
ALTER TABLE allocations DROP CONSTRAINT allocations_order_id_line_no_fkey;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['orders', 'order_lines', 'routing_decisions', 'allocations',
                             'movements']
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %1$s_check_references ON %1$I', t);
        EXECUTE format('CREATE TRIGGER %1$s_check_references AFTER INSERT ON %1$I
                            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
                            EXECUTE FUNCTION %1$s_check_references()', t);
    END LOOP;
END $$;

CREATE TRIGGER orders_never_deleted BEFORE DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION refuse_parent_removal('order lines and decisions');
CREATE TRIGGER orders_never_truncated BEFORE TRUNCATE ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_parent_removal('order lines and decisions');
CREATE TRIGGER orders_never_rekeyed BEFORE UPDATE OF id ON orders
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION refuse_parent_removal('order lines and decisions');
CREATE TRIGGER order_lines_never_deleted BEFORE DELETE ON order_lines
    FOR EACH ROW EXECUTE FUNCTION refuse_parent_removal('allocations');
CREATE TRIGGER order_lines_never_truncated BEFORE TRUNCATE ON order_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_parent_removal('allocations');
CREATE TRIGGER order_lines_never_rekeyed BEFORE UPDATE OF order_id, line_no ON order_lines
    FOR EACH ROW WHEN (OLD.order_id IS DISTINCT FROM NEW.order_id
                       OR OLD.line_no IS DISTINCT FROM NEW.line_no)
    EXECUTE FUNCTION refuse_parent_removal('allocations');

CREATE TRIGGER routing_decisions_order_fixed BEFORE UPDATE OF order_id ON routing_decisions
    FOR EACH ROW WHEN (OLD.order_id IS DISTINCT FROM NEW.order_id)
    EXECUTE FUNCTION refuse_reference_change('order_id');
CREATE TRIGGER allocations_line_fixed BEFORE UPDATE OF order_id, line_no ON allocations
    FOR EACH ROW WHEN (OLD.order_id IS DISTINCT FROM NEW.order_id
                       OR OLD.line_no IS DISTINCT FROM NEW.line_no)
    EXECUTE FUNCTION refuse_reference_change('order_id, line_no');

-- Nothing reads allocations by day and location: the day's load is kept in pick_loads.
DROP INDEX allocations_load_idx;

-- The expiry sweep reads open orders that can expire; confirmed orders (most of them)
-- have no expiry and need no entry.
DROP INDEX orders_open_idx;
CREATE INDEX orders_expiring_idx ON orders (expires_at)
    WHERE closed_at IS NULL AND expires_at IS NOT NULL;

DROP FUNCTION check_master_references();

-- A decision's candidates are written once per order and read back whole; kept as the
-- text the engine wrote (json), they skip jsonb's conversion on the capture path and
-- take less room. Queries may still use the JSON operators on them.
ALTER TABLE routing_decisions ALTER COLUMN candidates TYPE json USING candidates::json;
