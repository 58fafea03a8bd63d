import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, type ForecastRefresh, type PlanSummary } from "../api";
import { ErrorBox } from "../components/States";
import { formatDay, formatDuration, formatQty } from "../components/format";

/** Run a plan now (superseding open proposals) or refit the forecasts first. */
export function PlanActions() {
  const client = useQueryClient();
  const plan = useMutation({
    mutationFn: () => api.runPlan(),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["proposals"] }),
  });
  const refresh = useMutation({
    mutationFn: () => api.refreshForecasts(),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["demand-series"] }),
  });
  const busy = plan.isPending || refresh.isPending;
  return (
    <div className="plan-actions">
      <div className="toolbar buttons">
        <CommandButton
          command={plan}
          busy={busy}
          primary
          testId="run-plan"
          title="Plan every SKU × location now; open proposals are superseded"
          label={["Run plan", "Planning…"]}
        />
        <CommandButton
          command={refresh}
          busy={busy}
          testId="refresh-forecasts"
          title="Refit the forecasts on the history up to the latest sale"
          label={["Refresh forecasts", "Refitting…"]}
        />
      </div>
      {plan.isSuccess && <PlanResult plan={plan.data} />}
      {refresh.isSuccess && <RefreshResult refresh={refresh.data} />}
      {plan.isError && <ErrorBox title="The plan did not run" error={plan.error} />}
      {refresh.isError && <ErrorBox title="Forecasts were not refitted" error={refresh.error} />}
    </div>
  );
}

type CommandProps = {
  command: { isPending: boolean; mutate: () => void };
  /** Either command is running: neither may start. */
  busy: boolean;
  primary?: boolean;
  testId: string;
  title: string;
  /** What the button says at rest, and while its command runs. */
  label: [string, string];
};

function CommandButton({ command, busy, primary, testId, title, label }: CommandProps) {
  return (
    <button
      type="button"
      className={primary ? "primary" : undefined}
      data-testid={testId}
      disabled={busy}
      title={title}
      onClick={() => command.mutate()}
    >
      {command.isPending ? label[1] : label[0]}
    </button>
  );
}

function PlanResult({ plan }: { plan: PlanSummary }) {
  return (
    <span className="success" role="status" data-testid="plan-result">
      Plan run {plan.plan_run} (policy v{plan.policy_version}):{" "}
      {formatQty(plan.purchases)} purchases, {formatQty(plan.transfers)} transfers,{" "}
      {formatQty(plan.rebalances)} rebalances, {formatQty(plan.critical)} critical;{" "}
      {formatQty(plan.units)} units in {formatDuration(plan.duration_ms)}.
      {plan.without_supplier > 0 &&
        ` ${formatQty(plan.without_supplier)} DC SKUs have no supplier and were not planned.`}
    </span>
  );
}

function RefreshResult({ refresh }: { refresh: ForecastRefresh }) {
  return (
    <span className="success" role="status" data-testid="refresh-result">
      {formatQty(refresh.series)} forecasts refitted on {formatQty(refresh.history_days)} days
      up to {formatDay(refresh.as_of)} in {formatDuration(refresh.duration_ms)}.
    </span>
  );
}
