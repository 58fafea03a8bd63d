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

const londonDay = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  weekday: "short",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});

/** RFC3339 UTC -> "Mon, 04/07/2011": the calendar day in London. */
export function formatLondonDay(rfc3339: string): string {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? rfc3339 : londonDay.format(date);
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

/** "partially_shipped" -> "Partially shipped". */
export function humanize(code: string): string {
  const text = code.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Every kind spelled out, so a new kind from the engine fails the type check here. */
const MOVEMENT_LABELS: Record<MovementKind, string> = {
  opening: "Opening",
  purchase_order: "Purchase order",
  receipt: "Receipt",
  sale: "Sale",
  return: "Return",
  write_off: "Write off",
  adjustment: "Adjustment",
  transfer_out: "Transfer out",
  transfer_in: "Transfer in",
  reservation: "Reservation",
  release: "Release",
  restock: "Restock",
  refurbish: "Refurbish",
  vendor_return: "Return to vendor",
  liquidation: "Liquidation",
  scrap: "Scrap",
  markdown: "Markdown",
};

export function movementLabel(kind: MovementKind): string {
  return MOVEMENT_LABELS[kind] ?? humanize(kind);
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d*))?$/;

/**
 * A decimal string from the engine -> "£1,234.50", rounded half away from zero to pence.
 * The digits are handled as text and BigInt, never as a binary float.
 */
export function formatMoney(decimal: string): string {
  const match = DECIMAL.exec(decimal.trim());
  if (!match) return decimal;
  const [, sign, whole, fraction = ""] = match;
  const digits = (fraction + "000").slice(0, 3);
  let pence = BigInt(whole) * 100n + BigInt(digits.slice(0, 2));
  if (Number(digits[2]) >= 5) pence += 1n;
  const pounds = integer.format(pence / 100n);
  const cents = String(pence % 100n).padStart(2, "0");
  return `${sign && pence > 0n ? "-" : ""}£${pounds}.${cents}`;
}

/** Hours -> "25 min", "3 h", "2 d"; null (not measurable) -> "—". */
export function formatAge(hours: number | null): string {
  if (hours === null || !Number.isFinite(hours)) return "—";
  if (hours < 1) return `${Math.max(0, Math.floor(hours * 60))} min`;
  if (hours < 48) return `${Math.floor(hours)} h`;
  return `${Math.floor(hours / 24)} d`;
}

const calendarDay = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "short",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});

/** "2011-07-04" -> "Mon, 04/07/2011"; anything else is shown as given. */
export function formatDay(ymd: string): string {
  const date = new Date(`${ymd}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? ymd : calendarDay.format(date);
}

const oneDecimal = new Intl.NumberFormat("en-GB", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

export function formatKm(km: number | null): string {
  return km === null || !Number.isFinite(km) ? "—" : `${oneDecimal.format(km)} km`;
}

/** A (latitude, longitude) pair as the engine sends it; either half may be missing. */
export function formatCoords(point: [number | null, number | null] | null): string {
  if (!point || point[0] === null || point[1] === null) return "—";
  return `${point[0].toFixed(4)}, ${point[1].toFixed(4)}`;
}
