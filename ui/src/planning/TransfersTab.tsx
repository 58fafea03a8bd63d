import { api, keys, type TransferLine, type TransferSummary } from "../api";
import { DocumentsTab } from "./DocumentsTab";
import * as column from "./documentColumns";
import type { DocumentKind } from "./documents";

type T = TransferSummary;

// The api is called through its object so that tests can spy on it.
const transfers: DocumentKind<T, TransferLine> = {
  name: "Transfer",
  plural: "Transfers",
  testId: "transfer",
  noneOpen: "Nothing in transit",
  raisedBy: "Approved transfer and rebalance proposals ship transfers.",
  columns: [
    column.id,
    column.code<T>("Source → destination", (t) => `${t.source} → ${t.destination}`),
    column.status,
    column.day<T>("Shipped", (t) => t.shipped_at),
    column.expected("transfer"),
    column.lines,
    column.count<T>("Shipped units", (t) => t.shipped),
    column.qty<T>("Accepted", (t) => t.accepted),
    column.qty<T>("Rejected", (t) => t.rejected),
    column.qty<T>("In transit", (t) => t.in_transit),
    column.createdBy,
  ],
  listKey: keys.transfers,
  list: (openOnly) => api.listTransfers(openOnly),
  linesKey: keys.transferLines,
  lines: (id) => api.transferLines(id),
  receivable: (l) => ({
    line_no: l.line_no,
    sku: l.sku,
    due: l.shipped,
    accepted: l.accepted,
    rejected: l.rejected,
    open: l.in_transit,
  }),
  receive: (id, reference, lines) => api.receiveTransfer(id, reference, lines),
};

/** Transfers between locations, newest first; open ones can be received. */
export function TransfersTab() {
  return <DocumentsTab kind={transfers} />;
}
