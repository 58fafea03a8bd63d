import type { DecisionSummary, Proposal } from "../api";
import { formatQty } from "../components/format";
import { proposalLabel } from "./approvals";

export type Decision = { verb: "approved" | "rejected"; summary: DecisionSummary };

const ids = (list: number[]) => list.join(", ");
const count = (n: number, one: string) => `${formatQty(n)} ${one}${n === 1 ? "" : "s"}`;

type Props = { decision: Decision; known: Proposal[]; onDismiss: () => void };

/** What a bulk decision did: what was decided, what it created, and every failure. */
export function DecisionResult({ decision, known, onDismiss }: Props) {
  const { verb, summary } = decision;
  const { decided, failed, purchase_orders: pos, transfers } = summary;
  return (
    <section className="decision-result" data-testid="decision-result" aria-live="polite">
      <p className={decided.length > 0 ? "success" : "muted"} role="status">
        {count(decided.length, "proposal")} {verb}.
        {pos.length > 0 && ` ${count(pos.length, "purchase order")} raised: ${ids(pos)}.`}
        {transfers.length > 0 &&
          ` ${count(transfers.length, "transfer")} shipped: ${ids(transfers)}.`}{" "}
        <button type="button" className="link dismiss" onClick={onDismiss}>
          Dismiss
        </button>
      </p>
      {failed.length > 0 && (
        <div className="refusal" role="alert" data-testid="decision-failures">
          <strong>{count(failed.length, "proposal")} not {verb}:</strong>
          <ul>
            {failed.map((f) => (
              <li key={f.id} data-testid={`decision-failure-${f.id}`}>
                {proposalLabel(f.id, known)}: {f.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
