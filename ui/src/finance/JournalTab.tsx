import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { api, keys, type AccountTotal } from "../api";
import { checked } from "../components/checked";
import { Empty, ErrorBox, Invalid, Loading } from "../components/States";
import { useDebounced } from "../components/useDebounced";
import { AccountTotals } from "./AccountTotals";
import { ExportButton } from "./ExportButton";
import { JournalFilterBar, type Account } from "./JournalFilterBar";
import { JournalPager } from "./JournalPager";
import { JOURNAL_PAGE, toJournalFilter, type JournalFilters } from "./journalFilters";
import { JournalTable } from "./JournalTable";

type Props = {
  filters: JournalFilters;
  offset: number;
  onFiltersChange: (filters: JournalFilters) => void;
  onOffsetChange: (offset: number) => void;
};

/** Journal lines newest first, a page at a time, with the totals per account. */
export function JournalTab({ filters, offset, onFiltersChange, onOffsetChange }: Props) {
  const typed = useDebounced(filters, 300);
  const filter = checked(() => toJournalFilter(typed));
  const valid = filter.ok ? filter.value : null;
  const lines = useQuery({
    queryKey: keys.journalLines(valid ?? {}, offset),
    queryFn: () => api.journalLines(valid ?? {}, JOURNAL_PAGE, offset),
    enabled: valid !== null,
    placeholderData: (previous) => previous,
  });
  const totals = useQuery({
    queryKey: keys.journalTotals(valid ?? {}),
    queryFn: () => api.journalTotals(valid ?? {}),
    enabled: valid !== null,
  });
  const locations = useQuery({ queryKey: keys.locations, queryFn: api.listLocations });
  const accounts = useSeenAccounts(totals.data);

  return (
    <div className="finance-tab" data-testid="journal-tab">
      <div className="toolbar">
        <JournalFilterBar
          filters={filters}
          onChange={onFiltersChange}
          accounts={accounts}
          locations={locations.data}
        />
        <span className="spacer" />
        <ExportButton
          testId="journal-export"
          disabled={valid === null}
          run={() => api.exportJournal(valid ?? {})}
        />
      </div>
      {!filter.ok && <Invalid message={filter.message} />}
      {totals.isError && (
        <ErrorBox title="The account totals could not be loaded" error={totals.error} />
      )}
      {totals.data && totals.data.length > 0 && <AccountTotals totals={totals.data} />}
      {valid === null ? null : lines.isPending ? (
        <Loading label="Loading the journal…" />
      ) : lines.isError ? (
        <ErrorBox title="The journal could not be loaded" error={lines.error} />
      ) : lines.data.length === 0 && offset === 0 ? (
        <Empty title="No journal line matches">
          Stock movements post here as they happen; clear a filter to see more.
        </Empty>
      ) : (
        <>
          <JournalPager
            offset={offset}
            shown={lines.data.length}
            busy={lines.isFetching}
            onOffsetChange={onOffsetChange}
          />
          <JournalTable lines={lines.data} />
        </>
      )}
    </div>
  );
}

/** Every account seen in any totals so far, for the account filter's suggestions. */
function useSeenAccounts(totals: AccountTotal[] | undefined): Account[] {
  const seen = useRef(new Map<string, string>());
  for (const t of totals ?? []) seen.current.set(t.account, t.account_name);
  return [...seen.current]
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.code.localeCompare(b.code));
}
