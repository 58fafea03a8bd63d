import type { OrderSummary } from "../api";
import { StatusBadge } from "../components/StatusBadge";
import { formatAge, formatLondon, formatMoney, formatQty } from "../components/format";
import { rowKeys } from "../components/rowKeys";

type Props = { orders: OrderSummary[]; selected: number | null; onOpen: (id: number) => void };

/** Orders newest first; a row opens the order (click, Enter or Space; arrows move). */
export function OrdersTable({ orders, selected, onOpen }: Props) {
  return (
    <div className="table-wrap list-box">
      <table className="table orders" data-testid="orders-grid">
        <thead>
          <tr>
            <th className="num">ID</th>
            <th>Channel</th>
            <th>External ID</th>
            <th>Status</th>
            <th className="num">Age</th>
            <th className="num">Lines</th>
            <th className="num">Units</th>
            <th className="num">Reserved open</th>
            <th className="num">Shipped</th>
            <th className="num">Locations</th>
            <th className="num">Value</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr
              key={o.id}
              className={o.id === selected ? "clickable selected" : "clickable"}
              tabIndex={0}
              aria-selected={o.id === selected}
              data-testid={`order-row-${o.id}`}
              title={`Placed ${formatLondon(o.placed_at)}`}
              onClick={() => onOpen(o.id)}
              onKeyDown={rowKeys(() => onOpen(o.id))}
            >
              <td className="num">{o.id}</td>
              <td>{o.channel}</td>
              <td className="code">{o.external_id}</td>
              <td>
                <StatusBadge status={o.status} />
              </td>
              <td className="num">{formatAge(o.age_hours)}</td>
              <td className="num">{formatQty(o.lines)}</td>
              <td className="num">{formatQty(o.units)}</td>
              <td className="num">{formatQty(o.reserved_open)}</td>
              <td className="num">{formatQty(o.shipped)}</td>
              <td className="num">{formatQty(o.locations)}</td>
              <td className="num">{formatMoney(o.order_value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
