import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, keys, useStockCommand, type Change, type OrderDetail } from "../api";
import { Fact } from "../components/Fact";
import { Prompt } from "../components/Prompt";
import { ErrorBox, Loading } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import {
  formatAge,
  formatCoords,
  formatLondon,
  formatMoney,
  formatQty,
  humanize,
} from "../components/format";
import { policyLabel } from "./channels";
import { AllocationsTable, LinesTable } from "./OrderTables";
import { RoutingExplanation } from "./Routing";

type Action =
  | { kind: "ship"; shipmentRef: string }
  | { kind: "cancel"; reason: string }
  | { kind: "not_found"; location: string };

/** What the user is being asked to confirm. */
type Ask = { kind: "ship" } | { kind: "cancel" } | { kind: "not_found"; location: string };

const DONE: Record<Action["kind"], string> = {
  ship: "shipped",
  cancel: "released",
  not_found: "re-routed",
};

function runAction(orderId: number, action: Action): Promise<Change> {
  switch (action.kind) {
    case "ship":
      return api.shipOrder(orderId, action.shipmentRef);
    case "cancel":
      return api.cancelOrder(orderId, action.reason);
    case "not_found":
      return api.rejectAtStore(orderId, action.location);
  }
}

const isClosed = (o: OrderDetail) => !["open", "partially_shipped"].includes(o.summary.status);

type Props = { orderId: number; onClose: () => void };

/** One order: header, lines, allocations, actions and the routing explanation. */
export function OrderDetailView({ orderId, onClose }: Props) {
  const detail = useQuery({
    queryKey: keys.order(orderId),
    queryFn: () => api.orderDetail(orderId),
  });
  const [ask, setAsk] = useState<Ask | null>(null);
  const [done, setDone] = useState<{ kind: Action["kind"]; change: Change } | null>(null);
  const command = useStockCommand((action: Action) => runAction(orderId, action));
  const perform = (action: Action) => {
    setDone(null);
    command.mutate(action, {
      onSuccess: (change) => {
        setAsk(null);
        setDone({ kind: action.kind, change });
      },
    });
  };
  const open = (next: Ask) => {
    command.reset();
    setAsk(next);
  };

  if (detail.isPending) return <Loading label={`Loading order ${orderId}…`} />;
  if (detail.isError) {
    return <ErrorBox title={`Could not load order ${orderId}`} error={detail.error} />;
  }
  const order = detail.data;
  const { summary } = order;
  const closed = isClosed(order);

  return (
    <article className="card order-detail" data-testid="order-detail">
      <header className="detail-header">
        <h2>
          Order {summary.id} <span className="code">{summary.external_id}</span>{" "}
          <StatusBadge status={summary.status} />
        </h2>
        <button type="button" onClick={onClose} aria-label="Close order">
          Close
        </button>
      </header>
      <dl className="facts" data-testid="order-header">
        <Fact label="Channel">{summary.channel}</Fact>
        <Fact label="Partial policy">{policyLabel(order.partial_policy)}</Fact>
        {order.pickup_location ? (
          <Fact label="Pickup store">
            <span className="code">{order.pickup_location}</span>
          </Fact>
        ) : (
          <Fact label="Customer (lat, lon)">{formatCoords(order.customer)}</Fact>
        )}
        <Fact label="Placed">{formatLondon(summary.placed_at)}</Fact>
        {summary.expires_at && <Fact label="Expires">{formatLondon(summary.expires_at)}</Fact>}
        {summary.closed_at && <Fact label="Closed">{formatLondon(summary.closed_at)}</Fact>}
        <Fact label="Age">{formatAge(summary.age_hours)}</Fact>
        <Fact label="Units">
          {formatQty(summary.units)} · {formatQty(summary.reserved_open)} open ·{" "}
          {formatQty(summary.shipped)} shipped
        </Fact>
        <Fact label="Value">{formatMoney(summary.order_value)}</Fact>
      </dl>

      <div className="actions">
        <button
          type="button"
          className="primary"
          data-testid="ship-order"
          disabled={closed || summary.reserved_open === 0}
          onClick={() => open({ kind: "ship" })}
        >
          Ship all open
        </button>
        <button
          type="button"
          data-testid="cancel-order"
          disabled={closed}
          onClick={() => open({ kind: "cancel" })}
        >
          Cancel order
        </button>
      </div>
      {ask && (
        <ActionPrompt
          ask={ask}
          orderId={summary.id}
          busy={command.isPending}
          onConfirm={perform}
          onCancel={() => setAsk(null)}
        />
      )}
      {command.isError && <ErrorBox title="The engine refused" error={command.error} />}
      {done && (
        <p className="success" role="status" data-testid="change-result">
          Order {done.change.order_id}: {formatQty(done.change.units)} unit
          {done.change.units === 1 ? "" : "s"} {DONE[done.kind]}; now{" "}
          {humanize(done.change.status).toLowerCase()}.
        </p>
      )}

      <h3>Lines</h3>
      <LinesTable lines={order.lines} />
      <h3>Allocations</h3>
      {order.allocations.length === 0 ? (
        <p className="muted">Nothing has been reserved for this order.</p>
      ) : (
        <AllocationsTable
          allocations={order.allocations}
          onNotFound={closed ? null : (location) => open({ kind: "not_found", location })}
        />
      )}
      <h3>Routing</h3>
      {order.decisions.length === 0 && <p className="muted">No routing decision recorded.</p>}
      {order.decisions.map((d) => (
        <RoutingExplanation
          key={d.seq}
          title={
            <>
              {d.seq === 1 ? "Capture" : `Re-route ${d.seq - 1}`}{" "}
              <span className="muted">· {formatLondon(d.decided_at)}</span>
            </>
          }
          rule={d.rule}
          explanation={d.explanation}
          policy={d.policy}
          detail={d.candidates}
        />
      ))}
    </article>
  );
}

type PromptProps = {
  ask: Ask;
  orderId: number;
  busy: boolean;
  onConfirm: (action: Action) => void;
  onCancel: () => void;
};

function ActionPrompt({ ask, orderId, busy, onConfirm, onCancel }: PromptProps) {
  const common = { busy, onCancel, testId: `prompt-${ask.kind}` };
  switch (ask.kind) {
    case "ship":
      return (
        <Prompt
          {...common}
          title={`Ship every open unit of order ${orderId}?`}
          field={{ label: "Shipment reference", initial: `UI-${Date.now()}`, required: true }}
          confirmLabel="Ship"
          onConfirm={(shipmentRef) => onConfirm({ kind: "ship", shipmentRef })}
        />
      );
    case "cancel":
      return (
        <Prompt
          {...common}
          title={`Cancel order ${orderId}? Reserved units return to available.`}
          field={{ label: "Reason", required: true, placeholder: "e.g. customer request" }}
          confirmLabel="Cancel order"
          onConfirm={(reason) => onConfirm({ kind: "cancel", reason })}
        />
      );
    case "not_found":
      return (
        <Prompt
          {...common}
          title={
            `Record that ${ask.location} could not find this order's open units ` +
            "and re-route them?"
          }
          confirmLabel="Re-route"
          onConfirm={() => onConfirm({ kind: "not_found", location: ask.location })}
        />
      );
  }
}
