import type { Movement } from "../api";
import { formatLondon, formatQty, movementLabel, stateLabel } from "../components/format";

/** The append-only movement list for one position, newest first. */
export function MovementTable({ movements }: { movements: Movement[] }) {
  return (
    <div className="table-wrap">
      <table className="table movements" data-testid="movements-table">
        <thead>
          <tr>
            <th className="num">ID</th>
            <th>Event time (UK)</th>
            <th>Kind</th>
            <th>From → To</th>
            <th className="num">Quantity</th>
            <th>Channel</th>
            <th className="num">Unit price</th>
            <th>Reference</th>
            <th>Reason</th>
            <th>Actor</th>
          </tr>
        </thead>
        <tbody>
          {movements.map((m) => (
            <tr key={m.id} data-testid={`movement-row-${m.id}`}>
              <td className="num muted">{m.id}</td>
              <td title={`Recorded ${formatLondon(m.recorded_at)} · key ${m.idempotency_key}`}>
                {formatLondon(m.event_time)}
              </td>
              <td>
                <span className={`kind kind-${m.kind}`}>{movementLabel(m.kind)}</span>
              </td>
              <td className="flow">
                {stateLabel(m.from_state)} → {stateLabel(m.to_state)}
              </td>
              <td className="num">{formatQty(m.quantity)}</td>
              <td>{m.channel ?? ""}</td>
              <td className="num">{m.unit_price ?? ""}</td>
              <td>{m.reference ?? ""}</td>
              <td>{m.reason ?? ""}</td>
              <td>{m.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
