import type { DrillRow, MovementKind } from "../api";
import { formatLondon, formatMoney, formatQty, movementLabel } from "../components/format";
import { sameDecimal } from "./finance";

type Props = { rows: DrillRow[]; onOpenMovement: (movementId: number) => void };

/** Each movement with its value on both sides; a movement whose sides differ is flagged. */
export function DrillTable({ rows, onOpenMovement }: Props) {
  return (
    <div className="table-wrap list-box">
      <table className="table drill-table" data-testid="recon-drill">
        <thead>
          <tr>
            <th className="num">Movement</th>
            <th>Event time (UK)</th>
            <th>Kind</th>
            <th>SKU</th>
            <th>Reference</th>
            <th className="num">Quantity</th>
            <th className="num">Stock ledger</th>
            <th className="num">GL</th>
            <th className="num">Entries</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => {
            const agrees = sameDecimal(m.ledger_value, m.gl_value);
            return (
              <tr
                key={m.movement_id}
                className={agrees ? undefined : "flagged"}
                title={agrees ? undefined : "The stock ledger and the GL differ on this movement"}
                data-testid={`drill-row-${m.movement_id}`}
              >
                <td className="num">
                  <button
                    type="button"
                    className="link"
                    data-testid={`drill-movement-${m.movement_id}`}
                    title="Open its journal entries"
                    onClick={() => onOpenMovement(m.movement_id)}
                  >
                    {m.movement_id}
                  </button>
                </td>
                <td>{formatLondon(m.event_time)}</td>
                <td>
                  {/* The engine sends the movement kind's name as text. */}
                  <span className={`kind kind-${m.kind}`}>
                    {movementLabel(m.kind as MovementKind)}
                  </span>
                </td>
                <td className="code">{m.sku}</td>
                <td>{m.reference ?? ""}</td>
                <td className="num">{formatQty(m.quantity)}</td>
                <td className="num">{formatMoney(m.ledger_value)}</td>
                <td className={agrees ? "num" : "num neg"}>{formatMoney(m.gl_value)}</td>
                <td className="num">{formatQty(m.entries)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
