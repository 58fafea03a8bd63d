import type { ReturnSummary } from "../api";
import { Fact } from "../components/Fact";
import { formatAge, formatLondon, formatQty } from "../components/format";
import { UnlinkedBadge } from "./UnlinkedBadge";

/** Who sent the return back, from which sale, where it is and how long it has waited. */
export function ReturnHeader({ summary }: { summary: ReturnSummary }) {
  return (
    <dl className="facts" data-testid="return-header">
      <Fact label="RMA">
        <span className="code">{summary.external_id}</span>
      </Fact>
      <Fact label="Channel">{summary.channel}</Fact>
      <Fact label="Order">
        {summary.order_external_id ? (
          <span className="code">{summary.order_external_id}</span>
        ) : (
          <span className="status unlinked">Unlinked</span>
        )}
        {summary.order_external_id && summary.unlinked_lines > 0 && (
          <>
            {" "}
            <UnlinkedBadge lines={summary.unlinked_lines} />
          </>
        )}
      </Fact>
      <Fact label="Customer">{summary.customer_ref ?? "—"}</Fact>
      <Fact label="Location">
        <span className="code">{summary.location}</span>
      </Fact>
      <Fact label="Received">
        {summary.received_at ? formatLondon(summary.received_at) : "Not yet (announced)"}
      </Fact>
      <Fact label="Age">{formatAge(summary.age_hours)}</Fact>
      <Fact label="Units">
        {formatQty(summary.units)} · {formatQty(summary.units_waiting)} waiting
      </Fact>
    </dl>
  );
}
