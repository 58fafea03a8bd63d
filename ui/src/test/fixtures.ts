import type {
  AccountTotal,
  AppStatus,
  Candidate,
  CloseOutcome,
  DecisionDetail,
  DecisionOutcome,
  DecisionRow,
  DemandSeries,
  Disposition,
  DrillRow,
  Exception,
  FulfilmentKpis,
  GradeOptions,
  JournalLine,
  KpiRow,
  Location,
  MonthFigures,
  Movement,
  OrderDetail,
  OrderSummary,
  Period,
  PlanSummary,
  Policy,
  Position,
  Proposal,
  PurchaseOrderLine,
  PurchaseOrderSummary,
  Reconciliation,
  ReconRow,
  RecoveryOption,
  RecoveryRules,
  ReplaySummary,
  ReturnDetail,
  ReturnLineDetail,
  ReturnSummary,
  Rule,
  SkuView,
  StockTotals,
  TransferLine,
  TransferSummary,
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
  returns: null,
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

export const proposal = (id: number, over: Partial<Proposal> = {}): Proposal => ({
  id,
  plan_run: 3,
  kind: "transfer",
  sku: "85123A",
  description: "WHITE HANGING HEART T-LIGHT HOLDER",
  location: "ST-LEEDS",
  source_location: "DC-NORTH",
  supplier: null,
  quantity: 24,
  urgency: "due",
  daily_demand: 2.4286,
  inventory_position: 9,
  safety_stock: 6,
  reorder_point: 11,
  order_up_to: 33,
  explanation: "ST-LEEDS holds 9 against a reorder point of 11; ship 24 from DC-NORTH.",
  status: "proposed",
  approved_quantity: null,
  decided_by: null,
  decided_at: null,
  decision_note: null,
  purchase_order_id: null,
  transfer_id: null,
  ...over,
});

/** 84 days of history from 2010-12-01 (a sale of 3 every Monday), then 28 forecast days. */
export const demandSeries = (over: Partial<DemandSeries> = {}): DemandSeries => ({
  sku: "85123A",
  location: "ST-LEEDS",
  history_from: "2010-12-01",
  history: Array.from({ length: 84 }, (_, i) => (i % 7 === 5 ? 3 : 0)),
  forecast: {
    method: "tsb",
    mean: Array.from({ length: 28 }, () => 0.43),
    lower: Array.from({ length: 28 }, () => 0),
    upper: Array.from({ length: 28 }, () => 1.2),
    daily_sd: 1.1339,
  },
  ...over,
});

export const planSummary = (over: Partial<PlanSummary> = {}): PlanSummary => ({
  plan_run: 4,
  policy_version: 2,
  planned_rows: 9120,
  purchases: 140,
  transfers: 1260,
  rebalances: 12,
  critical: 37,
  units: 48211,
  without_supplier: 0,
  duration_ms: 1840,
  ...over,
});

export const transferSummary = (
  id: number,
  over: Partial<TransferSummary> = {},
): TransferSummary => ({
  id,
  source: "DC-NORTH",
  destination: "ST-LEEDS",
  status: "open",
  shipped_at: "2011-07-01T16:00:00Z",
  expected_at: "2011-07-03T16:00:00Z",
  created_by: "planner",
  lines: 2,
  shipped: 36,
  accepted: 0,
  rejected: 0,
  in_transit: 36,
  late: false,
  ...over,
});

export const transferLine = (lineNo: number, over: Partial<TransferLine> = {}): TransferLine => ({
  line_no: lineNo,
  sku: lineNo === 1 ? "85123A" : "22423",
  shipped: 24,
  accepted: 0,
  rejected: 0,
  in_transit: 24,
  ...over,
});

export const purchaseOrder = (
  id: number,
  over: Partial<PurchaseOrderSummary> = {},
): PurchaseOrderSummary => ({
  id,
  supplier: "SUP-HOME",
  location: "DC-SOUTH",
  status: "open",
  ordered_at: "2011-07-01T16:00:00Z",
  expected_at: "2011-07-15T16:00:00Z",
  created_by: "planner",
  lines: 1,
  ordered: 480,
  received: 0,
  rejected: 0,
  open: 480,
  late: false,
  ...over,
});

export const purchaseOrderLine = (
  lineNo: number,
  over: Partial<PurchaseOrderLine> = {},
): PurchaseOrderLine => ({
  line_no: lineNo,
  sku: "85123A",
  ordered: 480,
  received: 0,
  rejected: 0,
  open: 480,
  unit_cost: "1.4",
  ...over,
});

export const policy = (version: number, over: Partial<Policy> = {}): Policy => ({
  version,
  effective_from: "2011-06-01T08:00:00Z",
  author: "planner",
  service_level: 0.95,
  review_days: 7,
  rebalance_max_km: 40,
  note: "",
  ...over,
});

export const location = (code: string, over: Partial<Location> = {}): Location => ({
  code,
  kind: code.startsWith("DC-") ? "distribution_centre" : "store",
  name: code,
  town: "Leeds",
  latitude: 53.8,
  longitude: -1.55,
  town_population: 455123,
  ships_orders: true,
  offers_pickup: !code.startsWith("DC-"),
  daily_pick_capacity: 400,
  carrier_cutoff_local: "15:00:00",
  ...over,
});

export const returnSummary = (id: number, over: Partial<ReturnSummary> = {}): ReturnSummary => ({
  id,
  channel: "WEB",
  external_id: `RMA-${id}`,
  location: "ST-LEEDS",
  status: "received",
  order_external_id: `W-${id}`,
  customer_ref: `C-${id}`,
  lines: 2,
  unlinked_lines: 0,
  units: 4,
  units_waiting: 4,
  captured_at: "2011-07-01T08:00:00Z",
  received_at: "2011-07-01T09:00:00Z",
  age_hours: 50,
  ...over,
});

export const recoveryRules: RecoveryRules = {
  version: 1,
  resale_as_new: "0.90",
  resale_open_box: "0.70",
  refurbished_resale: "0.60",
  refurbish_cost: "0.15",
  vendor_credit: "0.50",
  liquidation: "0.20",
  handling_per_unit: "0.50",
};

const option = (
  disposition: Disposition,
  allowed: boolean,
  unit_recovery: string,
  suggested = false,
): RecoveryOption => ({ disposition, allowed, unit_recovery, suggested });

/** The engine's options for a unit sold at £2.55 under `recoveryRules`, grade by grade. */
export const gradesAt255: GradeOptions[] = [
  {
    grade: "as_new",
    options: [
      option("restock", true, "1.7950", true),
      option("refurbish", false, "0.6475"),
      option("return_to_vendor", false, "1.2750"),
      option("liquidate", true, "0.5100"),
      option("scrap", true, "0"),
    ],
  },
  {
    grade: "open_box",
    options: [
      option("restock", true, "1.2850", true),
      option("refurbish", true, "0.6475"),
      option("return_to_vendor", false, "1.2750"),
      option("liquidate", true, "0.5100"),
      option("scrap", true, "0"),
    ],
  },
  ...(["damaged", "defective"] as const).map((grade) => ({
    grade,
    options: [
      option("restock", false, "-0.50"),
      option("refurbish", true, "0.6475"),
      option("return_to_vendor", true, "1.2750", true),
      option("liquidate", true, "0.5100"),
      option("scrap", true, "0"),
    ],
  })),
];

export const returnLine = (
  lineNo: number,
  over: Partial<ReturnLineDetail> = {},
): ReturnLineDetail => ({
  line_no: lineNo,
  sku: lineNo === 1 ? "85123A" : "22423",
  description: lineNo === 1 ? "WHITE HANGING HEART T-LIGHT HOLDER" : "REGENCY CAKESTAND 3 TIER",
  quantity: 3,
  reason: "changed_mind",
  reason_label: "Changed mind",
  order_line_no: lineNo,
  unit_price: "2.55",
  received: 3,
  disposed: 0,
  grades: gradesAt255,
  ...over,
});

export const returnDetail = (id: number, over: Partial<ReturnDetail> = {}): ReturnDetail => ({
  summary: returnSummary(id, { units: 6, units_waiting: 6 }),
  lines: [returnLine(1), returnLine(2)],
  decisions: [],
  rules: recoveryRules,
  ...over,
});

export const decisionRow = (id: number, over: Partial<DecisionRow> = {}): DecisionRow => ({
  id,
  line_no: 1,
  quantity: 3,
  grade: "open_box",
  disposition: "restock",
  suggested: "restock",
  override_reason: null,
  destination: "ST-LEEDS",
  transfer_id: null,
  original_value: "7.65",
  recovery: "3.86",
  decided_at: "2011-07-02T10:00:00Z",
  decided_by: "desk-1",
  refurbished_at: null,
  ...over,
});

export const decisionOutcome = (over: Partial<DecisionOutcome> = {}): DecisionOutcome => ({
  decision_id: 31,
  disposition: "restock",
  suggested: "restock",
  recovery: "3.86",
  destination: "ST-LEEDS",
  transfer_id: null,
  return_closed: false,
  ...over,
});

export const kpiRow = (key: string, over: Partial<KpiRow> = {}): KpiRow => ({
  key,
  decisions: 12,
  units: 30,
  median_cycle_hours: 26.5,
  mean_cycle_hours: 31.25,
  resold_units: 18,
  mean_resale_hours: 40,
  original_value: "250.00",
  recovery: "150.50",
  recovery_rate: 0.602,
  ...over,
});

export const reconRow = (
  account: string,
  location: string,
  over: Partial<ReconRow> = {},
): ReconRow => ({
  account,
  account_name: account === "1350" ? "Goods in transit" : "Inventory: distribution centres",
  location,
  sku: "",
  ledger_value: "12500.00",
  gl_value: "12500.00",
  difference: "0.00",
  units: 5000,
  ...over,
});

/** A reconciled day: both sides agree at every account and location. */
export const reconciliation = (over: Partial<Reconciliation> = {}): Reconciliation => ({
  as_of: "2026-01-31",
  cutoff: "2026-02-01T00:00:00Z",
  time_zone: "Europe/London",
  ledger_value: "15250.40",
  gl_value: "15250.40",
  difference: "0.00",
  by_location: [
    reconRow("1300", "DC-SOUTH"),
    reconRow("1310", "ST-LEEDS", {
      account_name: "Inventory: stores",
      ledger_value: "2750.40",
      gl_value: "2750.40",
      units: 1100,
    }),
  ],
  variances: [],
  ...over,
});

export const drillRow = (movementId: number, over: Partial<DrillRow> = {}): DrillRow => ({
  movement_id: movementId,
  event_time: "2026-01-15T10:30:00Z",
  kind: "receipt",
  sku: "85123A",
  location: "DC-SOUTH",
  reference: `GRN-${movementId}`,
  quantity: 100,
  ledger_value: "255.00",
  gl_value: "255.00",
  entries: 1,
  ...over,
});

export const journalLine = (
  entryId: number,
  lineNo: number,
  over: Partial<JournalLine> = {},
): JournalLine => ({
  entry_id: entryId,
  kind: "posting",
  event_time: "2026-01-15T10:30:00Z",
  day: "2026-01-15",
  period: "2026-01-01",
  movement_id: 900 + entryId,
  memo: `receipt GRN-${entryId}`,
  line_no: lineNo,
  account: lineNo === 1 ? "1300" : "2100",
  account_name: lineNo === 1 ? "Inventory: distribution centres" : "Goods received not invoiced",
  location: "DC-SOUTH",
  sku: "85123A",
  debit: lineNo === 1 ? "255.00" : "0.00",
  credit: lineNo === 1 ? "0.00" : "255.00",
  ...over,
});

export const accountTotal = (account: string, over: Partial<AccountTotal> = {}): AccountTotal => ({
  account,
  account_name: account === "1300" ? "Inventory: distribution centres" : "Cost of goods sold",
  debit: "1000.00",
  credit: "250.50",
  balance: "749.50",
  ...over,
});

export const period = (month: string, over: Partial<Period> = {}): Period => ({
  month,
  status: "open",
  changed_by: null,
  entries: 1234,
  debits: "56789.10",
  ...over,
});

export const closeOutcome = (over: Partial<CloseOutcome> = {}): CloseOutcome => ({
  month: "2026-01-01",
  status: "closed",
  reconciliation: reconciliation(),
  exceptions_raised: 0,
  ...over,
});

export const monthFigures = (period: string, over: Partial<MonthFigures> = {}): MonthFigures => ({
  period,
  stock_value: "15250.40",
  cogs: "4200.00",
  returns: "310.25",
  write_offs: "45.10",
  liquidation: "12.00",
  price_variance: "-3.456",
  received: "6000.00",
  ...over,
});
