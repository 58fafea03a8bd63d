import { api, useStockCommand } from "../api";
import { ErrorBox } from "../components/States";
import { formatQty } from "../components/format";

const lines = (n: number) => `${formatQty(n)} line${n === 1 ? "" : "s"}`;

/** Expires due reservations and sends open lines to pick, flagging risky ones. */
export function ReleaseWave() {
  const wave = useStockCommand(() => api.runReleaseWave());
  return (
    <div className="release-wave">
      <button
        type="button"
        className="primary"
        data-testid="release-wave-button"
        disabled={wave.isPending}
        onClick={() => wave.mutate(undefined)}
      >
        {wave.isPending ? "Releasing…" : "Run release wave"}
      </button>
      {wave.isSuccess && (
        <span className="success" role="status" data-testid="release-wave-result">
          Released {lines(wave.data.released_lines)} to pick;{" "}
          {lines(wave.data.flagged_lines)} flagged as likely to miss.
        </span>
      )}
      {wave.isError && <ErrorBox title="The release wave failed" error={wave.error} />}
    </div>
  );
}
