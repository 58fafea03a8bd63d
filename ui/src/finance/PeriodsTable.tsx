import { Fragment } from "react";
import type { Period } from "../api";
import { Prompt } from "../components/Prompt";
import { ErrorBox } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { formatMoney, formatQty } from "../components/format";
import { monthEnd, monthLabel } from "./finance";

type Props = {
  periods: Period[];
  /** The period (first day) whose close is being confirmed. */
  asking: string | null;
  busy: boolean;
  /** Why the last close failed, shown under the period it was for. */
  error: Error | null;
  onAsk: (month: string | null) => void;
  onConfirm: (month: string) => void;
  onReconcile: (asOf: string) => void;
};

const COLUMNS = 6;

export function PeriodsTable(props: Props) {
  const { periods, asking, busy, error, onAsk, onConfirm, onReconcile } = props;
  return (
    <div className="table-wrap">
      <table className="table periods-table" data-testid="periods-table">
        <thead>
          <tr>
            <th>Month</th>
            <th>Status</th>
            <th className="num">Entries</th>
            <th className="num">Debits</th>
            <th>Changed by</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {periods.map((p) => {
            const label = monthLabel(p.month);
            return (
              <Fragment key={p.month}>
                <tr data-testid={`period-row-${label}`}>
                  <td className="code">{label}</td>
                  <td>
                    <StatusBadge status={p.status} />
                  </td>
                  <td className="num">{formatQty(p.entries)}</td>
                  <td className="num">{formatMoney(p.debits)}</td>
                  <td>{p.changed_by ?? <span className="muted">—</span>}</td>
                  <td className="row-actions">
                    {p.status !== "closed" && (
                      <button
                        type="button"
                        data-testid={`close-period-${label}`}
                        title={
                          p.status === "closing"
                            ? "A close did not finish: run it again"
                            : "Reconcile the month and close it"
                        }
                        disabled={busy}
                        onClick={() => onAsk(p.month)}
                      >
                        Close
                      </button>
                    )}
                    <button
                      type="button"
                      className="link"
                      data-testid={`reconcile-period-${label}`}
                      onClick={() => onReconcile(monthEnd(p.month))}
                    >
                      Reconcile
                    </button>
                  </td>
                </tr>
                {asking === p.month && (
                  <tr className="subrow">
                    <td colSpan={COLUMNS}>
                      <Prompt
                        testId="prompt-close-period"
                        title={
                          `Close ${label}? It is reconciled as of ${monthEnd(p.month)}; ` +
                          "once closed, nothing more posts into it."
                        }
                        confirmLabel="Close period"
                        busy={busy}
                        onConfirm={() => onConfirm(p.month)}
                        onCancel={() => onAsk(null)}
                      />
                      {error && (
                        <ErrorBox title={`Period ${label} was not closed`} error={error} />
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
