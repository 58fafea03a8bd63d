import { Channel } from "@tauri-apps/api/core";
import { commands } from "../bindings";
import type {
  Approval,
  BasketRequest,
  DecisionRequest,
  ExceptionFilter,
  JournalFilter,
  KpiDimension,
  LocationKind,
  OrderFilter,
  OrderRequest,
  PolicyChange,
  PositionQuery,
  ProposalFilter,
  ReceiptLine,
  RefundRequest,
  ReplayProgress,
  ReturnRequest,
  RuleChange,
  SharedProfile,
  ShipLine,
} from "../bindings";
import { unwrap } from "./errors";

/**
 * The only door to the engine. Every function resolves with plain data or
 * rejects with an ApiError; nothing outside src/api/ touches the bindings.
 */
export const api = {
  appStatus: () => unwrap(() => commands.appStatus()),

  loadDemo: (from: string, to: string, onProgress: (p: ReplayProgress) => void) =>
    unwrap(() => {
      const channel = new Channel<ReplayProgress>();
      channel.onmessage = onProgress;
      return commands.loadDemo(from, to, channel);
    }),

  searchProducts: (text: string, limit = 50) =>
    unwrap(() => commands.searchProducts(text, limit)),

  skuPositions: (sku: string) => unwrap(() => commands.skuPositions(sku)),

  positionsPage: (query: PositionQuery) => unwrap(() => commands.positionsPage(query)),

  listLocations: () => unwrap(() => commands.listLocations()),

  positionMovements: (sku: string, location: string, beforeId: number | null, limit = 100) =>
    unwrap(() => commands.positionMovements(sku, location, beforeId, limit)),

  verifyLedger: () => unwrap(() => commands.verifyLedger()),

  getSettings: () => unwrap(() => commands.getSettings()),

  saveSharedProfile: (profile: SharedProfile, password: string | null, remember: boolean) =>
    unwrap(() => commands.saveSharedProfile(profile, password, remember)),

  connectShared: (password: string | null) => unwrap(() => commands.connectShared(password)),

  useLocal: () => unwrap(() => commands.useLocal()),

  listOrders: (filter: OrderFilter) => unwrap(() => commands.listOrders(filter)),

  orderDetail: (orderId: number) => unwrap(() => commands.orderDetail(orderId)),

  fulfilmentKpis: (channel: string | null = null) =>
    unwrap(() => commands.fulfilmentKpis(channel)),

  captureOrder: (order: OrderRequest) => unwrap(() => commands.captureOrder(order)),

  shipOrder: (orderId: number, shipmentRef: string, lines: ShipLine[] | null = null) =>
    unwrap(() => commands.shipOrder(orderId, shipmentRef, lines)),

  cancelOrder: (orderId: number, reason: string) =>
    unwrap(() => commands.cancelOrder(orderId, reason)),

  rejectAtStore: (orderId: number, location: string) =>
    unwrap(() => commands.rejectAtStore(orderId, location)),

  runReleaseWave: () => unwrap(() => commands.runReleaseWave()),

  skuAvailability: (sku: string) => unwrap(() => commands.skuAvailability(sku)),

  checkBasket: (basket: BasketRequest) => unwrap(() => commands.checkBasket(basket)),

  availabilityRules: () => unwrap(() => commands.availabilityRules()),

  saveAvailabilityRule: (change: RuleChange) =>
    unwrap(() => commands.saveAvailabilityRule(change)),

  listExceptions: (filter: ExceptionFilter) => unwrap(() => commands.listExceptions(filter)),

  assignException: (id: number, owner: string) =>
    unwrap(() => commands.assignException(id, owner)),

  resolveException: (id: number, resolution: string) =>
    unwrap(() => commands.resolveException(id, resolution)),

  runPlan: () => unwrap(() => commands.runPlan()),

  refreshForecasts: () => unwrap(() => commands.refreshForecasts()),

  listProposals: (filter: ProposalFilter) => unwrap(() => commands.listProposals(filter)),

  approveProposals: (approvals: Approval[], note: string | null = null) =>
    unwrap(() => commands.approveProposals(approvals, note)),

  rejectProposals: (ids: number[], reason: string) =>
    unwrap(() => commands.rejectProposals(ids, reason)),

  demandSeries: (sku: string, location: string) =>
    unwrap(() => commands.demandSeries(sku, location)),

  listTransfers: (openOnly: boolean) => unwrap(() => commands.listTransfers(openOnly)),

  transferLines: (transferId: number) => unwrap(() => commands.transferLines(transferId)),

  receiveTransfer: (transferId: number, reference: string, lines: ReceiptLine[]) =>
    unwrap(() => commands.receiveTransfer(transferId, reference, lines)),

  listPurchaseOrders: (openOnly: boolean) =>
    unwrap(() => commands.listPurchaseOrders(openOnly)),

  purchaseOrderLines: (id: number) => unwrap(() => commands.purchaseOrderLines(id)),

  receivePurchaseOrder: (id: number, reference: string, lines: ReceiptLine[]) =>
    unwrap(() => commands.receivePurchaseOrder(id, reference, lines)),

  planningPolicies: () => unwrap(() => commands.planningPolicies()),

  changePlanningPolicy: (change: PolicyChange) =>
    unwrap(() => commands.changePlanningPolicy(change)),

  returnsQueue: (location: string | null, announced: boolean) =>
    unwrap(() => commands.returnsQueue(location, announced)),

  findReturns: (text: string) => unwrap(() => commands.findReturns(text)),

  returnDetail: (returnId: number) => unwrap(() => commands.returnDetail(returnId)),

  decideReturns: (decisions: DecisionRequest[]) =>
    unwrap(() => commands.decideReturns(decisions)),

  completeRefurbishment: (decisionId: number) =>
    unwrap(() => commands.completeRefurbishment(decisionId)),

  captureReturn: (request: ReturnRequest) => unwrap(() => commands.captureReturn(request)),

  receiveReturn: (returnId: number) => unwrap(() => commands.receiveReturn(returnId)),

  refundOrderLine: (request: RefundRequest) => unwrap(() => commands.refundOrderLine(request)),

  returnsKpis: (dimension: KpiDimension, from: string | null, to: string | null) =>
    unwrap(() => commands.returnsKpis(dimension, from, to)),

  journalLines: (filter: JournalFilter, limit: number, offset: number) =>
    unwrap(() => commands.journalLines(filter, limit, offset)),

  journalTotals: (filter: JournalFilter) => unwrap(() => commands.journalTotals(filter)),

  reconciliation: (asOf: string) => unwrap(() => commands.reconciliation(asOf)),

  reconciliationDrill: (asOf: string, account: string, location: string, sku: string | null) =>
    unwrap(() => commands.reconciliationDrill(asOf, account, location, sku)),

  financePeriods: () => unwrap(() => commands.financePeriods()),

  closePeriod: (month: string) => unwrap(() => commands.closePeriod(month)),

  financeMonthly: () => unwrap(() => commands.financeMonthly()),

  exportJournal: (filter: JournalFilter) => unwrap(() => commands.exportJournal(filter)),

  exportReconciliation: (asOf: string) => unwrap(() => commands.exportReconciliation(asOf)),
};

