-- Idempotent event intake: every event from a channel or importer is recorded once per
-- (source, external id). A repeat with the same content is a no-op; a repeat with other
-- content is refused by the engine.

CREATE TABLE intake_events (
    id           bigserial PRIMARY KEY,
    source       text NOT NULL CHECK (source <> ''),
    external_id  text NOT NULL CHECK (external_id <> ''),
    payload_hash text NOT NULL CHECK (payload_hash ~ '^[0-9a-f]{64}$'),
    payload      jsonb NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, external_id)
);
COMMENT ON COLUMN intake_events.source IS 'System that sent the event (a channel, an importer).';
COMMENT ON COLUMN intake_events.external_id IS 'The sender''s own id; with source, the idempotency key.';
COMMENT ON COLUMN intake_events.payload_hash IS 'SHA-256 of the canonical payload, to tell a repeat from a conflict.';
COMMENT ON COLUMN intake_events.payload IS 'The event as received, for audit and replay.';
COMMENT ON COLUMN intake_events.received_at IS 'When Stockroom first accepted the event.';
