-- Master data: products, the location network and sales channels.

CREATE TYPE location_kind AS ENUM ('distribution_centre', 'dark_store', 'store', 'returns_hub');
CREATE TYPE channel_kind AS ENUM ('web', 'store', 'marketplace', 'b2b', 'click_and_collect');

CREATE TABLE products (
    sku         text PRIMARY KEY CHECK (sku <> '' AND sku = btrim(sku)),
    description text NOT NULL DEFAULT '',
    base_unit   text NOT NULL DEFAULT 'each' CHECK (base_unit <> ''),
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN products.sku IS 'Stock keeping unit as the retailer writes it; case-sensitive.';
COMMENT ON COLUMN products.description IS 'Latest description seen for the SKU.';
COMMENT ON COLUMN products.base_unit IS 'Unit every quantity of this SKU is counted in (integers only).';
COMMENT ON COLUMN products.created_at IS 'When the SKU first entered the catalogue.';

CREATE TABLE locations (
    code                 text PRIMARY KEY CHECK (code <> ''),
    kind                 location_kind NOT NULL,
    name                 text NOT NULL,
    town                 text NOT NULL,
    latitude             double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude            double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    town_population      bigint NOT NULL CHECK (town_population >= 0),
    ships_orders         boolean NOT NULL,
    offers_pickup        boolean NOT NULL,
    daily_pick_capacity  integer NOT NULL CHECK (daily_pick_capacity >= 0),
    carrier_cutoff_local time
);
COMMENT ON COLUMN locations.kind IS 'What the site is; drives routing and GL accounts.';
COMMENT ON COLUMN locations.latitude IS 'WGS84 coordinates, for distance to customers.';
COMMENT ON COLUMN locations.longitude IS 'WGS84 coordinates, for distance to customers.';
COMMENT ON COLUMN locations.town_population IS 'Population of the town served; sizes demand.';
COMMENT ON COLUMN locations.ships_orders IS 'Can pick and ship customer orders.';
COMMENT ON COLUMN locations.offers_pickup IS 'Offers click-and-collect.';
COMMENT ON COLUMN locations.daily_pick_capacity IS 'Order lines the site can pick per day.';
COMMENT ON COLUMN locations.carrier_cutoff_local IS 'Local time of the last carrier collection.';

CREATE TABLE channels (
    code text PRIMARY KEY CHECK (code <> ''),
    kind channel_kind NOT NULL,
    name text NOT NULL
);
COMMENT ON COLUMN channels.kind IS 'Channel family; availability rules are set per channel.';

INSERT INTO channels (code, kind, name) VALUES
    ('WEB', 'web', 'Online shop'),
    ('STORE', 'store', 'Store tills'),
    ('MARKETPLACE', 'marketplace', 'Marketplaces'),
    ('B2B', 'b2b', 'Business customers'),
    ('CLICK_COLLECT', 'click_and_collect', 'Click and collect');
