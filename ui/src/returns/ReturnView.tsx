import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import {
  api,
  keys,
  returnQueries,
  useStockCommand,
  type DecisionOutcome,
  type DecisionRequest,
} from "../api";
import { ErrorBox, Loading } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { DecisionsTable } from "./DecisionsTable";
import { InspectionForm } from "./InspectionForm";
import { firstWaitingLine, nextLine, unitsWaiting } from "./inspection";
import { ReceiveNow } from "./ReceiveNow";
import { ReturnHeader } from "./ReturnHeader";
import { ReturnLines } from "./ReturnLines";

/** A decision the engine recorded, with what was asked, for the workstation to report. */
export type Decided = { rma: string; request: DecisionRequest; outcome: DecisionOutcome };

type Props = { returnId: number; onDecided: (decided: Decided) => void; onClose: () => void };

/**
 * One return: its header, its lines, the inspection of the line in hand and the
 * decisions taken. After each decision inspection moves on to the next line with
 * units waiting; the workstation moves on once the return is closed.
 */
export function ReturnView({ returnId, onDecided, onClose }: Props) {
  const detail = useQuery({
    queryKey: keys.returnDetail(returnId),
    queryFn: () => api.returnDetail(returnId),
  });
  const [lineNo, setLineNo] = useState<number | null | undefined>(undefined);
  const decide = useStockCommand(
    (request: DecisionRequest) => api.decideReturns([request]),
    returnQueries,
  );

  if (detail.isPending) return <Loading label={`Loading return ${returnId}…`} />;
  if (detail.isError) {
    return <ErrorBox title={`Could not load return ${returnId}`} error={detail.error} />;
  }
  const { summary, lines, decisions } = detail.data;
  const inspectable = summary.status === "received";
  // Until the user picks a line, inspection starts at the first one with units waiting.
  const current = lineNo === undefined ? firstWaitingLine(lines) : lineNo;
  const line = lines.find((l) => l.line_no === current && unitsWaiting(l) > 0);
  const inspect = (next: number) => {
    decide.reset();
    setLineNo(next);
  };
  const submit = (request: DecisionRequest) =>
    decide.mutate(request, {
      onSuccess: ([outcome]) => {
        if (!outcome.return_closed) {
          setLineNo(nextLine(lines, request.line_no, request.quantity));
        }
        onDecided({ rma: summary.external_id, request, outcome });
      },
    });

  return (
    <article className="card return-detail" data-testid="return-detail">
      <header className="detail-header">
        <h2>
          Return {summary.id} <span className="code">{summary.external_id}</span>{" "}
          <StatusBadge status={summary.status} />
        </h2>
        <button type="button" onClick={onClose} aria-label="Close return">
          Close
        </button>
      </header>
      <ReturnHeader summary={summary} />
      {summary.status === "announced" && <ReceiveNow returnId={summary.id} />}

      <h3>Lines</h3>
      <ReturnLines
        lines={lines}
        selected={line?.line_no ?? null}
        onInspect={inspectable ? inspect : null}
      />
      {inspectable && line && (
        <InspectionForm
          key={`${line.line_no}:${unitsWaiting(line)}`}
          returnId={summary.id}
          line={line}
          busy={decide.isPending}
          error={decide.error}
          onDecide={submit}
        />
      )}
      {inspectable && !line && summary.units_waiting === 0 && (
        <p className="muted">Every received unit of this return has a decision.</p>
      )}

      <h3>Decisions</h3>
      <DecisionsTable decisions={decisions} />
    </article>
  );
}
