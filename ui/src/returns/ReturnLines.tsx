import type { ReturnLineDetail } from "../api";
import { formatMoney, formatQty } from "../components/format";
import { rowKeys } from "../components/rowKeys";
import { unitsWaiting } from "./inspection";
import { UnlinkedBadge } from "./UnlinkedBadge";

type Props = {
  lines: ReturnLineDetail[];
  /** The line being inspected. */
  selected: number | null;
  /** Offered on lines with units waiting, while the return can be inspected. */
  onInspect: ((lineNo: number) => void) | null;
};

/** A return's lines: what came back, why, and how many units still wait. */
export function ReturnLines({ lines, selected, onInspect }: Props) {
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid="return-lines">
        <thead>
          <tr>
            <th className="num">Line</th>
            <th>SKU</th>
            <th>Description</th>
            <th>Reason</th>
            <th>Order line</th>
            <th className="num">Quantity</th>
            <th className="num">Received</th>
            <th className="num">Waiting</th>
            <th className="num">Unit price</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => {
            const waiting = unitsWaiting(l);
            const open = onInspect && waiting > 0 ? () => onInspect(l.line_no) : null;
            return (
              <tr
                key={l.line_no}
                className={lineClass(l.line_no === selected, open !== null)}
                tabIndex={open ? 0 : undefined}
                aria-selected={l.line_no === selected}
                data-testid={`return-line-${l.line_no}`}
                onClick={open ?? undefined}
                onKeyDown={open ? rowKeys(open) : undefined}
              >
                <td className="num">{l.line_no}</td>
                <td className="code">{l.sku}</td>
                <td>{l.description}</td>
                <td>{l.reason_label}</td>
                <td>{l.order_line_no ?? <UnlinkedBadge lines={1} />}</td>
                <td className="num">{formatQty(l.quantity)}</td>
                <td className="num">{formatQty(l.received)}</td>
                <td className={waiting > 0 ? "num" : "num zero"}>{formatQty(waiting)}</td>
                <td className="num">{formatMoney(l.unit_price)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function lineClass(selected: boolean, clickable: boolean): string | undefined {
  const classes = [clickable ? "clickable" : "", selected ? "selected" : ""];
  return classes.filter(Boolean).join(" ") || undefined;
}
