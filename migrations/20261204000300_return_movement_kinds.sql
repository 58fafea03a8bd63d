-- What happens to returned units after inspection. Each disposition is its own movement
-- kind so that finance can post it to its own account and forecasts never mistake a
-- liquidation for customer demand. None of them is a fact: they are decisions, and none
-- takes units from `available`, so the ledger's promise check never applies to them.
-- (Added in their own migration: PostgreSQL cannot use a new enum label in the
-- transaction that adds it.)
ALTER TYPE movement_kind ADD VALUE 'restock';
ALTER TYPE movement_kind ADD VALUE 'refurbish';
ALTER TYPE movement_kind ADD VALUE 'vendor_return';
ALTER TYPE movement_kind ADD VALUE 'liquidation';
ALTER TYPE movement_kind ADD VALUE 'scrap';
