import type { DocumentStatus, OrderStatus, PeriodStatus, ReturnStatus } from "../api";
import { humanize } from "./format";

type Status = OrderStatus | DocumentStatus | ReturnStatus | PeriodStatus;

/** An order's, document's, return's or period's status as a small coloured pill. */
export function StatusBadge({ status }: { status: Status }) {
  return <span className={`status status-${status}`}>{humanize(status)}</span>;
}
