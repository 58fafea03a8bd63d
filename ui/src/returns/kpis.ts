import type { KpiDimension, KpiRow } from "../api";
import { kpiKeyLabel } from "./labels";

/** What the dashboard asks for: a breakdown and an optional range of receipt days. */
export type KpiFilter = {
  dimension: KpiDimension;
  /** First day of receipt, YYYY-MM-DD, London; blank for no lower bound. */
  from: string;
  /** Last day of receipt (included), YYYY-MM-DD, London; blank for no upper bound. */
  to: string;
};

export const initialKpiFilter: KpiFilter = { dimension: "reason", from: "", to: "" };

/** The engine ends the rows with the totals, keyed `all`: they are no group of their own. */
export function splitTotal(rows: KpiRow[]): { groups: KpiRow[]; total: KpiRow | null } {
  const last = rows[rows.length - 1];
  if (last?.key !== "all") return { groups: rows, total: null };
  return { groups: rows.slice(0, -1), total: last };
}

const offset = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  timeZoneName: "longOffset",
});

/**
 * "2011-07-01" -> "2011-06-30T23:00:00.000Z": the instant London's day starts. The
 * clocks change at 01:00 UTC, so the offset at the day's 00:00 UTC is the offset at
 * its London midnight. Null for anything but a calendar day.
 */
export function londonMidnight(ymd: string): string | null {
  const utc = Date.parse(`${ymd}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd) || Number.isNaN(utc)) return null;
  const zone = offset.formatToParts(new Date(utc)).find((p) => p.type === "timeZoneName");
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(zone?.value ?? "");
  const minutes = match ? (match[1] === "-" ? -1 : 1) * (+match[2] * 60 + +match[3]) : 0;
  return new Date(utc - minutes * 60_000).toISOString();
}

const DAY_MS = 86_400_000;

/** The filter's days as the engine's half-open [from, to) instants. */
export function kpiRange(filter: KpiFilter): { from: string | null; to: string | null } {
  const to = filter.to ? Date.parse(`${filter.to}T00:00:00Z`) : NaN;
  const dayAfter = Number.isNaN(to) ? "" : new Date(to + DAY_MS).toISOString().slice(0, 10);
  return {
    from: filter.from ? londonMidnight(filter.from) : null,
    to: dayAfter ? londonMidnight(dayAfter) : null,
  };
}

/** One group on the charts; a figure the engine could not measure is left out (null). */
export type ChartRow = {
  key: string;
  label: string;
  /** Recovery rate as a percentage. */
  rate: number | null;
  medianCycle: number | null;
  meanResale: number | null;
};

export function chartRows(dimension: KpiDimension, groups: KpiRow[]): ChartRow[] {
  return groups.map((r) => ({
    key: r.key,
    label: kpiKeyLabel(dimension, r.key),
    rate: r.recovery_rate === null ? null : r.recovery_rate * 100,
    medianCycle: r.median_cycle_hours,
    meanResale: r.mean_resale_hours,
  }));
}

const oneDecimal = new Intl.NumberFormat("en-GB", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** Hours as the engine measured them, to a tenth; null (nothing to measure) -> "—". */
export function formatHours(hours: number | null): string {
  return hours === null || !Number.isFinite(hours) ? "—" : oneDecimal.format(hours);
}

/** 0.6234 -> "62.3%"; null (nothing had value) -> "—". */
export function formatRate(rate: number | null): string {
  return rate === null || !Number.isFinite(rate) ? "—" : `${oneDecimal.format(rate * 100)}%`;
}
