import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type ReplayProgress, type ReplaySummary } from "../api";
import { ProgressBar } from "../components/ProgressBar";
import { ErrorBox } from "../components/States";
import { formatQty } from "../components/format";
import { ReplaySummaryCard } from "./ReplaySummaryCard";

export const DEMO_FROM = "2010-12-01";
export const DEMO_TO = "2011-09-30";

type Props = { onLoaded?: (summary: ReplaySummary) => void };

/** Date range, "Load demo data", a progress bar fed by the engine's channel, then a summary. */
export function DemoLoader({ onLoaded }: Props) {
  const queryClient = useQueryClient();
  const [from, setFrom] = useState(DEMO_FROM);
  const [to, setTo] = useState(DEMO_TO);
  const [progress, setProgress] = useState<ReplayProgress | null>(null);

  const load = useMutation({
    mutationFn: () => api.loadDemo(from, to, setProgress),
    onMutate: () => setProgress(null),
    onSuccess: (summary) => onLoaded?.(summary),
    onSettled: () => queryClient.invalidateQueries(),
  });
  const rangeInvalid = !from || !to || from > to;

  return (
    <div className="demo-loader">
      <form
        className="form-row"
        onSubmit={(event) => {
          event.preventDefault();
          load.mutate();
        }}
      >
        <label>
          From
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button
          type="submit"
          className="primary"
          data-testid="load-demo"
          disabled={load.isPending || load.isSuccess || rangeInvalid}
        >
          {load.isPending ? "Loading…" : load.isSuccess ? "Loaded" : "Load demo data"}
        </button>
      </form>
      {rangeInvalid && <p className="hint">The start date must not be after the end date.</p>}

      {load.isPending && (
        <div className="progress-block">
          <ProgressBar
            testId="demo-progress"
            label="Demo load progress"
            done={progress?.days_done ?? 0}
            total={progress?.days_total ?? 0}
          />
          <p className="muted" data-testid="demo-progress-text">
            {progress
              ? `Day ${progress.day} — ${formatQty(progress.days_done)} of ` +
                `${formatQty(progress.days_total)} days, ` +
                `${formatQty(progress.lines_read)} lines read`
              : "Starting replay…"}
          </p>
        </div>
      )}
      {load.isError && <ErrorBox title="The demo data could not be loaded" error={load.error} />}
      {load.data && <ReplaySummaryCard summary={load.data} />}
    </div>
  );
}
