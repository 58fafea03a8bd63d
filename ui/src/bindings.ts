// HAND-WRITTEN STAND-IN for the file tauri-specta generates from the Rust commands.
// It mirrors the generated shape (a `commands` object returning `Result<T, UiError>`
// plus exported types) and will be overwritten by the generator. Only `src/api/`
// may import from this file.

/** user-defined commands **/

export const commands = {
  async appStatus(): Promise<Result<AppStatus, UiError>> {
    return call("app_status");
  },
  async loadDemo(
    from: string,
    to: string,
    onProgress: TAURI_CHANNEL<ReplayProgress>,
  ): Promise<Result<ReplaySummary, UiError>> {
    return call("load_demo", { from, to, onProgress });
  },
  async searchProducts(text: string, limit: number): Promise<Result<ProductHit[], UiError>> {
    return call("search_products", { text, limit });
  },
  async skuPositions(sku: string): Promise<Result<SkuView, UiError>> {
    return call("sku_positions", { sku });
  },
  async positionsPage(query: PositionQuery): Promise<Result<PositionPage, UiError>> {
    return call("positions_page", { query });
  },
  async listLocations(): Promise<Result<Location[], UiError>> {
    return call("list_locations");
  },
  async positionMovements(
    sku: string,
    location: string,
    beforeId: number | null,
    limit: number,
  ): Promise<Result<MovementPage, UiError>> {
    return call("position_movements", { sku, location, beforeId, limit });
  },
  async verifyLedger(): Promise<Result<VerifyReport, UiError>> {
    return call("verify_ledger");
  },
  async getSettings(): Promise<Result<Settings, UiError>> {
    return call("get_settings");
  },
  async saveSharedProfile(
    profile: SharedProfile,
    password: string | null,
    remember: boolean,
  ): Promise<Result<SavedProfile, UiError>> {
    return call("save_shared_profile", { profile, password, remember });
  },
  async connectShared(password: string | null): Promise<Result<AppStatus, UiError>> {
    return call("connect_shared", { password });
  },
  async useLocal(): Promise<Result<AppStatus, UiError>> {
    return call("use_local");
  },
};

/** user-defined types **/

export type ErrorCode =
  | "not_found"
  | "invalid_input"
  | "insufficient_available"
  | "idempotency_conflict"
  | "database_unavailable"
  | "postgres_not_installed"
  | "cluster_failed"
  | "keyring_unavailable"
  | "data_missing"
  | "storage"
  | "internal";
export type UiError = { code: ErrorCode; message: string };
export type DatabaseMode = "local" | "shared";
export type DataStatus = {
  products: number;
  locations: number;
  movements: number;
  events: number;
};
export type AppStatus = {
  mode: DatabaseMode;
  database: string;
  data: DataStatus;
  demo_data_dir: string | null;
  log_dir: string;
};
export type ReplayProgress = {
  day: string;
  days_done: number;
  days_total: number;
  lines_read: number;
};
export type ReasonCount = { reason: string; lines: number };
export type Rejection = { file: string; row: number; field: string; reason: string };
export type StockTotals = {
  on_hand: number;
  available: number;
  reserved: number;
  in_transit: number;
  damaged: number;
  quarantined: number;
  return_pending: number;
  inbound: number;
};
export type ReplaySummary = {
  from: string;
  to: string;
  days: number;
  lines_read: number;
  lines_applied: number;
  skipped: ReasonCount[];
  rejected: ReasonCount[];
  non_stock: ReasonCount[];
  units_sold: number;
  units_returned: number;
  units_written_off: number;
  units_received: number;
  stock: StockTotals;
  rejections: Rejection[];
  elapsed_ms: number;
};
export type LocationKind = "distribution_centre" | "dark_store" | "store" | "returns_hub";
export type Location = {
  code: string;
  kind: LocationKind;
  name: string;
  town: string;
  latitude: number;
  longitude: number;
  town_population: number;
  ships_orders: boolean;
  offers_pickup: boolean;
  daily_pick_capacity: number;
  carrier_cutoff_local: string | null;
};
export type Product = { sku: string; description: string; base_unit: string };
export type ProductHit = { sku: string; description: string; on_hand: number; available: number };
export type Position = {
  sku: string;
  description: string;
  location: string;
  location_name: string;
  location_kind: LocationKind;
  on_hand: number;
  available: number;
  reserved: number;
  in_transit: number;
  damaged: number;
  quarantined: number;
  return_pending: number;
  inbound: number;
  movement_count: number;
};
export type SkuView = { product: Product; positions: Position[]; totals: StockTotals };
export type PositionQuery = {
  search: string | null;
  location: string | null;
  location_kind: LocationKind | null;
  offset: number;
  limit: number;
};
export type PositionPage = { rows: Position[]; total: number };
export type StockState =
  | "available"
  | "reserved"
  | "in_transit"
  | "damaged"
  | "quarantined"
  | "return_pending"
  | "inbound";
export type MovementKind =
  | "opening"
  | "purchase_order"
  | "receipt"
  | "sale"
  | "return"
  | "write_off"
  | "adjustment"
  | "transfer_out"
  | "transfer_in"
  | "reservation"
  | "release";
export type Movement = {
  id: number;
  kind: MovementKind;
  sku: string;
  location: string;
  from_state: StockState | null;
  to_state: StockState | null;
  quantity: number;
  channel: string | null;
  unit_price: string | null;
  reason: string | null;
  reference: string | null;
  actor: string;
  event_time: string;
  recorded_at: string;
  idempotency_key: string;
};
export type MovementPage = {
  position: Position | null;
  movements: Movement[];
  next_before_id: number | null;
};
export type Drift = {
  sku: string;
  location: string;
  state: StockState;
  position: number;
  ledger: number;
};
export type VerifyReport = { positions_checked: number; movements: number; drifts: Drift[] };
export type TlsMode = "disable" | "prefer" | "require" | "verify_full";
export type SharedProfile = {
  host: string;
  port: number;
  database: string;
  user: string;
  tls: TlsMode;
};
export type Settings = {
  mode: DatabaseMode;
  shared: SharedProfile | null;
  keyring_available: boolean;
};
export type SavedProfile = { password_stored: boolean; keyring_message: string | null };

/** tauri-specta globals **/

import { invoke as TAURI_INVOKE, Channel as TAURI_CHANNEL } from "@tauri-apps/api/core";

export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

async function call<T>(
  cmd: string,
  args?: Record<string, unknown>,
): Promise<Result<T, UiError>> {
  try {
    return { status: "ok", data: await TAURI_INVOKE<T>(cmd, args) };
  } catch (e) {
    if (e instanceof Error) throw e;
    else return { status: "error", error: e as UiError };
  }
}
