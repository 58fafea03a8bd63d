import type { Urgency } from "../api";
import { urgencyName } from "./labels";

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  return <span className={`status urgency-${urgency}`}>{urgencyName(urgency)}</span>;
}

/** Shown on a transfer or purchase order past its expected date with units still due. */
export function LateBadge({ testId }: { testId?: string }) {
  return (
    <span className="status late" data-testid={testId} title="Past its expected date">
      LATE
    </span>
  );
}
