import type { JournalLine } from "../api";
import { formatDay, formatLondon, formatMoney, humanize } from "../components/format";
import { isZero, monthLabel } from "./finance";

/**
 * Journal lines grouped by entry (the engine sends them newest entry first, lines in
 * order): the entry's own columns are shown on its first line. Corrections are flagged.
 */
export function JournalTable({ lines }: { lines: JournalLine[] }) {
  return (
    <div className="table-wrap">
      <table className="table journal" data-testid="journal-table">
        <thead>
          <tr>
            <th className="num">Entry</th>
            <th>Day</th>
            <th>Period</th>
            <th>Kind</th>
            <th className="num">Movement</th>
            <th>Memo</th>
            <th className="num">Line</th>
            <th>Account</th>
            <th>Location</th>
            <th>SKU</th>
            <th className="num">Debit</th>
            <th className="num">Credit</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => {
            const first = i === 0 || lines[i - 1].entry_id !== l.entry_id;
            return (
              <tr
                key={`${l.entry_id}-${l.line_no}`}
                className={rowClass(l, first)}
                data-testid={`journal-line-${l.entry_id}-${l.line_no}`}
              >
                {first ? <EntryCells line={l} /> : <td colSpan={6} aria-hidden="true" />}
                <td className="num muted">{l.line_no}</td>
                <td>
                  <span className="code">{l.account}</span> {l.account_name}
                </td>
                <td className="code">{l.location}</td>
                <td className="code">{l.sku}</td>
                <td className="num">{amount(l.debit)}</td>
                <td className="num">{amount(l.credit)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function EntryCells({ line }: { line: JournalLine }) {
  return (
    <>
      <td className="num" title={`Posted ${formatLondon(line.event_time)}`}>
        {line.entry_id}
      </td>
      <td>{formatDay(line.day)}</td>
      <td>{monthLabel(line.period)}</td>
      <td>
        <span className={`entry-kind entry-${line.kind}`}>{humanize(line.kind)}</span>
      </td>
      <td className="num">{line.movement_id ?? ""}</td>
      <td className="wrap">{line.memo}</td>
    </>
  );
}

function rowClass(line: JournalLine, first: boolean): string {
  const classes = [];
  if (first) classes.push("entry-start");
  if (line.kind === "correction") classes.push("correction");
  return classes.join(" ");
}

/** A debit or credit; the side a line does not touch is left blank. */
function amount(decimal: string): string {
  return isZero(decimal) ? "" : formatMoney(decimal);
}
