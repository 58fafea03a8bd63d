import { Dashboard } from "./Dashboard";
import { initialKpiFilter, type KpiFilter } from "./kpis";
import { Workstation } from "./Workstation";

export type ReturnsTab = "workstation" | "dashboard";
export type ReturnsState = {
  tab: ReturnsTab;
  /** The return open on the workstation. */
  selected: number | null;
  /** Whether the queue lists announced returns beside the received ones. */
  announced: boolean;
  kpis: KpiFilter;
};
export const initialReturns: ReturnsState = {
  tab: "workstation",
  selected: null,
  announced: false,
  kpis: initialKpiFilter,
};

const TABS: { id: ReturnsTab; label: string }[] = [
  { id: "workstation", label: "Workstation" },
  { id: "dashboard", label: "Dashboard" },
];

type Props = { state: ReturnsState; onChange: (state: ReturnsState) => void };

/** Returns: the inspection workstation and the dashboard of how returns turn out. */
export function ReturnsPage({ state, onChange }: Props) {
  return (
    <div className="page returns" data-testid="returns-page">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={state.tab === t.id}
            className={state.tab === t.id ? "tab active" : "tab"}
            data-testid={`returns-tab-${t.id}`}
            onClick={() => onChange({ ...state, tab: t.id })}
          >
            {t.label}
          </button>
        ))}
      </div>
      {state.tab === "workstation" && (
        <Workstation
          selected={state.selected}
          announced={state.announced}
          onSelect={(selected) => onChange({ ...state, selected })}
          onAnnouncedChange={(announced) => onChange({ ...state, announced })}
        />
      )}
      {state.tab === "dashboard" && (
        <Dashboard filter={state.kpis} onChange={(kpis) => onChange({ ...state, kpis })} />
      )}
    </div>
  );
}