export type Api = typeof api;

/** Query keys, kept in one place so invalidation stays consistent. */
export const keys = {
  status: ["app-status"] as const,
  settings: ["settings"] as const,
  locations: ["locations"] as const,
  search: (text: string) => ["search-products", text] as const,
  sku: (sku: string) => ["sku-positions", sku] as const,
  movements: (sku: string, location: string) => ["position-movements", sku, location] as const,
  positionsPage: (search: string, location: string, kind: LocationKind | "") =>
    ["positions-page", search, location, kind] as const,
  orders: (filter: Omit<OrderFilter, "before_id">) => ["orders", filter] as const,
  order: (orderId: number) => ["order", orderId] as const,
  fulfilment: (channel: string) => ["fulfilment-kpis", channel] as const,
  availability: (sku: string) => ["sku-availability", sku] as const,
  rules: ["availability-rules"] as const,
  exceptions: (openOnly: boolean) => ["exceptions", openOnly] as const,
  proposals: (filter: ProposalFilter) => ["proposals", filter] as const,
  demand: (sku: string, location: string) => ["demand-series", sku, location] as const,
  transfers: (openOnly: boolean) => ["transfers", openOnly] as const,
  transferLines: (id: number) => ["transfer-lines", id] as const,
  purchaseOrders: (openOnly: boolean) => ["purchase-orders", openOnly] as const,
  purchaseOrderLines: (id: number) => ["purchase-order-lines", id] as const,
  policies: ["planning-policies"] as const,
  returnsQueue: (location: string | null, announced: boolean) =>
    ["returns-queue", location, announced] as const,
  returnDetail: (returnId: number) => ["return", returnId] as const,
  returnsKpis: (dimension: KpiDimension, from: string | null, to: string | null) =>
    ["returns-kpis", dimension, from, to] as const,
  journalLines: (filter: JournalFilter, offset: number) =>
    ["journal-lines", filter, offset] as const,
  journalTotals: (filter: JournalFilter) => ["journal-totals", filter] as const,
  reconciliation: (asOf: string) => ["reconciliation", asOf] as const,
  reconciliationDrill: (asOf: string, account: string, location: string, sku: string | null) =>
    ["reconciliation-drill", asOf, account, location, sku] as const,
  periods: ["finance-periods"] as const,
  monthly: ["finance-monthly"] as const,
};

/**
 * Prefixes of every query built on the journal. Every valued stock movement posts to it,
 * so a stock change makes them stale as well as a period close.
 */
export const financeQueries: readonly (readonly string[])[] = [
  ["journal-lines"],
  ["journal-totals"],
  ["reconciliation"],
  ["reconciliation-drill"],
  ["finance-periods"],
  ["finance-monthly"],
];

/**
 * Prefixes of every query an order action or a stock change can make stale: orders,
 * exceptions, availability, the inventory views built on the same positions, and the
 * transfers and purchase orders whose units a receipt or an approval moves.
 */
export const stockQueries: readonly (readonly string[])[] = [
  ["orders"],
  ["order"],
  ["fulfilment-kpis"],
  ["exceptions"],
  ["sku-availability"],
  ["sku-positions"],
  ["positions-page"],
  ["position-movements"],
  ["search-products"],
  ["transfers"],
  ["transfer-lines"],
  ["purchase-orders"],
  ["purchase-order-lines"],
  // The header counts movements; every stock change adds some.
  ["app-status"],
  ...financeQueries,
];

/**
 * Prefixes of every query a returns command makes stale besides stock: the queue, the
 * open return and the KPIs built on its decisions.
 */
export const returnQueries: readonly (readonly string[])[] = [
  ["returns-queue"],
  ["return"],
  ["returns-kpis"],
];
