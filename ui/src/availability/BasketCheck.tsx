import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, keys, type BasketPromise, type BasketRequest } from "../api";
import { ChannelOptions, LocationOptions } from "../components/Options";
import { ErrorBox, Invalid } from "../components/States";
import { checked } from "../components/checked";
import { formatDay, formatQty } from "../components/format";
import { PARTIAL_POLICIES } from "../orders/channels";
import { RoutingExplanation } from "../orders/Routing";
import {
  emptyLine,
  initialBasket,
  toBasketRequest,
  type BasketDraft,
  type LineDraft,
} from "./basketForm";

/** Asks the engine what capture would do with a basket, without reserving anything. */
export function BasketCheck() {
  const [draft, setDraft] = useState<BasketDraft>(initialBasket);
  const [invalid, setInvalid] = useState<string | null>(null);
  const locations = useQuery({ queryKey: keys.locations, queryFn: api.listLocations });
  const check = useMutation({ mutationFn: (basket: BasketRequest) => api.checkBasket(basket) });
  const pickupStores = locations.data?.filter((l) => l.offers_pickup);

  const set = (change: Partial<BasketDraft>) => setDraft({ ...draft, ...change });
  const setLine = (index: number, change: Partial<LineDraft>) =>
    set({ lines: draft.lines.map((l, i) => (i === index ? { ...l, ...change } : l)) });

  const submit = () => {
    const request = checked(() => toBasketRequest(draft));
    setInvalid(request.ok ? null : request.message);
    if (request.ok) check.mutate(request.value);
    else check.reset();
  };

  return (
    <section className="card basket">
      <h3>Check a basket</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="form-row">
          <label>
            Channel
            <select
              data-testid="basket-channel"
              value={draft.channel}
              onChange={(e) => set({ channel: e.target.value })}
            >
              <ChannelOptions />
            </select>
          </label>
          <label>
            Pickup store
            <select value={draft.pickup} onChange={(e) => set({ pickup: e.target.value })}>
              <option value="">None (delivery)</option>
              <LocationOptions locations={pickupStores} />
            </select>
          </label>
          <label>
            Customer latitude
            <input
              inputMode="decimal"
              value={draft.latitude}
              placeholder="e.g. 53.8008"
              onChange={(e) => set({ latitude: e.target.value })}
            />
          </label>
          <label>
            Customer longitude
            <input
              inputMode="decimal"
              value={draft.longitude}
              placeholder="e.g. -1.5491"
              onChange={(e) => set({ longitude: e.target.value })}
            />
          </label>
          <label>
            If not everything can be reserved
            <select
              value={draft.policy}
              onChange={(e) => set({ policy: e.target.value as BasketDraft["policy"] })}
            >
              {PARTIAL_POLICIES.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <table className="table compact basket-lines">
          <thead>
            <tr>
              <th>SKU</th>
              <th>Quantity</th>
              <th>Unit price (£, optional)</th>
              <th aria-label="Remove" />
            </tr>
          </thead>
          <tbody>
            {draft.lines.map((line, i) => (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`SKU, line ${i + 1}`}
                    value={line.sku}
                    onChange={(e) => setLine(i, { sku: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Quantity, line ${i + 1}`}
                    inputMode="numeric"
                    value={line.quantity}
                    onChange={(e) => setLine(i, { quantity: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Unit price, line ${i + 1}`}
                    inputMode="decimal"
                    value={line.unitPrice}
                    onChange={(e) => setLine(i, { unitPrice: e.target.value })}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove line ${i + 1}`}
                    disabled={draft.lines.length === 1}
                    onClick={() => set({ lines: draft.lines.filter((_, j) => j !== i) })}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="actions">
          <button type="button" onClick={() => set({ lines: [...draft.lines, emptyLine] })}>
            Add line
          </button>
          <button
            type="submit"
            className="primary"
            data-testid="basket-check"
            disabled={check.isPending}
          >
            {check.isPending ? "Checking…" : "Check basket"}
          </button>
        </div>
      </form>
      <Invalid message={invalid} />
      {check.isError && <ErrorBox title="The basket could not be checked" error={check.error} />}
      {check.data && <BasketResult promise={check.data} />}
    </section>
  );
}

function BasketResult({ promise }: { promise: BasketPromise }) {
  const { plan } = promise;
  return (
    <div className="basket-result" data-testid="basket-result">
      <p className={promise.accepted ? "success" : "refusal"} data-testid="basket-verdict">
        {promise.accepted
          ? "Accepted: capture would take this order now."
          : "Rejected: capture would refuse this order now."}
      </p>
      <table className="table compact">
        <thead>
          <tr>
            <th>SKU</th>
            <th className="num">Asked</th>
            <th className="num">Promised</th>
            <th>Promise date</th>
            <th className="num">Later from inbound</th>
          </tr>
        </thead>
        <tbody>
          {promise.lines.map((l) => (
            <tr key={l.sku} data-testid={`basket-line-${l.sku}`}>
              <td className="code">{l.sku}</td>
              <td className="num">{formatQty(l.quantity)}</td>
              <td className={l.promised < l.quantity ? "num short" : "num"}>
                {formatQty(l.promised)}
              </td>
              <td>{l.promise_date ? formatDay(l.promise_date) : "—"}</td>
              <td className="num">{formatQty(l.from_inbound)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.picks.length > 0 && (
        <p className="hint">
          Would reserve:{" "}
          {plan.picks
            .map((p) => `${formatQty(p.quantity)} × ${p.sku} from ${p.location}`)
            .join("; ")}
          .
        </p>
      )}
      <RoutingExplanation
        title="Sourcing plan"
        rule={plan.rule}
        explanation={plan.explanation}
        detail={plan}
      />
    </div>
  );
}
