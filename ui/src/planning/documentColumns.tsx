// The columns of the transfers and purchase orders tables: those both share, and
// builders for the rest. Imported as a namespace: `column.id`, `column.qty(...)`.

import { QtyCell } from "../components/Qty";
import { StatusBadge } from "../components/StatusBadge";
import { formatLondon, formatLondonDay, formatQty } from "../components/format";
import { LateBadge } from "./UrgencyBadge";
import type { DocumentColumn, DocumentSummary } from "./documents";


export const id: DocumentColumn<DocumentSummary> = {
  header: "ID",
  numeric: true,
  cell: (d) => <td className="num">{d.id}</td>,
};

export const status: DocumentColumn<DocumentSummary> = {
  header: "Status",
  cell: (d) => (
    <td>
      <StatusBadge status={d.status} />
    </td>
  ),
};

/** The expected date, marked late with a `${testId}-late-${id}` badge. */
export function expected(testId: string): DocumentColumn<DocumentSummary> {
  return {
    header: "Expected",
    cell: (d) => (
      <td title={formatLondon(d.expected_at)}>
        {formatLondonDay(d.expected_at)}{" "}
        {d.late && <LateBadge testId={`${testId}-late-${d.id}`} />}
      </td>
    ),
  };
}

export const lines = count<DocumentSummary>("Lines", (d) => d.lines);

export const createdBy: DocumentColumn<DocumentSummary> = {
  header: "By",
  cell: (d) => <td>{d.created_by}</td>,
};

/** A location or supplier code. */
export function code<S>(header: string, value: (row: S) => string): DocumentColumn<S> {
  return { header, cell: (row) => <td className="code">{value(row)}</td> };
}

/** A day in London time, the full timestamp on hover. */
export function day<S>(header: string, value: (row: S) => string): DocumentColumn<S> {
  return {
    header,
    cell: (row) => <td title={formatLondon(value(row))}>{formatLondonDay(value(row))}</td>,
  };
}

/** A plain count (lines, units due). */
export function count<S>(header: string, value: (row: S) => number): DocumentColumn<S> {
  return {
    header,
    numeric: true,
    cell: (row) => <td className="num">{formatQty(value(row))}</td>,
  };
}

/** Units that may be zero (dimmed) or negative (flagged). */
export function qty<S>(header: string, value: (row: S) => number): DocumentColumn<S> {
  return { header, numeric: true, cell: (row) => <QtyCell value={value(row)} /> };
}
