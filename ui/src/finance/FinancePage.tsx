import { todayLocal, type DrillTarget } from "./finance";
import { JournalTab } from "./JournalTab";
import { initialJournalFilters, type JournalFilters } from "./journalFilters";
import { MonthlyTab } from "./MonthlyTab";
import { PeriodsTab } from "./PeriodsTab";
import { ReconciliationTab } from "./ReconciliationTab";

export type FinanceTab = "reconciliation" | "journal" | "periods" | "monthly";
export type FinanceState = {
  tab: FinanceTab;
  /** The day reconciled (YYYY-MM-DD), up to its end in the company's time zone. */
  asOf: string;
  /** The reconciliation figure whose movements are listed. */
  drill: DrillTarget | null;
  journal: JournalFilters;
  /** The first journal line shown, a multiple of the page size. */
  journalOffset: number;
};

/** A fresh workspace, reconciled as of today. */
export function initialFinance(): FinanceState {
  return {
    tab: "reconciliation",
    asOf: todayLocal(),
    drill: null,
    journal: initialJournalFilters,
    journalOffset: 0,
  };
}

const TABS: { id: FinanceTab; label: string }[] = [
  { id: "reconciliation", label: "Reconciliation" },
  { id: "journal", label: "Journal" },
  { id: "periods", label: "Periods" },
  { id: "monthly", label: "Monthly" },
];

type Props = { state: FinanceState; onChange: (state: FinanceState) => void };

/** Finance: the stock ledger against the GL, the journal behind it, period close. */
export function FinancePage({ state, onChange }: Props) {
  const openMovement = (movementId: number) =>
    onChange({
      ...state,
      tab: "journal",
      journal: { ...initialJournalFilters, movementId: String(movementId) },
      journalOffset: 0,
    });
  const reconcileAsOf = (asOf: string, drill: DrillTarget | null = null) =>
    onChange({ ...state, tab: "reconciliation", asOf, drill });

  return (
    <div className="page finance" data-testid="finance-page">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={state.tab === t.id}
            className={state.tab === t.id ? "tab active" : "tab"}
            data-testid={`finance-tab-${t.id}`}
            onClick={() => onChange({ ...state, tab: t.id })}
          >
            {t.label}
          </button>
        ))}
      </div>
      {state.tab === "reconciliation" && (
        <ReconciliationTab
          asOf={state.asOf}
          drill={state.drill}
          onAsOfChange={(asOf) => onChange({ ...state, asOf })}
          onDrill={(drill) => onChange({ ...state, drill })}
          onOpenMovement={openMovement}
        />
      )}
      {state.tab === "journal" && (
        <JournalTab
          filters={state.journal}
          offset={state.journalOffset}
          onFiltersChange={(journal) => onChange({ ...state, journal, journalOffset: 0 })}
          onOffsetChange={(journalOffset) => onChange({ ...state, journalOffset })}
        />
      )}
      {state.tab === "periods" && <PeriodsTab onReconcile={reconcileAsOf} />}
      {state.tab === "monthly" && <MonthlyTab />}
    </div>
  );
}
