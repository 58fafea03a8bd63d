import type { AllocationRow, OrderLine } from "../api";
import { QtyCell } from "../components/Qty";
import { formatDay, formatMoney, formatQty } from "../components/format";

export function LinesTable({ lines }: { lines: OrderLine[] }) {
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid="order-lines">
        <thead>
          <tr>
            <th className="num">Line</th>
            <th>SKU</th>
            <th className="num">Quantity</th>
            <th className="num">Unit price</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.line_no}>
              <td className="num">{l.line_no}</td>
              <td className="code">{l.sku}</td>
              <td className="num">{formatQty(l.quantity)}</td>
              <td className="num">{formatMoney(l.unit_price)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type AllocationProps = {
  allocations: AllocationRow[];
  /** Offered on rows with open units: the location could not find them at pick. */
  onNotFound: ((location: string) => void) | null;
};

export function AllocationsTable({ allocations, onNotFound }: AllocationProps) {
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid="order-allocations">
        <thead>
          <tr>
            <th className="num">Line</th>
            <th>SKU</th>
            <th>Location</th>
            <th className="num">Quantity</th>
            <th className="num">Shipped</th>
            <th className="num">Released</th>
            <th className="num">Open</th>
            <th>Ship day</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {allocations.map((a) => (
            <tr key={a.id} data-testid={`allocation-row-${a.id}`}>
              <td className="num">{a.line_no}</td>
              <td className="code">{a.sku}</td>
              <td className="code">{a.location}</td>
              <td className="num">{formatQty(a.quantity)}</td>
              <QtyCell value={a.shipped} />
              <QtyCell value={a.released} />
              <QtyCell value={a.open} />
              <td>{formatDay(a.ship_day)}</td>
              <td>
                {onNotFound && a.open > 0 && (
                  <button
                    type="button"
                    className="link"
                    data-testid={`not-found-${a.id}`}
                    title={`Re-route every open unit of this order reserved at ${a.location}`}
                    onClick={() => onNotFound(a.location)}
                  >
                    Store could not find it
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
