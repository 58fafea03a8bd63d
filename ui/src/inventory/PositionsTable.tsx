import type { Position } from "../api";
import { QtyCell } from "../components/Qty";
import { QTY_FIELDS, formatQty, kindLabel } from "../components/format";
import { rowKeys } from "../components/rowKeys";

type Props = { positions: Position[]; onOpen: (position: Position) => void };

/** One row per location, one column per stock state. Rows open the ledger. */
export function PositionsTable({ positions, onOpen }: Props) {
  return (
    <div className="table-wrap">
      <table className="table positions" data-testid="positions-table">
        <thead>
          <tr>
            <th>Location</th>
            <th>Kind</th>
            {QTY_FIELDS.map((f) => (
              <th key={f.key} className="num">
                {f.label}
              </th>
            ))}
            <th className="num">Movements</th>
          </tr>
        </thead>
        <tbody>
          {positions.map((p) => (
            <tr
              key={p.location}
              className="clickable"
              tabIndex={0}
              data-testid={`position-row-${p.location}`}
              title={`Open the ledger for ${p.sku} at ${p.location}`}
              onClick={() => onOpen(p)}
              onKeyDown={rowKeys(() => onOpen(p))}
            >
              <td>
                <span className="code">{p.location}</span>{" "}
                <span className="muted">{p.location_name}</span>
              </td>
              <td>{kindLabel(p.location_kind)}</td>
              {QTY_FIELDS.map((f) => (
                <QtyCell key={f.key} value={p[f.key]} testId={`cell-${p.location}-${f.key}`} />
              ))}
              <td className="num">{formatQty(p.movement_count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
