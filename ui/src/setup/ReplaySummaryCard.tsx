import type { ReplaySummary } from "../api";
import { ReasonTable } from "../components/ReasonTable";
import { StockTotalsCard } from "../components/StockTotalsCard";
import { formatDuration, formatQty } from "../components/format";
import { FulfilmentFigures } from "../orders/FulfilmentFigures";

const MAX_REJECTIONS = 500;

export function ReplaySummaryCard({ summary }: { summary: ReplaySummary }) {
  const skipped = summary.skipped.reduce((sum, r) => sum + r.lines, 0);
  const rejected = summary.rejected.reduce((sum, r) => sum + r.lines, 0);
  const headline: [string, number][] = [
    ["Lines read", summary.lines_read],
    ["Lines applied", summary.lines_applied],
    ["Lines skipped", skipped],
    ["Lines rejected", rejected],
    ["Units ordered", summary.units_ordered],
    ["Units sold", summary.units_sold],
    ["Units returned", summary.units_returned],
    ["Units written off", summary.units_written_off],
    ["Units received", summary.units_received],
  ];
  const shown = summary.rejections.slice(0, MAX_REJECTIONS);

  return (
    <section className="card" data-testid="replay-summary">
      <h3>
        Loaded {summary.from} to {summary.to}
        <span className="muted">
          {" "}
          · {formatQty(summary.days)} days in {formatDuration(summary.elapsed_ms)}
        </span>
      </h3>
      <dl className="figures">
        {headline.map(([label, value]) => (
          <div className="figure" key={label}>
            <dt>{label}</dt>
            <dd>{formatQty(value)}</dd>
          </div>
        ))}
      </dl>
      {summary.fulfilment && (
        <>
          <h4>
            Orders <span className="muted">(captured, reserved, routed and shipped)</span>
          </h4>
          <FulfilmentFigures kpis={summary.fulfilment} testId="summary-fulfilment" />
        </>
      )}
      <h4>Stock by state</h4>
      <StockTotalsCard totals={summary.stock} testId="summary-stock" />
      <div className="reason-grid">
        <ReasonTable title="Skipped by reason" rows={summary.skipped} />
        <ReasonTable title="Rejected by reason" rows={summary.rejected} />
        <ReasonTable title="Non-stock lines by code" rows={summary.non_stock} />
      </div>
      <h4>
        Rejections <span className="muted">({formatQty(summary.rejections.length)})</span>
      </h4>
      {shown.length === 0 ? (
        <p className="muted">No rows were rejected.</p>
      ) : (
        <div className="scroll-box">
          <table className="table compact" data-testid="rejections-table">
            <thead>
              <tr>
                <th>File</th>
                <th className="num">Row</th>
                <th>Field</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r, index) => (
                <tr key={`${r.file}:${r.row}:${r.field}:${index}`}>
                  <td>{r.file}</td>
                  <td className="num">{formatQty(r.row)}</td>
                  <td>{r.field}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {summary.rejections.length > shown.length && (
        <p className="hint">
          Showing the first {formatQty(shown.length)} rejections; the full list is in the log.
        </p>
      )}
    </section>
  );
}
