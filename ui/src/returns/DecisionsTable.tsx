import { api, returnQueries, useStockCommand, type DecisionRow } from "../api";
import { ErrorBox } from "../components/States";
import { formatLondon, formatMoney, formatQty } from "../components/format";
import { dispositionLabel, gradeLabel } from "./labels";

type Done = { decisionId: number; destination: string | null; transferId: number | null };

/**
 * The decisions already taken on a return, overrides with their reason. Refurbished
 * units wait in quarantine until someone marks them done here.
 */
export function DecisionsTable({ decisions }: { decisions: DecisionRow[] }) {
  const complete = useStockCommand(
    async (d: DecisionRow): Promise<Done> => ({
      decisionId: d.id,
      destination: d.destination,
      transferId: await api.completeRefurbishment(d.id),
    }),
    returnQueries,
  );
  if (decisions.length === 0) {
    return <p className="muted">No decision taken on this return yet.</p>;
  }
  return (
    <>
      <div className="table-wrap">
        <table className="table compact" data-testid="return-decisions">
          <thead>
            <tr>
              <th className="num">Line</th>
              <th className="num">Units</th>
              <th>Grade</th>
              <th>Disposition</th>
              <th>Suggested</th>
              <th>Override reason</th>
              <th>Destination</th>
              <th className="num">Original value</th>
              <th className="num">Recovery</th>
              <th>Decided</th>
              <th>Refurbished</th>
            </tr>
          </thead>
          <tbody>
            {decisions.map((d) => (
              <tr key={d.id} data-testid={`decision-row-${d.id}`}>
                <td className="num">{d.line_no}</td>
                <td className="num">{formatQty(d.quantity)}</td>
                <td>{gradeLabel(d.grade)}</td>
                <td>{dispositionLabel(d.disposition)}</td>
                <td className={d.suggested === d.disposition ? "muted" : "overridden"}>
                  {d.suggested === d.disposition ? "Same" : dispositionLabel(d.suggested)}
                </td>
                <td className="wrap">{d.override_reason ?? ""}</td>
                <td>
                  {d.destination && <span className="code">{d.destination}</span>}
                  {d.transfer_id !== null && (
                    <span className="muted"> on transfer {d.transfer_id}</span>
                  )}
                </td>
                <td className="num">{formatMoney(d.original_value)}</td>
                <td className="num">{formatMoney(d.recovery)}</td>
                <td title={formatLondon(d.decided_at)}>{d.decided_by}</td>
                <td>
                  {d.refurbished_at !== null ? (
                    formatLondon(d.refurbished_at)
                  ) : d.disposition === "refurbish" ? (
                    <button
                      type="button"
                      data-testid={`mark-refurbished-${d.id}`}
                      disabled={complete.isPending}
                      onClick={() => complete.mutate(d)}
                    >
                      Mark refurbished
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {complete.isError && (
        <ErrorBox title="The refurbishment was not completed" error={complete.error} />
      )}
      {complete.data && <RefurbishedResult done={complete.data} />}
    </>
  );
}

function RefurbishedResult({ done }: { done: Done }) {
  const { decisionId, destination, transferId } = done;
  const where = destination ? ` ${transferId === null ? "at" : "to"} ${destination}` : "";
  return (
    <p className="success" role="status" data-testid="refurbished-result">
      Decision {decisionId}: refurbished units{" "}
      {transferId === null ? "are available" : `travel on transfer ${transferId}`}
      {where}.
    </p>
  );
}
