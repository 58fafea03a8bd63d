import type {
  AppStatus,
  Movement,
  Position,
  ReplaySummary,
  SkuView,
  StockTotals,
} from "../api";

export const totals = (over: Partial<StockTotals> = {}): StockTotals => ({
  on_hand: 0,
  available: 0,
  reserved: 0,
  in_transit: 0,
  damaged: 0,
  quarantined: 0,
  return_pending: 0,
  inbound: 0,
  ...over,
});

export const position = (over: Partial<Position> = {}): Position => ({
  sku: "85123A",
  description: "WHITE HANGING HEART T-LIGHT HOLDER",
  location: "DC-SOUTH",
  location_name: "Southern DC",
  location_kind: "distribution_centre",
  movement_count: 42,
  ...totals({ on_hand: 12500, available: 12340, reserved: 160, inbound: 2000 }),
  ...over,
});

export const skuView: SkuView = {
  product: { sku: "85123A", description: "WHITE HANGING HEART T-LIGHT HOLDER", base_unit: "each" },
  positions: [
    position(),
    position({
      location: "ST-LEEDS",
      location_name: "Leeds",
      location_kind: "store",
      ...totals({ on_hand: 3, available: -4, reserved: 7 }),
    }),
  ],
  totals: totals({ on_hand: 12503, available: 12336, reserved: 167, inbound: 2000 }),
};

export const status = (over: Partial<AppStatus> = {}): AppStatus => ({
  mode: "local",
  database: "Local database (embedded PostgreSQL 16)",
  data: { products: 0, locations: 124, movements: 0, events: 0 },
  demo_data_dir: "/data/demo",
  log_dir: "/logs",
  ...over,
});

export const movement = (id: number, over: Partial<Movement> = {}): Movement => ({
  id,
  kind: "sale",
  sku: "85123A",
  location: "DC-SOUTH",
  from_state: "available",
  to_state: null,
  quantity: 6,
  channel: "online",
  unit_price: "2.55",
  reason: null,
  reference: `536${id}`,
  actor: "replay",
  event_time: "2011-07-01T08:26:00Z",
  recorded_at: "2011-07-01T08:26:01Z",
  idempotency_key: `k-${id}`,
  ...over,
});

export const summary: ReplaySummary = {
  from: "2010-12-01",
  to: "2011-09-30",
  days: 304,
  lines_read: 412345,
  lines_applied: 400001,
  skipped: [{ reason: "zero_quantity", lines: 12 }],
  rejected: [{ reason: "unknown_sku", lines: 3 }],
  non_stock: [{ reason: "POST", lines: 1100 }],
  units_sold: 4512345,
  units_returned: 12000,
  units_written_off: 345,
  units_received: 5000000,
  stock: totals({ on_hand: 487655, available: 480000, reserved: 7655 }),
  rejections: [{ file: "sales-2011-01.csv", row: 77, field: "StockCode", reason: "unknown_sku" }],
  elapsed_ms: 83500,
};
