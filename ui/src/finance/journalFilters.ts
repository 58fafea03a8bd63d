import type { JournalFilter } from "../api";

/** How many journal lines one page shows. */
export const JOURNAL_PAGE = 200;

/** A journal entry's kind: what a movement posted, or a later correction of it. */
export type JournalKind = "posting" | "correction";

export const JOURNAL_KINDS: { value: JournalKind; label: string }[] = [
  { value: "posting", label: "Postings" },
  { value: "correction", label: "Corrections" },
];

/** The journal's filters as the user types them; blank means "any". */
export type JournalFilters = {
  /** First day, YYYY-MM-DD in the company's time zone. */
  from: string;
  /** Last day (included). */
  to: string;
  account: string;
  location: string;
  sku: string;
  movementId: string;
  kind: JournalKind | "";
};

export const initialJournalFilters: JournalFilters = {
  from: "",
  to: "",
  account: "",
  location: "",
  sku: "",
  movementId: "",
  kind: "",
};

const orNull = (text: string) => (text.trim() === "" ? null : text.trim());

/** The engine's filter; throws with a message the user can act on when a field is wrong. */
export function toJournalFilter(filters: JournalFilters): JournalFilter {
  const movement = filters.movementId.trim();
  if (movement !== "" && !/^\d+$/.test(movement)) {
    throw new Error("A movement id is a whole number, e.g. 1234.");
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    throw new Error("The first day must be on or before the last day.");
  }
  return {
    from: filters.from || null,
    to: filters.to || null,
    account: orNull(filters.account),
    location: orNull(filters.location),
    sku: orNull(filters.sku),
    movement_id: movement === "" ? null : Number(movement),
    kind: filters.kind || null,
  };
}
