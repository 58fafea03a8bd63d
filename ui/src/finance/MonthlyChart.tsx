import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { MonthPoint } from "./finance";

const HEIGHT = 280;
/** The size drawn before the container is measured (and where it cannot be, as in tests). */
const INITIAL = { width: 900, height: HEIGHT };

const pounds = new Intl.NumberFormat("en-GB", {
  style: "currency",
  currency: "GBP",
  maximumFractionDigits: 0,
});
const compact = new Intl.NumberFormat("en-GB", { notation: "compact" });

/**
 * Stock value at each month end as a line (right axis), and what the month cost as bars
 * (left axis): cost of goods sold, returns taken back and write-offs.
 */
export function MonthlyChart({ points }: { points: MonthPoint[] }) {
  return (
    <section className="monthly-chart" data-testid="monthly-chart">
      <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={INITIAL}>
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#edf0f3" vertical={false} />
          <XAxis dataKey="period" fontSize={11} />
          <YAxis yAxisId="flows" width={56} fontSize={11} tickFormatter={short} />
          <YAxis
            yAxisId="stock"
            orientation="right"
            width={56}
            fontSize={11}
            tickFormatter={short}
          />
          <Tooltip formatter={money} />
          <Legend verticalAlign="top" height={24} iconSize={10} />
          <Bar
            yAxisId="flows"
            dataKey="cogs"
            name="COGS"
            fill="#7b8794"
            isAnimationActive={false}
          />
          <Bar
            yAxisId="flows"
            dataKey="returns"
            name="Returns"
            fill="#d99a00"
            isAnimationActive={false}
          />
          <Bar
            yAxisId="flows"
            dataKey="writeOffs"
            name="Write-offs"
            fill="#b42318"
            isAnimationActive={false}
          />
          <Line
            yAxisId="stock"
            dataKey="stockValue"
            name="Stock value"
            stroke="#2f6db5"
            strokeWidth={2}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </section>
  );
}

function short(value: unknown): string {
  return typeof value === "number" ? compact.format(value) : String(value);
}

function money(value: unknown): string {
  return typeof value === "number" ? pounds.format(value) : String(value);
}
