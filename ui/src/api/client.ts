import { Channel } from "@tauri-apps/api/core";
import { commands } from "../bindings";
import type {
  BasketRequest,
  ExceptionFilter,
  LocationKind,
  OrderFilter,
  OrderRequest,
  PositionQuery,
  ReplayProgress,
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
};

/**
 * Prefixes of every query an order action or a stock change can make stale: orders,
 * exceptions, availability and the inventory views built on the same positions.
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
];
