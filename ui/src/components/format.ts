import type { LocationKind, MovementKind, StockState, StockTotals } from "../api";

const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const londonTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  timeZoneName: "short",
});

/** 12345 -> "12,345"; -1200 -> "-1,200". */
export function formatQty(value: number): string {
  return integer.format(value);
}

/** RFC3339 UTC -> "31/03/2011, 14:05:00 BST" in Europe/London time. */
export function formatLondon(rfc3339: string): string {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? rfc3339 : londonTime.format(date);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** Position/totals columns in display order; on hand = available + reserved. */
export type QtyField = keyof StockTotals;
export const QTY_FIELDS: { key: QtyField; label: string }[] = [
  { key: "on_hand", label: "On hand" },
  { key: "available", label: "Available" },
  { key: "reserved", label: "Reserved" },
  { key: "in_transit", label: "In transit" },
  { key: "damaged", label: "Damaged" },
  { key: "quarantined", label: "Quarantined" },
  { key: "return_pending", label: "Return pending" },
  { key: "inbound", label: "Inbound" },
];

const STATE_LABELS: Record<StockState, string> = {
  available: "Available",
  reserved: "Reserved",
  in_transit: "In transit",
  damaged: "Damaged",
  quarantined: "Quarantined",
  return_pending: "Return pending",
  inbound: "Inbound",
};

export function stateLabel(state: StockState | null): string {
  return state ? STATE_LABELS[state] : "—";
}

const KIND_LABELS: Record<LocationKind, string> = {
  distribution_centre: "Distribution centre",
  dark_store: "Dark store",
  store: "Store",
  returns_hub: "Returns hub",
};

export const LOCATION_KINDS = Object.keys(KIND_LABELS) as LocationKind[];

export function kindLabel(kind: LocationKind): string {
  return KIND_LABELS[kind] ?? kind;
}

export function movementLabel(kind: MovementKind): string {
  const text = kind.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
