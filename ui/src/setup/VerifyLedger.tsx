import { useMutation } from "@tanstack/react-query";
import { api } from "../api";
import { ErrorBox } from "../components/States";
import { formatQty, stateLabel } from "../components/format";

/** Recomputes every position from the ledger and lists any drift. */
export function VerifyLedger() {
  const verify = useMutation({ mutationFn: api.verifyLedger });
  const report = verify.data;
  return (
    <div className="verify">
      <div className="actions">
        <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
          {verify.isPending ? "Verifying…" : "Verify ledger"}
        </button>
      </div>
      {verify.isError && <ErrorBox title="Verification failed" error={verify.error} />}
      {report && report.drifts.length === 0 && (
        <p className="success" role="status" data-testid="verify-ok">
          No drift: {formatQty(report.positions_checked)} positions match the sum of{" "}
          {formatQty(report.movements)} movements.
        </p>
      )}
      {report && report.drifts.length > 0 && (
        <div data-testid="verify-drifts">
          <p className="error-box" role="alert">
            {formatQty(report.drifts.length)} drifts found across{" "}
            {formatQty(report.positions_checked)} positions and {formatQty(report.movements)}{" "}
            movements.
          </p>
          <table className="table compact">
            <thead>
              <tr>
                <th>SKU</th>
                <th>Location</th>
                <th>State</th>
                <th className="num">Position</th>
                <th className="num">Ledger</th>
                <th className="num">Difference</th>
              </tr>
            </thead>
            <tbody>
              {report.drifts.map((d) => (
                <tr key={`${d.sku}|${d.location}|${d.state}`}>
                  <td className="code">{d.sku}</td>
                  <td className="code">{d.location}</td>
                  <td>{stateLabel(d.state)}</td>
                  <td className="num">{formatQty(d.position)}</td>
                  <td className="num">{formatQty(d.ledger)}</td>
                  <td className="num neg">{formatQty(d.position - d.ledger)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
