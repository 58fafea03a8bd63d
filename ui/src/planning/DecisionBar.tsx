import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { api, useStockCommand, type Approval, type Proposal } from "../api";
import { Prompt } from "../components/Prompt";
import { ErrorBox } from "../components/States";
import { formatQty } from "../components/format";
import { approvalsFor, type Edits } from "./approvals";
import type { Decision } from "./DecisionResult";

type Props = {
  selected: Proposal[];
  edits: () => Edits;
  onDecided: (decision: Decision, decidedOn: Proposal[]) => void;
  /** Shown at the right end of the bar (the list's count). */
  children?: ReactNode;
};

type Approve = { approvals: Approval[]; note: string | null };
type Reject = { ids: number[]; reason: string };

const proposals = (n: number) => `${formatQty(n)} proposal${n === 1 ? "" : "s"}`;

/** Approve or reject the ticked proposals, each after a one-line confirmation. */
export function DecisionBar({ selected, edits, onDecided, children }: Props) {
  const client = useQueryClient();
  const [ask, setAsk] = useState<"approve" | "reject" | null>(null);
  // Approving ships transfers and raises purchase orders, so stock views go stale too.
  const approve = useStockCommand(
    ({ approvals, note }: Approve) => api.approveProposals(approvals, note),
    [["proposals"]],
  );
  const reject = useMutation({
    mutationFn: ({ ids, reason }: Reject) => api.rejectProposals(ids, reason),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["proposals"] }),
  });
  const busy = approve.isPending || reject.isPending;
  const open = (next: "approve" | "reject") => {
    approve.reset();
    reject.reset();
    setAsk(next);
  };
  const done =
    (verb: Decision["verb"], decidedOn: Proposal[]) => (summary: Decision["summary"]) => {
      setAsk(null);
      onDecided({ verb, summary }, decidedOn);
    };
  const none = selected.length === 0;

  return (
    <div className="decision-bar">
      <div className="toolbar">
        <button
          type="button"
          className="primary"
          data-testid="approve-selected"
          disabled={none || busy}
          onClick={() => open("approve")}
        >
          Approve selected ({formatQty(selected.length)})
        </button>
        <button
          type="button"
          data-testid="reject-selected"
          disabled={none || busy}
          onClick={() => open("reject")}
        >
          Reject selected
        </button>
        <span className="muted small">
          Tick rows (Space); double-click or Enter edits a quantity.
        </span>
        <span className="spacer" />
        {children}
      </div>
      {ask === "approve" && (
        <Prompt
          testId="prompt-approve"
          title={
            `Approve ${proposals(selected.length)}? ` +
            "Purchase orders and transfers are created at once."
          }
          field={{ label: "Note", placeholder: "optional" }}
          confirmLabel="Approve"
          busy={busy}
          onCancel={() => setAsk(null)}
          onConfirm={(note) => {
            const approvals = approvalsFor(selected, edits());
            approve.mutate(
              { approvals, note: note || null },
              { onSuccess: done("approved", selected) },
            );
          }}
        />
      )}
      {ask === "reject" && (
        <Prompt
          testId="prompt-reject"
          title={`Reject ${proposals(selected.length)}?`}
          field={{ label: "Reason", required: true, placeholder: "e.g. range being delisted" }}
          confirmLabel="Reject"
          busy={busy}
          onCancel={() => setAsk(null)}
          onConfirm={(reason) =>
            reject.mutate(
              { ids: selected.map((p) => p.id), reason },
              { onSuccess: done("rejected", selected) },
            )
          }
        />
      )}
      {approve.isError && <ErrorBox title="The approval failed" error={approve.error} />}
      {reject.isError && <ErrorBox title="The rejection failed" error={reject.error} />}
    </div>
  );
}
