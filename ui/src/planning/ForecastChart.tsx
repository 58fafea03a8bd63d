import {
  Area,
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatDay } from "../components/format";
import { formatRate } from "./labels";
import { shortDay, type ChartPoint } from "./demandChart";

const HEIGHT = 220;
/** The size drawn before the container is measured (and where it cannot be, as in tests). */
const INITIAL = { width: 900, height: HEIGHT };

type Props = { points: ChartPoint[]; forecastFrom: string | null };

/** Units sold per day as bars, then the forecast mean as a line inside its 80% band. */
export function ForecastChart({ points, forecastFrom }: Props) {
  return (
    <div className="forecast-chart" data-testid="forecast-chart">
      <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={INITIAL}>
        <ComposedChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#edf0f3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={24} fontSize={11} />
          <YAxis allowDecimals={false} width={44} fontSize={11} />
          <Tooltip labelFormatter={(day) => formatDay(String(day))} formatter={tooltipValue} />
          <Legend verticalAlign="top" height={24} iconSize={10} />
          <Area
            dataKey="band"
            name="80% band"
            legendType="square"
            stroke="none"
            fill="#2f6db5"
            fillOpacity={0.16}
            isAnimationActive={false}
          />
          <Bar
            dataKey="sold"
            name="Sold"
            fill="#7b8794"
            legendType="square"
            isAnimationActive={false}
          />
          <Line
            dataKey="mean"
            name="Forecast"
            stroke="#2f6db5"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          {forecastFrom && (
            <ReferenceLine x={forecastFrom} stroke="#66727f" strokeDasharray="4 3" />
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

function tooltipValue(value: unknown) {
  if (Array.isArray(value)) return `${formatRate(value[0])} – ${formatRate(value[1])}`;
  return typeof value === "number" ? formatRate(value) : String(value);
}
