import type { MonthFigures } from "../api";
import { formatMoney } from "../components/format";
import { monthLabel } from "./finance";

const COLUMNS: { field: Exclude<keyof MonthFigures, "period">; label: string }[] = [
  { field: "stock_value", label: "Stock value" },
  { field: "received", label: "Received" },
  { field: "cogs", label: "COGS" },
  { field: "returns", label: "Returns" },
  { field: "write_offs", label: "Write-offs" },
  { field: "liquidation", label: "Liquidation" },
  { field: "price_variance", label: "Price variance" },
];

/** Every figure of every month as the engine totalled it; nothing is summed here. */
export function MonthlyTable({ months }: { months: MonthFigures[] }) {
  return (
    <div className="table-wrap">
      <table className="table monthly-table" data-testid="monthly-table">
        <thead>
          <tr>
            <th>Period</th>
            {COLUMNS.map((c) => (
              <th key={c.field} className="num">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {months.map((m) => {
            const label = monthLabel(m.period);
            return (
              <tr key={m.period} data-testid={`monthly-row-${label}`}>
                <th scope="row" className="code">
                  {label}
                </th>
                {COLUMNS.map((c) => (
                  <td key={c.field} className="num">
                    {formatMoney(m[c.field])}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
