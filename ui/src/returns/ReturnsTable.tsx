import type { ReturnSummary } from "../api";
import { StatusBadge } from "../components/StatusBadge";
import { formatAge, formatLondon, formatQty } from "../components/format";
import { rowKeys } from "../components/rowKeys";
import { UnlinkedBadge } from "./UnlinkedBadge";

type Props = {
  rows: ReturnSummary[];
  selected: number | null;
  onOpen: (id: number) => void;
  /** "returns-queue" or "returns-matches": the table's test id and its rows' stem. */
  testId: string;
};

/** Returns, one row each; a click, Enter or Space opens one (arrows move). */
export function ReturnsTable({ rows, selected, onOpen, testId }: Props) {
  return (
    <div className="table-wrap list-box">
      <table className="table returns" data-testid={testId}>
        <thead>
          <tr>
            <th className="num">Age</th>
            <th>Return</th>
            <th>Channel</th>
            <th>Order</th>
            <th>Customer</th>
            <th>Location</th>
            <th>Status</th>
            <th className="num">Lines</th>
            <th className="num">Units</th>
            <th className="num">Waiting</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.id}
              className={rowClass(r, selected)}
              tabIndex={0}
              aria-selected={r.id === selected}
              data-testid={`${testId}-row-${r.id}`}
              title={r.received_at ? `Received ${formatLondon(r.received_at)}` : "Announced"}
              onClick={() => onOpen(r.id)}
              onKeyDown={rowKeys(() => onOpen(r.id))}
            >
              <td className="num">{formatAge(r.age_hours)}</td>
              <td>
                <span className="code">{r.external_id}</span>{" "}
                <span className="muted small">#{r.id}</span>
              </td>
              <td>{r.channel}</td>
              <td>
                {r.order_external_id ? (
                  <span className="code">{r.order_external_id}</span>
                ) : (
                  <span className="muted">None</span>
                )}
                {r.unlinked_lines > 0 && (
                  <>
                    {" "}
                    <UnlinkedBadge lines={r.unlinked_lines} testId={`unlinked-${r.id}`} />
                  </>
                )}
              </td>
              <td>{r.customer_ref ?? <span className="muted">—</span>}</td>
              <td className="code">{r.location}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td className="num">{formatQty(r.lines)}</td>
              <td className="num">{formatQty(r.units)}</td>
              <td className={r.units_waiting > 0 ? "num" : "num zero"}>
                {formatQty(r.units_waiting)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function rowClass(r: ReturnSummary, selected: number | null): string {
  const classes = ["clickable"];
  if (r.id === selected) classes.push("selected");
  if (r.unlinked_lines > 0) classes.push("flagged");
  return classes.join(" ");
}
