import type { DocumentStatus, OrderStatus, ReturnStatus } from "../api";
import { humanize } from "./format";

type Status = OrderStatus | DocumentStatus | ReturnStatus;

/** An order's, document's or return's status as a small coloured pill. */
export function StatusBadge({ status }: { status: Status }) {
  return <span className={`status status-${status}`}>{humanize(status)}</span>;
}
