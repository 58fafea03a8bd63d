import { useQuery } from "@tanstack/react-query";
import { api, keys, type KpiDimension, type KpiRow } from "../api";
import { Empty, ErrorBox, Loading } from "../components/States";
import { formatMoney, formatQty } from "../components/format";
import { KpiCharts } from "./KpiCharts";
import { KpiTable } from "./KpiTable";
import { chartRows, formatHours, formatRate, kpiRange, splitTotal, type KpiFilter } from "./kpis";
import { KPI_DIMENSIONS } from "./labels";

type Props = { filter: KpiFilter; onChange: (filter: KpiFilter) => void };

/** How returns turn out: recovery, cycle time and time to resale, broken down one way. */
export function Dashboard({ filter, onChange }: Props) {
  const { from, to } = kpiRange(filter);
  const kpis = useQuery({
    queryKey: keys.returnsKpis(filter.dimension, from, to),
    queryFn: () => api.returnsKpis(filter.dimension, from, to),
  });

  return (
    <div className="returns-dashboard" data-testid="returns-dashboard">
      <div className="toolbar">
        <label>
          Break down by
          <select
            data-testid="kpi-dimension"
            value={filter.dimension}
            onChange={(e) => onChange({ ...filter, dimension: e.target.value as KpiDimension })}
          >
            {KPI_DIMENSIONS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Received from
          <input
            type="date"
            data-testid="kpi-from"
            value={filter.from}
            onChange={(e) => onChange({ ...filter, from: e.target.value })}
          />
        </label>
        <label>
          to (included)
          <input
            type="date"
            data-testid="kpi-to"
            value={filter.to}
            onChange={(e) => onChange({ ...filter, to: e.target.value })}
          />
        </label>
      </div>
      {kpis.isPending ? (
        <Loading label="Computing the returns KPIs…" />
      ) : kpis.isError ? (
        <ErrorBox title="The returns KPIs could not be computed" error={kpis.error} />
      ) : (
        <KpiView dimension={filter.dimension} rows={kpis.data} />
      )}
    </div>
  );
}

function KpiView({ dimension, rows }: { dimension: KpiDimension; rows: KpiRow[] }) {
  const { groups, total } = splitTotal(rows);
  if (groups.length === 0) {
    return (
      <Empty title="No decision on returns received in this period">
        Inspect returns on the workstation, or widen the dates.
      </Empty>
    );
  }
  return (
    <>
      {total && <TotalFigures total={total} />}
      <KpiCharts rows={chartRows(dimension, groups)} />
      <KpiTable dimension={dimension} groups={groups} total={total} />
    </>
  );
}

function TotalFigures({ total }: { total: KpiRow }) {
  const figures: [string, string, string][] = [
    ["Units decided", formatQty(total.units), `${formatQty(total.decisions)} decisions`],
    ["Recovery rate", formatRate(total.recovery_rate), `of ${formatMoney(total.original_value)}`],
    ["Recovered", formatMoney(total.recovery), "expected"],
    ["Median cycle", `${formatHours(total.median_cycle_hours)} h`, "receipt → disposition"],
    [
      "Mean to resale",
      `${formatHours(total.mean_resale_hours)} h`,
      `${formatQty(total.resold_units)} units resold`,
    ],
  ];
  return (
    <dl className="figures" data-testid="kpi-totals">
      {figures.map(([label, value, note]) => (
        <div className="figure" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
          <small className="muted">{note}</small>
        </div>
      ))}
    </dl>
  );
}
