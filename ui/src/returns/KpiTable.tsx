import type { KpiDimension, KpiRow } from "../api";
import { formatMoney, formatQty } from "../components/format";
import { formatHours, formatRate } from "./kpis";
import { KPI_DIMENSIONS, kpiKeyLabel } from "./labels";

type Props = { dimension: KpiDimension; groups: KpiRow[]; total: KpiRow | null };

/** Every KPI of every group, with the engine's totals as the table's last row. */
export function KpiTable({ dimension, groups, total }: Props) {
  const heading = KPI_DIMENSIONS.find((d) => d.value === dimension)?.label ?? dimension;
  return (
    <div className="table-wrap">
      <table className="table kpi-table" data-testid="kpi-table">
        <thead>
          <tr>
            <th>{heading}</th>
            <th className="num">Decisions</th>
            <th className="num">Units</th>
            <th className="num">Median cycle (h)</th>
            <th className="num">Mean cycle (h)</th>
            <th className="num">Resold units</th>
            <th className="num">Mean to resale (h)</th>
            <th className="num">Original value</th>
            <th className="num">Recovery</th>
            <th className="num">Recovery rate</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((r) => (
            <KpiCells key={r.key} row={r} label={kpiKeyLabel(dimension, r.key)} />
          ))}
        </tbody>
        {total && (
          <tfoot>
            <KpiCells row={total} label="All" />
          </tfoot>
        )}
      </table>
    </div>
  );
}

function KpiCells({ row, label }: { row: KpiRow; label: string }) {
  return (
    <tr data-testid={`kpi-row-${row.key}`}>
      <th scope="row">{label}</th>
      <td className="num">{formatQty(row.decisions)}</td>
      <td className="num">{formatQty(row.units)}</td>
      <td className="num">{formatHours(row.median_cycle_hours)}</td>
      <td className="num">{formatHours(row.mean_cycle_hours)}</td>
      <td className="num">{formatQty(row.resold_units)}</td>
      <td className="num">{formatHours(row.mean_resale_hours)}</td>
      <td className="num">{formatMoney(row.original_value)}</td>
      <td className="num">{formatMoney(row.recovery)}</td>
      <td className="num">{formatRate(row.recovery_rate)}</td>
    </tr>
  );
}
