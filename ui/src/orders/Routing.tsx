import type { ReactNode } from "react";
import type { Candidate, DecisionDetail } from "../api";
import {
  formatDay,
  formatKm,
  formatMoney,
  formatQty,
  kindLabel,
} from "../components/format";

/** Every location sourcing weighed, the chosen ones highlighted. */
export function CandidatesTable({ candidates }: { candidates: Candidate[] }) {
  if (candidates.length === 0) {
    return <p className="muted">No location could promise any of these units.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table compact candidates">
        <thead>
          <tr>
            <th>Location</th>
            <th>Kind</th>
            <th className="num">Distance</th>
            <th className="num">Units</th>
            <th>Ships</th>
            <th>Promise date</th>
            <th className="num">Cost</th>
            <th className="num">Score</th>
            <th>Rule</th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {candidates.map((c) => (
            <tr
              key={c.location}
              className={c.chosen ? "chosen" : undefined}
              data-testid={`candidate-row-${c.location}`}
              aria-selected={c.chosen}
            >
              <td>
                <span className="chosen-mark" aria-hidden="true">
                  {c.chosen ? "✓" : ""}
                </span>
                <span className="code">{c.location}</span>
              </td>
              <td>{kindLabel(c.kind)}</td>
              <td className="num">{formatKm(c.distance_km)}</td>
              <td className="num">{formatQty(c.units)}</td>
              <td>{formatDay(c.ship_date)}</td>
              <td>{formatDay(c.promise_date)}</td>
              <td className="num">{formatMoney(c.cost)}</td>
              <td className="num">{c.score}</td>
              <td className="code">{c.rule}</td>
              <td className="verdict">{c.verdict}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Props = {
  title: ReactNode;
  rule: string;
  explanation: string;
  /** The sourcing policy version the decision was taken under, when recorded. */
  policy?: string;
  detail: DecisionDetail;
};

/** One routing decision: the rule, the engine's sentence, the figures and the candidates. */
export function RoutingExplanation({ title, rule, explanation, policy, detail }: Props) {
  const others = detail.locations_without_stock;
  return (
    <section className="routing" data-testid="routing-explanation">
      <h4>{title}</h4>
      <p className="explanation">{explanation}</p>
      <dl className="facts">
        <div>
          <dt>Rule</dt>
          <dd className="code">{rule}</dd>
        </div>
        {policy !== undefined && (
          <div>
            <dt>Policy version</dt>
            <dd className="code">{policy}</dd>
          </div>
        )}
        <div>
          <dt>Units filled</dt>
          <dd>
            {formatQty(detail.filled_units)} of {formatQty(detail.requested_units)}
          </dd>
        </div>
        <div>
          <dt>Shipping cost</dt>
          <dd>{formatMoney(detail.shipping_cost)}</dd>
        </div>
      </dl>
      <CandidatesTable candidates={detail.candidates} />
      {others > 0 && (
        <p className="hint" data-testid="no-stock-count">
          {formatQty(others)} other location{others === 1 ? "" : "s"} had no stock.
        </p>
      )}
    </section>
  );
}
