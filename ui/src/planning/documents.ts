import type { QueryKey } from "@tanstack/react-query";
import type { ReactElement } from "react";
import type { DocumentStatus, ReceiptLine, ReceiptOutcome } from "../api";
import type { ReceivableLine } from "./receiptForm";

/** What every receivable document's list row carries, whatever else it has. */
export type DocumentSummary = {
  id: number;
  status: DocumentStatus;
  expected_at: string;
  late: boolean;
  lines: number;
  created_by: string;
};

/** One column of a documents table; `cell` renders the whole `<td>`. */
export type DocumentColumn<S> = {
  header: string;
  numeric?: boolean;
  cell: (row: S) => ReactElement;
};

/**
 * A kind of document raised by approved proposals and received at its destination:
 * a transfer or a purchase order. Everything the shared tab, table and detail need.
 */
export type DocumentKind<S extends DocumentSummary, L> = {
  /** "Transfer" or "Purchase order": one document, as in "Transfer 12". */
  name: string;
  /** "Transfers" or "Purchase orders". */
  plural: string;
  /**
   * "transfer" or "purchase-order": the stem of every test id, such as
   * `transfer-row-12`, `transfers-table` and `receive-transfer`.
   */
  testId: string;
  /** The empty list's title when only open documents are shown. */
  noneOpen: string;
  /** What raises documents of this kind, shown under an empty list. */
  raisedBy: string;
  columns: DocumentColumn<S>[];
  listKey: (openOnly: boolean) => QueryKey;
  list: (openOnly: boolean) => Promise<S[]>;
  linesKey: (id: number) => QueryKey;
  lines: (id: number) => Promise<L[]>;
  /** A line as the receiving form shows it. */
  receivable: (line: L) => ReceivableLine;
  receive: (id: number, reference: string, lines: ReceiptLine[]) => Promise<ReceiptOutcome>;
};
