import type { Location } from "../api";
import { LocationOptions } from "../components/Options";
import {
  initialJournalFilters,
  JOURNAL_KINDS,
  type JournalFilters,
  type JournalKind,
} from "./journalFilters";

/** An account code with its name, as the totals named it. */
export type Account = { code: string; name: string };

type Props = {
  filters: JournalFilters;
  onChange: (filters: JournalFilters) => void;
  /** Accounts seen in the totals so far, offered as suggestions; any code may be typed. */
  accounts: Account[];
  locations: Location[] | undefined;
};

/** Days, account, location, SKU, movement and kind, all applied by the engine. */
export function JournalFilterBar({ filters, onChange, accounts, locations }: Props) {
  const set = <K extends keyof JournalFilters>(key: K, value: JournalFilters[K]) =>
    onChange({ ...filters, [key]: value });
  const text = (key: "account" | "sku" | "movementId") => ({
    value: filters[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
  });
  return (
    <div className="toolbar journal-filters" data-testid="journal-filters">
      <label>
        From
        <input
          type="date"
          data-testid="journal-from"
          value={filters.from}
          onChange={(e) => set("from", e.target.value)}
        />
      </label>
      <label>
        To (included)
        <input
          type="date"
          data-testid="journal-to"
          value={filters.to}
          onChange={(e) => set("to", e.target.value)}
        />
      </label>
      <label>
        Account
        <input
          list="journal-accounts"
          placeholder="Any account"
          data-testid="journal-account"
          className="short-input"
          {...text("account")}
        />
      </label>
      <datalist id="journal-accounts">
        {accounts.map((a) => (
          <option key={a.code} value={a.code}>
            {a.name}
          </option>
        ))}
      </datalist>
      <label>
        Location
        <select
          data-testid="journal-location"
          value={filters.location}
          onChange={(e) => set("location", e.target.value)}
        >
          <option value="">All locations</option>
          <LocationOptions locations={locations} />
        </select>
      </label>
      <label>
        SKU
        <input
          type="search"
          placeholder="Any SKU"
          data-testid="journal-sku"
          className="short-input"
          {...text("sku")}
        />
      </label>
      <label>
        Movement
        <input
          inputMode="numeric"
          placeholder="Any movement"
          data-testid="journal-movement"
          className="short-input"
          {...text("movementId")}
        />
      </label>
      <label>
        Kind
        <select
          data-testid="journal-kind"
          value={filters.kind}
          onChange={(e) => set("kind", e.target.value as JournalKind | "")}
        >
          <option value="">Postings and corrections</option>
          {JOURNAL_KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        data-testid="journal-clear"
        onClick={() => onChange(initialJournalFilters)}
      >
        Clear filters
      </button>
    </div>
  );
}
