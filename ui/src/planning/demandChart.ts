import type { DemandSeries } from "../api";

/** How much history the chart shows: the twelve weeks the forecasts are fitted on. */
export const HISTORY_SHOWN = 84;

/** One day on the chart: sold units (history) or the forecast with its 80% band. */
export type ChartPoint = {
  day: string;
  sold?: number;
  mean?: number;
  /** [lower, upper] of the 80% band, drawn as a shaded range. */
  band?: [number, number];
};

const DAY_MS = 86_400_000;

/** "2011-09-30" plus n days, as YYYY-MM-DD, in calendar days (no time zone). */
export function addDays(ymd: string, days: number): string {
  const start = Date.parse(`${ymd}T00:00:00Z`);
  return new Date(start + days * DAY_MS).toISOString().slice(0, 10);
}

const finite = (value: number | null | undefined): value is number =>
  typeof value === "number" && Number.isFinite(value);

/**
 * The last HISTORY_SHOWN days of history, then each forecast day. The forecast starts
 * the day after the last day of history; a day whose figures did not survive the trip
 * (null) is left out of the line rather than drawn as 0.
 */
export function chartPoints(series: DemandSeries): ChartPoint[] {
  const skip = Math.max(0, series.history.length - HISTORY_SHOWN);
  const history = series.history.slice(skip).map((sold, i) => ({
    day: addDays(series.history_from, skip + i),
    sold,
  }));
  const { mean, lower, upper } = series.forecast;
  const forecast = mean.map((m, i): ChartPoint => {
    const point: ChartPoint = { day: addDays(series.history_from, series.history.length + i) };
    if (finite(m)) point.mean = m;
    const lo = lower[i];
    const hi = upper[i];
    if (finite(lo) && finite(hi)) point.band = [lo, hi];
    return point;
  });
  return [...history, ...forecast];
}

/** "2011-09-30" -> "30/09"; the axis shows day and month only. */
export function shortDay(ymd: string): string {
  return `${ymd.slice(8, 10)}/${ymd.slice(5, 7)}`;
}
