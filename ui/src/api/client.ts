import { Channel } from "@tauri-apps/api/core";
import { commands } from "../bindings";
import type { LocationKind, PositionQuery, ReplayProgress, SharedProfile } from "../bindings";
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
};
