import type { ReconRow } from "../api";
import { formatMoney, formatQty } from "../components/format";
import { rowKeys } from "../components/rowKeys";
import { isZero, type DrillTarget } from "./finance";

type Props = {
  rows: ReconRow[];
  /** Rows are account × location × SKU (the variances) rather than location totals. */
  bySku?: boolean;
  selected: DrillTarget | null;
  onOpen: (target: DrillTarget) => void;
  /** "recon-locations" or "recon-variances": the table's test id and its rows' stem. */
  testId: string;
};

/** Reconciliation rows; a click, Enter or Space lists the movements behind one. */
export function ReconTable({ rows, bySku = false, selected, onOpen, testId }: Props) {
  return (
    <div className="table-wrap list-box">
      <table className="table recon" data-testid={testId}>
        <thead>
          <tr>
            <th>Account</th>
            <th>Account name</th>
            <th>Location</th>
            {bySku && <th>SKU</th>}
            <th className="num">Units</th>
            <th className="num">Stock ledger</th>
            <th className="num">GL</th>
            <th className="num">Difference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const target = { account: r.account, location: r.location, sku: bySku ? r.sku : null };
            const open = () => onOpen(target);
            const isSelected = same(target, selected);
            const balanced = isZero(r.difference);
            return (
              <tr
                key={`${r.account}|${r.location}|${r.sku}`}
                className={isSelected ? "clickable selected" : "clickable"}
                tabIndex={0}
                aria-selected={isSelected}
                data-testid={`${testId}-row-${rowId(target)}`}
                onClick={open}
                onKeyDown={rowKeys(open)}
              >
                <td className="code">{r.account}</td>
                <td>{r.account_name}</td>
                <td className="code">{r.location}</td>
                {bySku && <td className="code">{r.sku}</td>}
                <td className="num">{formatQty(r.units)}</td>
                <td className="num">{formatMoney(r.ledger_value)}</td>
                <td className="num">{formatMoney(r.gl_value)}</td>
                <td className={balanced ? "num zero" : "num neg"}>{formatMoney(r.difference)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** "1300-DC-SOUTH", or "1300-DC-SOUTH-85123A" for one SKU: the row's test id suffix. */
export function rowId(target: DrillTarget): string {
  return [target.account, target.location, target.sku].filter(Boolean).join("-");
}

function same(a: DrillTarget, b: DrillTarget | null): boolean {
  return b !== null && a.account === b.account && a.location === b.location && a.sku === b.sku;
}
