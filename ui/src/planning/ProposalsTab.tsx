import { useQuery } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { api, keys, type Proposal } from "../api";
import { Empty, ErrorBox, Loading } from "../components/States";
import { formatQty } from "../components/format";
import { useDebounced } from "../components/useDebounced";
import type { Edits } from "./approvals";
import { DecisionBar } from "./DecisionBar";
import { DecisionResult, type Decision } from "./DecisionResult";
import { DemandPanel } from "./DemandPanel";
import { PlanActions } from "./PlanActions";
import { ProposalFilterBar } from "./ProposalFilterBar";
import { PROPOSAL_LIMIT, toProposalFilter, type ProposalFilters } from "./proposalFilters";
import { ProposalsGrid } from "./ProposalsGrid";

type Props = { filters: ProposalFilters; onFiltersChange: (filters: ProposalFilters) => void };

/** Open proposals to approve or reject, and the demand behind the one in focus. */
export function ProposalsTab({ filters, onFiltersChange }: Props) {
  const typed = useDebounced(filters, 300);
  const filter = toProposalFilter(typed);
  const list = useQuery({
    queryKey: keys.proposals(filter),
    queryFn: () => api.listProposals(filter),
  });
  const locations = useQuery({ queryKey: keys.locations, queryFn: api.listLocations });
  const suppliers = useSeenSuppliers(list.data);

  // Edited quantities live in a ref: the grid redraws the cell itself, and the figures
  // are only read again when the planner approves.
  const edits = useRef(new Map<number, number>());
  const readEdits = useCallback((): Edits => edits.current, []);
  const onEdit = useCallback((id: number, quantity: number) => {
    edits.current.set(id, quantity);
  }, []);

  const [selected, setSelected] = useState<Proposal[]>([]);
  const [focused, setFocused] = useState<Proposal | null>(null);
  const [decision, setDecision] = useState<{ decision: Decision; on: Proposal[] } | null>(null);
  const onDecided = (next: Decision, on: Proposal[]) => {
    for (const id of next.summary.decided) edits.current.delete(id);
    setDecision({ decision: next, on });
  };

  const rows = list.data ?? [];
  const inFocus = rows.find((p) => p.id === focused?.id) ?? rows[0] ?? null;

  return (
    <div className="proposals-tab" data-testid="proposals-tab">
      <div className="proposals-head">
        <ProposalFilterBar
          filters={filters}
          onChange={onFiltersChange}
          locations={locations.data}
          suppliers={suppliers}
        />
        <PlanActions />
      </div>
      <DecisionBar selected={selected} edits={readEdits} onDecided={onDecided}>
        {list.isSuccess && (
          <span className="muted" data-testid="proposals-count">
            {list.isFetching ? "Refreshing… " : ""}
            {formatQty(rows.length)} open proposal{rows.length === 1 ? "" : "s"}, most urgent
            first{rows.length === PROPOSAL_LIMIT && ` (the first ${formatQty(PROPOSAL_LIMIT)})`}.
          </span>
        )}
      </DecisionBar>
      {decision && (
        <DecisionResult
          decision={decision.decision}
          known={decision.on}
          onDismiss={() => setDecision(null)}
        />
      )}
      {list.isPending ? (
        <Loading label="Loading proposals…" />
      ) : list.isError ? (
        <ErrorBox title="Proposals could not be loaded" error={list.error} />
      ) : (
        <ProposalsGrid
          rows={rows}
          edits={readEdits}
          onEdit={onEdit}
          onSelect={setSelected}
          onFocus={setFocused}
        />
      )}
      {inFocus ? (
        <DemandPanel key={inFocus.id} proposal={inFocus} />
      ) : (
        list.isSuccess && (
          <Empty title="No proposal in focus">
            Run a plan, or clear a filter, to see proposals and their demand.
          </Empty>
        )
      )}
    </div>
  );
}

/** Supplier codes seen on any list so far, for the supplier filter's suggestions. */
function useSeenSuppliers(rows: Proposal[] | undefined): string[] {
  const seen = useRef(new Set<string>());
  for (const p of rows ?? []) if (p.supplier) seen.current.add(p.supplier);
  return [...seen.current].sort();
}
