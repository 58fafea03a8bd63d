import type { OrderStatus } from "../api";
import { humanize } from "./format";

export function StatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`status status-${status}`}>{humanize(status)}</span>;
}
