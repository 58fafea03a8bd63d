import { api, returnQueries, useStockCommand } from "../api";
import { ErrorBox } from "../components/States";

/** An announced return that has arrived: put its units in return pending now. */
export function ReceiveNow({ returnId }: { returnId: number }) {
  const receive = useStockCommand(() => api.receiveReturn(returnId), returnQueries);
  return (
    <div className="actions">
      <button
        type="button"
        className="primary"
        data-testid="receive-return"
        disabled={receive.isPending}
        onClick={() => receive.mutate(undefined)}
      >
        {receive.isPending ? "Receiving…" : "Receive now"}
      </button>
      <span className="muted small">The units are here: they wait for inspection.</span>
      {receive.isSuccess && (
        <span className="success" role="status" data-testid="receive-return-result">
          {receive.data ? "Received; ready to inspect." : "It had already been received."}
        </span>
      )}
      {receive.isError && <ErrorBox title="The return was not received" error={receive.error} />}
    </div>
  );
}
