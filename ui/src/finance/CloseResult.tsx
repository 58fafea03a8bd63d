import type { CloseOutcome } from "../api";
import { formatDay, formatMoney, formatQty } from "../components/format";
import { isZero, monthLabel, type DrillTarget } from "./finance";
import { ReconTable } from "./ReconTable";

type Props = {
  outcome: CloseOutcome;
  /** Opens the reconciliation as of a day, drilled into a figure if given. */
  onReconcile: (asOf: string, drill?: DrillTarget) => void;
  onDismiss: () => void;
};

/** What closing a period did: closed and reconciled, or left open with its variances. */
export function CloseResult({ outcome, onReconcile, onDismiss }: Props) {
  const label = monthLabel(outcome.month);
  const { reconciliation: report, exceptions_raised: raised } = outcome;
  const asOf = formatDay(report.as_of);
  const dismiss = (
    <button type="button" className="link dismiss" onClick={onDismiss}>
      Dismiss
    </button>
  );

  if (outcome.status === "closed") {
    return (
      <p className="success" role="status" data-testid="close-outcome">
        Period {label} is closed: the stock ledger and the GL agree as of the end of {asOf}{" "}
        (difference {formatMoney(report.difference)}).{dismiss}
      </p>
    );
  }
  const exceptions = `${formatQty(raised)} variance exception${raised === 1 ? " was" : "s were"}`;
  return (
    <section className="close-open" role="alert" data-testid="close-outcome">
      <p>
        <strong>Period {label} stays {outcome.status}.</strong>{" "}
        {isZero(report.difference)
          ? "The totals agree, but some accounts, locations or SKUs differ"
          : `The stock ledger and the GL differ by ${formatMoney(report.difference)}`}{" "}
        as of the end of {asOf} (stock ledger {formatMoney(report.ledger_value)}, GL{" "}
        {formatMoney(report.gl_value)}). {exceptions} raised for the owner to resolve; close
        the period again once they are.{" "}
        <button type="button" className="link" onClick={() => onReconcile(report.as_of)}>
          Open the reconciliation
        </button>
        {dismiss}
      </p>
      {report.variances.length > 0 && (
        <ReconTable
          rows={report.variances}
          bySku
          selected={null}
          onOpen={(target) => onReconcile(report.as_of, target)}
          testId="close-variances"
        />
      )}
    </section>
  );
}
