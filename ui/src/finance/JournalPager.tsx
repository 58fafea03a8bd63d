import { formatQty } from "../components/format";
import { JOURNAL_PAGE } from "./journalFilters";

type Props = {
  offset: number;
  /** Lines on this page: fewer than a full page means it is the last. */
  shown: number;
  busy: boolean;
  onOffsetChange: (offset: number) => void;
};

/** Which lines are shown, with the previous and next pages. */
export function JournalPager({ offset, shown, busy, onOffsetChange }: Props) {
  const range =
    shown === 0
      ? `No line after ${formatQty(offset)}`
      : `Lines ${formatQty(offset + 1)}–${formatQty(offset + shown)}, newest first`;
  return (
    <div className="toolbar pager">
      <button
        type="button"
        data-testid="journal-prev"
        title="Newer lines"
        disabled={offset === 0 || busy}
        onClick={() => onOffsetChange(Math.max(0, offset - JOURNAL_PAGE))}
      >
        ← Previous
      </button>
      <button
        type="button"
        data-testid="journal-next"
        title="Older lines"
        disabled={shown < JOURNAL_PAGE || busy}
        onClick={() => onOffsetChange(offset + JOURNAL_PAGE)}
      >
        Next →
      </button>
      <span className="muted" data-testid="journal-range">
        {busy ? "Loading… " : ""}
        {range}
      </span>
    </div>
  );
}
