import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, keys } from "../api";
import { Empty, ErrorBox, Loading } from "../components/States";
import { formatQty } from "../components/format";
import { DecisionDone, type Done } from "./DecisionDone";
import { nextReturn } from "./inspection";
import { ReturnsTable } from "./ReturnsTable";
import { ReturnView, type Decided } from "./ReturnView";
import { ScanBox } from "./ScanBox";

type Props = {
  selected: number | null;
  announced: boolean;
  onSelect: (id: number | null) => void;
  onAnnouncedChange: (announced: boolean) => void;
};

/**
 * The returns desk: scan or pick a return, grade each line and decide where its units
 * go. When a return has no unit left to decide, the next one in the queue opens.
 */
export function Workstation({ selected, announced, onSelect, onAnnouncedChange }: Props) {
  const [done, setDone] = useState<Done | null>(null);
  const queue = useQuery({
    queryKey: keys.returnsQueue(null, announced),
    queryFn: () => api.returnsQueue(null, announced),
  });
  const open = (id: number | null) => {
    setDone(null);
    onSelect(id);
  };
  const rmaOf = (id: number) => queue.data?.find((r) => r.id === id)?.external_id ?? `#${id}`;
  const decided = (decision: Decided) => {
    if (!decision.outcome.return_closed) {
      setDone(decision);
      return;
    }
    const next = nextReturn(queue.data ?? [], decision.request.return_id);
    setDone({ ...decision, next: next === null ? null : rmaOf(next) });
    if (next !== null) onSelect(next);
  };
  const unlinked = queue.data?.filter((r) => r.unlinked_lines > 0).length ?? 0;

  return (
    <div className="workstation" data-testid="returns-workstation">
      <ScanBox selected={selected} onOpen={open} />
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            data-testid="returns-announced"
            checked={announced}
            onChange={(e) => onAnnouncedChange(e.target.checked)}
          />
          Include announced
        </label>
        <span className="muted" data-testid="returns-queue-count">
          {queue.data && `${formatQty(queue.data.length)} waiting, oldest first`}
          {unlinked > 0 && `; ${formatQty(unlinked)} unlinked`}
        </span>
      </div>
      {queue.isPending ? (
        <Loading label="Loading the returns queue…" />
      ) : queue.isError ? (
        <ErrorBox title="The returns queue could not be loaded" error={queue.error} />
      ) : queue.data.length === 0 ? (
        <Empty title="Nothing waits for inspection">
          Received returns appear here until every unit has a decision.
        </Empty>
      ) : (
        <ReturnsTable
          rows={queue.data}
          selected={selected}
          onOpen={open}
          testId="returns-queue"
        />
      )}
      {done && <DecisionDone done={done} onDismiss={() => setDone(null)} />}
      {selected !== null && (
        <ReturnView
          key={selected}
          returnId={selected}
          onDecided={decided}
          onClose={() => open(null)}
        />
      )}
    </div>
  );
}
