import type { Reconciliation } from "../api";
import { formatMoney } from "../components/format";
import { isZero } from "./finance";

/** The two sides and their difference, which is green only when it is exactly zero. */
export function ReconFigures({ report }: { report: Reconciliation }) {
  const balanced = isZero(report.difference);
  return (
    <dl className="figures recon-figures" data-testid="recon-totals">
      <div className="figure">
        <dt>Stock ledger value</dt>
        <dd data-testid="recon-ledger">{formatMoney(report.ledger_value)}</dd>
      </div>
      <div className="figure">
        <dt>GL value</dt>
        <dd data-testid="recon-gl">{formatMoney(report.gl_value)}</dd>
      </div>
      <div
        className={balanced ? "figure balanced" : "figure unbalanced"}
        data-testid="recon-difference"
        title={`Stock ledger minus GL: ${report.difference}`}
      >
        <dt>Difference</dt>
        <dd>{formatMoney(report.difference)}</dd>
        <small>{balanced ? "Reconciled" : "Does not reconcile"}</small>
      </div>
    </dl>
  );
}
