-- Channel-aware availability rules, versioned. A rule applies to a channel (or every
-- channel) at a location, a kind of location, or everywhere; the most specific rule in
-- force wins. Rules are never edited: a change is a new version with its own effective
-- date and author, so any past promise can be explained by the rule then in force.

CREATE TABLE availability_rules (
    id              bigserial PRIMARY KEY,
    rule_key        text NOT NULL CHECK (rule_key <> ''),
    version         integer NOT NULL CHECK (version > 0),
    channel         text REFERENCES channels (code),
    location        text REFERENCES locations (code),
    location_kind   location_kind,
    safety_stock    bigint NOT NULL DEFAULT 0 CHECK (safety_stock >= 0),
    pool_hold       bigint NOT NULL DEFAULT 0 CHECK (pool_hold >= 0),
    excluded        boolean NOT NULL DEFAULT false,
    include_inbound boolean NOT NULL DEFAULT false,
    pickup_fallback boolean NOT NULL DEFAULT false,
    daily_capacity  integer CHECK (daily_capacity >= 0),
    cutoff_local    time,
    effective_from  timestamptz NOT NULL,
    author          text NOT NULL CHECK (author <> ''),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (rule_key, version),
    CHECK (location IS NULL OR location_kind IS NULL)
);
COMMENT ON COLUMN availability_rules.rule_key IS 'Names the rule across its versions.';
COMMENT ON COLUMN availability_rules.version IS 'Increases with every change of the rule.';
COMMENT ON COLUMN availability_rules.channel IS 'Channel the rule limits; NULL = every channel.';
COMMENT ON COLUMN availability_rules.location IS 'One location; NULL = by kind or everywhere.';
COMMENT ON COLUMN availability_rules.location_kind IS 'A kind of location; NULL with no location = everywhere.';
COMMENT ON COLUMN availability_rules.safety_stock IS 'Units per SKU never promised to this channel here.';
COMMENT ON COLUMN availability_rules.pool_hold IS 'Units per SKU held for another pool (walk-in trade, click-and-collect).';
COMMENT ON COLUMN availability_rules.excluded IS 'The channel may not draw on this location at all.';
COMMENT ON COLUMN availability_rules.include_inbound IS 'Supplier inbound counts towards the promise (later date).';
COMMENT ON COLUMN availability_rules.pickup_fallback IS 'Click-and-collect may fall back to other locations.';
COMMENT ON COLUMN availability_rules.daily_capacity IS 'Order lines per day this channel may take here; NULL = the site''s capacity.';
COMMENT ON COLUMN availability_rules.cutoff_local IS 'Carrier cutoff for this channel; NULL = the site''s cutoff.';
COMMENT ON COLUMN availability_rules.effective_from IS 'When this version starts to apply.';
COMMENT ON COLUMN availability_rules.author IS 'Who made this version.';
COMMENT ON COLUMN availability_rules.recorded_at IS 'When this version was recorded.';
