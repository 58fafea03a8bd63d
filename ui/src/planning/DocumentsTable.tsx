import { Fragment } from "react";
import { rowKeys } from "../components/rowKeys";
import type { DocumentColumn, DocumentSummary } from "./documents";

type Props<S extends DocumentSummary> = {
  rows: S[];
  columns: DocumentColumn<S>[];
  /** "transfer" or "purchase-order": the table's and its rows' test ids. */
  testId: string;
  selected: number | null;
  onOpen: (id: number) => void;
};

/** Transfers or purchase orders, one row each; a click or Enter opens one. */
export function DocumentsTable<S extends DocumentSummary>(props: Props<S>) {
  const { rows, columns, testId, selected, onOpen } = props;
  return (
    <div className="table-wrap list-box">
      <table className="table" data-testid={`${testId}s-table`}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} className={c.numeric ? "num" : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.id}
              className={row.id === selected ? "clickable selected" : "clickable"}
              tabIndex={0}
              aria-selected={row.id === selected}
              data-testid={`${testId}-row-${row.id}`}
              onClick={() => onOpen(row.id)}
              onKeyDown={rowKeys(() => onOpen(row.id))}
            >
              {columns.map((c) => (
                <Fragment key={c.header}>{c.cell(row)}</Fragment>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
