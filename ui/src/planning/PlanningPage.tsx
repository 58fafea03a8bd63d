import { PolicyTab } from "./PolicyTab";
import { ProposalsTab } from "./ProposalsTab";
import { PurchaseOrdersTab } from "./PurchaseOrdersTab";
import { TransfersTab } from "./TransfersTab";
import { initialFilters, type ProposalFilters } from "./proposalFilters";

export type PlanningTab = "proposals" | "transfers" | "purchase-orders" | "policy";
export type PlanningState = { tab: PlanningTab; filters: ProposalFilters };
export const initialPlanning: PlanningState = { tab: "proposals", filters: initialFilters };

const TABS: { id: PlanningTab; label: string }[] = [
  { id: "proposals", label: "Proposals" },
  { id: "transfers", label: "Transfers" },
  { id: "purchase-orders", label: "Purchase orders" },
  { id: "policy", label: "Policy" },
];

type Props = { state: PlanningState; onChange: (state: PlanningState) => void };

/** The planner's workbench: proposals, the documents they became, and the policy. */
export function PlanningPage({ state, onChange }: Props) {
  return (
    <div className="page planning" data-testid="planning-page">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={state.tab === t.id}
            className={state.tab === t.id ? "tab active" : "tab"}
            data-testid={`planning-tab-${t.id}`}
            onClick={() => onChange({ ...state, tab: t.id })}
          >
            {t.label}
          </button>
        ))}
      </div>
      {state.tab === "proposals" && (
        <ProposalsTab
          filters={state.filters}
          onFiltersChange={(filters) => onChange({ ...state, filters })}
        />
      )}
      {state.tab === "transfers" && <TransfersTab />}
      {state.tab === "purchase-orders" && <PurchaseOrdersTab />}
      {state.tab === "policy" && <PolicyTab />}
    </div>
  );
}
