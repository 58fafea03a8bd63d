import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ChartRow } from "./kpis";

const HEIGHT = 220;
/** The size drawn before the container is measured (and where it cannot be, as in tests). */
const INITIAL = { width: 360, height: HEIGHT };

type Measure = {
  field: "rate" | "medianCycle" | "meanResale";
  title: string;
  unit: string;
  colour: string;
};

const MEASURES: Measure[] = [
  { field: "rate", title: "Recovery rate", unit: "%", colour: "#1e7a46" },
  {
    field: "medianCycle",
    title: "Median cycle, receipt → disposition",
    unit: "h",
    colour: "#2f6db5",
  },
  { field: "meanResale", title: "Mean time to resale", unit: "h", colour: "#7b8794" },
];

/** One bar per group for each measure; the totals row is not a group and is not drawn. */
export function KpiCharts({ rows }: { rows: ChartRow[] }) {
  return (
    <div className="kpi-charts">
      {MEASURES.map((m) => (
        <KpiChart key={m.field} rows={rows} measure={m} />
      ))}
    </div>
  );
}

function KpiChart({ rows, measure }: { rows: ChartRow[]; measure: Measure }) {
  const { field, title, unit, colour } = measure;
  const format = (value: unknown) =>
    typeof value === "number" ? `${value.toFixed(1)} ${unit}` : "—";
  return (
    <section className="kpi-chart" data-testid={`kpi-chart-${field}`}>
      <h4>
        {title} <span className="muted">({unit})</span>
      </h4>
      <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={INITIAL}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#edf0f3" vertical={false} />
          <XAxis dataKey="label" interval={0} fontSize={11} />
          <YAxis width={44} fontSize={11} />
          <Tooltip formatter={format} />
          <Bar dataKey={field} name={title} fill={colour} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </section>
  );
}
