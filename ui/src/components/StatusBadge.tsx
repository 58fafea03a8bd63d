import type { DocumentStatus, OrderStatus } from "../api";
import { humanize } from "./format";

/** An order's, transfer's or purchase order's status as a small coloured pill. */
export function StatusBadge({ status }: { status: OrderStatus | DocumentStatus }) {
  return <span className={`status status-${status}`}>{humanize(status)}</span>;
}
