import type { StockTotals } from "../api";
import { QTY_FIELDS, formatQty } from "./format";

/** Totals by stock state as a row of figure tiles. */
export function StockTotalsCard({ totals, testId }: { totals: StockTotals; testId?: string }) {
  return (
    <dl className="figures" data-testid={testId}>
      {QTY_FIELDS.map(({ key, label }) => (
        <div key={key} className={totals[key] < 0 ? "figure neg" : "figure"}>
          <dt>{label}</dt>
          <dd data-testid={testId ? `${testId}-${key}` : undefined}>{formatQty(totals[key])}</dd>
        </div>
      ))}
    </dl>
  );
}
