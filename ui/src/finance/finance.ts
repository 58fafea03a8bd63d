import type { MonthFigures } from "../api";

/** One figure of the reconciliation: an account at a location, or one SKU of it. */
export type DrillTarget = { account: string; location: string; sku: string | null };

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

type Parsed = { negative: boolean; whole: string; fraction: string };

function parse(decimal: string): Parsed | null {
  const match = DECIMAL.exec(decimal.trim());
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) return null;
  return { negative: match[1] === "-", whole: match[2] || "0", fraction: match[3] ?? "" };
}

/** The decimal as a whole number of 10^-scale units, as text and BigInt (never a float). */
function units({ negative, whole, fraction }: Parsed, scale: number): bigint {
  const value = BigInt(whole + fraction.padEnd(scale, "0"));
  return negative ? -value : value;
}

/** Whether two decimal strings from the engine are the same amount: "1.5" = "1.50". */
export function sameDecimal(a: string, b: string): boolean {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return a === b;
  const scale = Math.max(x.fraction.length, y.fraction.length);
  return units(x, scale) === units(y, scale);
}

/** "0", "0.00" and "-0.00" are zero; "0.001" is not (the engine compares exactly). */
export function isZero(decimal: string): boolean {
  return sameDecimal(decimal, "0");
}

/** A period's first day as finance names it: "2026-02-01" -> "2026-02". */
export function monthLabel(month: string): string {
  return month.slice(0, 7);
}

/** The last day of a period: "2026-02-01" -> "2026-02-28", in calendar days. */
export function monthEnd(month: string): string {
  const [year, mm] = month.split("-").map(Number);
  return new Date(Date.UTC(year, mm, 0)).toISOString().slice(0, 10);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The user's calendar day as YYYY-MM-DD: the reconciliation's default "as of". */
export function todayLocal(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** One month on the chart; numbers only for drawing, never for a figure shown as text. */
export type MonthPoint = {
  period: string;
  stockValue: number;
  cogs: number;
  returns: number;
  writeOffs: number;
};

export function monthPoints(months: MonthFigures[]): MonthPoint[] {
  return months.map((m) => ({
    period: monthLabel(m.period),
    stockValue: Number(m.stock_value),
    cogs: Number(m.cogs),
    returns: Number(m.returns),
    writeOffs: Number(m.write_offs),
  }));
}
