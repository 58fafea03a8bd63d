import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { api, keys, type Exception } from "../api";
import { Prompt } from "../components/Prompt";
import { Empty, ErrorBox, Loading } from "../components/States";
import { formatAge, formatLondon, formatQty, humanize } from "../components/format";
import { ReleaseWave } from "./ReleaseWave";

export const LIMIT = 500;

type Ask = { id: number; kind: "assign" | "resolve" };

function runAsk(ask: Ask, text: string): Promise<null> {
  return ask.kind === "assign"
    ? api.assignException(ask.id, text)
    : api.resolveException(ask.id, text);
}

type Props = { onOpenOrder: (orderId: number) => void };

/** The queue of problems someone must act on, oldest first. */
export function ExceptionsPage({ onOpenOrder }: Props) {
  const client = useQueryClient();
  const [showAll, setShowAll] = useState(false);
  const [ask, setAsk] = useState<Ask | null>(null);
  const queue = useQuery({
    queryKey: keys.exceptions(!showAll),
    queryFn: () =>
      api.listExceptions({ open_only: !showAll, kind: null, owner: null, limit: LIMIT }),
  });
  const act = useMutation({
    mutationFn: ({ ask, text }: { ask: Ask; text: string }) => runAsk(ask, text),
    onSuccess: () => {
      setAsk(null);
      void client.invalidateQueries({ queryKey: ["exceptions"] });
    },
  });
  const open = (next: Ask) => {
    act.reset();
    setAsk(next);
  };

  return (
    <div className="page exceptions" data-testid="exceptions-page">
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            data-testid="exceptions-show-all"
            checked={showAll}
            onChange={(e) => setShowAll(e.target.checked)}
          />
          Include resolved
        </label>
        <span className="muted">
          {queue.data ? `${formatQty(queue.data.length)} shown, oldest first` : ""}
        </span>
        <span className="spacer" />
        <ReleaseWave />
      </div>
      {act.isError && <ErrorBox title="The exception was not updated" error={act.error} />}
      {queue.isPending ? (
        <Loading label="Loading the exception queue…" />
      ) : queue.isError ? (
        <ErrorBox title="The exception queue could not be loaded" error={queue.error} />
      ) : queue.data.length === 0 ? (
        <Empty title={showAll ? "No exceptions" : "Nothing open"}>
          {showAll
            ? "None has been raised yet."
            : "No exception is waiting for an owner. Include resolved ones to see past work."}
        </Empty>
      ) : (
        <ExceptionsTable
          rows={queue.data}
          showAll={showAll}
          ask={ask}
          busy={act.isPending}
          onAsk={open}
          onAnswer={(text) => ask && act.mutate({ ask, text })}
          onCancel={() => setAsk(null)}
          onOpenOrder={onOpenOrder}
        />
      )}
      {queue.data?.length === LIMIT && (
        <p className="hint">Showing the oldest {LIMIT}; resolve some to see the rest.</p>
      )}
    </div>
  );
}

type TableProps = {
  rows: Exception[];
  showAll: boolean;
  ask: Ask | null;
  busy: boolean;
  onAsk: (ask: Ask) => void;
  onAnswer: (text: string) => void;
  onCancel: () => void;
  onOpenOrder: (orderId: number) => void;
};

function ExceptionsTable(props: TableProps) {
  const { rows, showAll, ask, busy, onAsk, onAnswer, onCancel, onOpenOrder } = props;
  const columns = showAll ? 9 : 8;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="exceptions-table">
        <thead>
          <tr>
            <th>Kind</th>
            <th>SKU</th>
            <th>Location</th>
            <th>Order</th>
            <th>Detail</th>
            <th>Owner</th>
            <th className="num">Age</th>
            {showAll && <th>Resolution</th>}
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((x) => (
            <Fragment key={x.id}>
              <tr data-testid={`exception-row-${x.id}`}>
                <td>{humanize(x.kind)}</td>
                <td className="code">{x.sku}</td>
                <td className="code">{x.location}</td>
                <td>
                  {x.order_id !== null && (
                    <OrderLink exceptionId={x.id} orderId={x.order_id} onOpen={onOpenOrder} />
                  )}
                </td>
                <td className="wrap">{x.detail}</td>
                <td>{x.owner ?? <span className="muted">Unassigned</span>}</td>
                <td className="num" title={`Raised ${formatLondon(x.raised_at)}`}>
                  {formatAge(x.age_hours)}
                </td>
                {showAll && (
                  <td className="wrap">
                    {x.resolved_at ? `${x.resolution ?? ""} (${x.resolved_by ?? "?"})` : ""}
                  </td>
                )}
                <td className="row-actions">
                  {x.resolved_at === null && (
                    <>
                      <button
                        type="button"
                        data-testid={`assign-${x.id}`}
                        onClick={() => onAsk({ id: x.id, kind: "assign" })}
                      >
                        Assign
                      </button>
                      <button
                        type="button"
                        data-testid={`resolve-${x.id}`}
                        onClick={() => onAsk({ id: x.id, kind: "resolve" })}
                      >
                        Resolve
                      </button>
                    </>
                  )}
                </td>
              </tr>
              {ask?.id === x.id && (
                <tr className="subrow">
                  <td colSpan={columns}>
                    <Prompt
                      key={ask.kind}
                      testId={`prompt-${ask.kind}`}
                      title={
                        ask.kind === "assign"
                          ? `Who owns exception ${x.id}?`
                          : `How was exception ${x.id} resolved?`
                      }
                      field={
                        ask.kind === "assign"
                          ? { label: "Owner", initial: x.owner ?? "", required: true }
                          : { label: "Resolution", required: true }
                      }
                      confirmLabel={ask.kind === "assign" ? "Assign" : "Resolve"}
                      busy={busy}
                      onConfirm={onAnswer}
                      onCancel={onCancel}
                    />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type LinkProps = { exceptionId: number; orderId: number; onOpen: (orderId: number) => void };

function OrderLink({ exceptionId, orderId, onOpen }: LinkProps) {
  return (
    <button
      type="button"
      className="link"
      data-testid={`exception-order-${exceptionId}`}
      onClick={() => onOpen(orderId)}
    >
      Order {orderId}
    </button>
  );
}
