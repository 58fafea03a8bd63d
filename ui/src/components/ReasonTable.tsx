import type { ReasonCount } from "../api";
import { formatQty } from "./format";

/** A small "reason → lines" table with an empty state. */
export function ReasonTable({ title, rows }: { title: string; rows: ReasonCount[] }) {
  const total = rows.reduce((sum, row) => sum + row.lines, 0);
  return (
    <section className="reason-table">
      <h4>
        {title} <span className="muted">({formatQty(total)} lines)</span>
      </h4>
      {rows.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="table compact">
          <tbody>
            {rows.map((row) => (
              <tr key={row.reason}>
                <td>{row.reason}</td>
                <td className="num">{formatQty(row.lines)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
