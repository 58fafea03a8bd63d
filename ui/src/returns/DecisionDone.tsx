import { formatMoney } from "../components/format";
import { units } from "./inspection";
import { dispositionLabel, gradeLabel } from "./labels";
import type { Decided } from "./ReturnView";

/**
 * The last decision, as the engine recorded it. `next` is set once the return closed:
 * the RMA opened next, or null when the queue is done.
 */
export type Done = Decided & { next?: string | null };

type Props = { done: Done; onDismiss: () => void };

export function DecisionDone({ done, onDismiss }: Props) {
  const { rma, request, outcome, next } = done;
  const accepted = outcome.disposition === outcome.suggested;
  return (
    <p className="success decision-done" role="status" data-testid="decision-done">
      {rma} line {request.line_no}: {units(request.quantity)} {gradeLabel(request.grade)} →{" "}
      <strong>{dispositionLabel(outcome.disposition)}</strong>
      {accepted ? " (suggested)" : ` (override of ${dispositionLabel(outcome.suggested)})`}
      {outcome.destination && ` at ${outcome.destination}`}
      {outcome.transfer_id !== null && ` on transfer ${outcome.transfer_id}`}; expected
      recovery {formatMoney(outcome.recovery)}.
      {outcome.return_closed && " Return closed."}
      {next !== undefined && (next === null ? " The queue is done." : ` Next: ${next}.`)}{" "}
      <button type="button" className="link dismiss" onClick={onDismiss}>
        Dismiss
      </button>
    </p>
  );
}
