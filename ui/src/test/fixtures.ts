import type {
  AppStatus,
  Candidate,
  DecisionDetail,
  Exception,
  FulfilmentKpis,
  Movement,
  OrderDetail,
  OrderSummary,
  Position,
  ReplaySummary,
  Rule,
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

export const fulfilment = (over: Partial<FulfilmentKpis> = {}): FulfilmentKpis => ({
  orders: 1550,
  orders_complete: 1541,
  orders_partial: 9,
  orders_unfilled: 0,
  units_ordered: 358764,
  units_shipped: 358750,
  units_open: 0,
  shipments: 1942,
  split_orders: 287,
  fill_rate: 0.99996,
  order_fill_rate: 0.99419,
  split_rate: 0.18516,
  average_distance_km: 96.316,
  cost_per_order: "25.60",
  ...over,
});

export const summary: ReplaySummary = {
  from: "2010-12-01",
  to: "2011-09-30",
  days: 304,
  mode: "orders",
  orders_captured: 1550,
  units_ordered: 4512400,
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
  fulfilment: fulfilment(),
  rejections: [{ file: "sales-2011-01.csv", row: 77, field: "StockCode", reason: "unknown_sku" }],
  elapsed_ms: 83500,
};

export const orderSummary = (id: number, over: Partial<OrderSummary> = {}): OrderSummary => ({
  id,
  channel: "WEB",
  external_id: `W-${id}`,
  status: "open",
  placed_at: "2011-07-01T08:00:00Z",
  expires_at: null,
  closed_at: null,
  age_hours: 3.4,
  lines: 1,
  units: 6,
  reserved_open: 6,
  shipped: 0,
  locations: 1,
  order_value: "15.3",
  ...over,
});

export const candidate = (location: string, over: Partial<Candidate> = {}): Candidate => ({
  location,
  kind: "distribution_centre",
  distance_km: 182.44,
  units: 6,
  ship_date: "2011-07-01",
  promise_date: "2011-07-04",
  cost: "4.2",
  score: "4.20",
  rule: "default",
  chosen: false,
  verdict: "dearer than DC-SOUTH",
  ...over,
});

export const decisionDetail = (over: Partial<DecisionDetail> = {}): DecisionDetail => ({
  candidates: [
    candidate("DC-SOUTH", { chosen: true, verdict: "cheapest on time", cost: "3.95" }),
    candidate("DC-NORTH"),
  ],
  locations_without_stock: 118,
  requested_units: 6,
  filled_units: 6,
  shipping_cost: "3.95",
  ...over,
});

export const orderDetail = (id: number, over: Partial<OrderDetail> = {}): OrderDetail => ({
  summary: orderSummary(id),
  partial_policy: "all_or_nothing",
  pickup_location: null,
  customer: [51.5074, -0.1278],
  lines: [{ line_no: 1, sku: "85123A", quantity: 6, unit_price: "2.55" }],
  allocations: [
    {
      id: 70,
      line_no: 1,
      sku: "85123A",
      location: "DC-SOUTH",
      quantity: 6,
      shipped: 0,
      released: 0,
      open: 6,
      ship_day: "2011-07-01",
    },
  ],
  decisions: [
    {
      seq: 1,
      rule: "nearest_on_time",
      policy: "sourcing-v3",
      explanation: "DC-SOUTH can ship all 6 units today at the lowest cost.",
      candidates: decisionDetail(),
      decided_at: "2011-07-01T08:00:01Z",
    },
  ],
  ...over,
});

export const exception = (id: number, over: Partial<Exception> = {}): Exception => ({
  id,
  kind: "store_not_found",
  sku: "85123A",
  location: "ST-LEEDS",
  order_id: 12,
  detail: "ST-LEEDS could not find 2 units at pick",
  owner: null,
  raised_at: "2011-07-01T08:00:00Z",
  last_seen_at: "2011-07-01T08:00:00Z",
  age_hours: 50,
  resolved_at: null,
  resolved_by: null,
  resolution: null,
  ...over,
});

export const rule = (over: Partial<Rule> = {}): Rule => ({
  rule_key: "web-store-buffer",
  version: 2,
  channel: "WEB",
  location: null,
  location_kind: "store",
  safety_stock: 2,
  pool_hold: 0,
  excluded: false,
  include_inbound: false,
  pickup_fallback: false,
  daily_capacity: null,
  cutoff_local: "15:00:00",
  effective_from: "2011-06-01T00:00:00Z",
  author: "desktop",
  ...over,
});
