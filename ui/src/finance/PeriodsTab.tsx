import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, financeQueries, keys, type CloseOutcome } from "../api";
import { Empty, ErrorBox, Loading } from "../components/States";
import { CloseResult } from "./CloseResult";
import { PeriodsTable } from "./PeriodsTable";
import type { DrillTarget } from "./finance";

type Props = { onReconcile: (asOf: string, drill?: DrillTarget) => void };

/** Accounting periods, newest first; an open one closes after a confirmation. */
export function PeriodsTab({ onReconcile }: Props) {
  const client = useQueryClient();
  const periods = useQuery({ queryKey: keys.periods, queryFn: api.financePeriods });
  const [asking, setAsking] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<CloseOutcome | null>(null);
  const close = useMutation({
    mutationFn: (month: string) => api.closePeriod(month),
    onSuccess: (result) => {
      setAsking(null);
      setOutcome(result);
    },
    // A close that fails half-way may still have changed the period, and one that leaves
    // it open raises exceptions: refetch either way.
    onSettled: () => {
      for (const queryKey of [...financeQueries, ["exceptions"]]) {
        void client.invalidateQueries({ queryKey });
      }
    },
  });
  const ask = (month: string | null) => {
    close.reset();
    setAsking(month);
  };

  return (
    <div className="finance-tab" data-testid="periods-tab">
      <p className="hint">
        Periods close in order. Closing reconciles the stock ledger with the GL as of the
        month's last day: the period closes only when they agree, and nothing posts into it
        afterwards. Otherwise it stays open and each variance is raised as an exception.
      </p>
      {outcome && (
        <CloseResult
          outcome={outcome}
          onReconcile={onReconcile}
          onDismiss={() => setOutcome(null)}
        />
      )}
      {periods.isPending ? (
        <Loading label="Loading the periods…" />
      ) : periods.isError ? (
        <ErrorBox title="The periods could not be loaded" error={periods.error} />
      ) : periods.data.length === 0 ? (
        <Empty title="No period yet">A period opens with the first posting in its month.</Empty>
      ) : (
        <PeriodsTable
          periods={periods.data}
          asking={asking}
          busy={close.isPending}
          error={close.error}
          onAsk={ask}
          onConfirm={(month) => close.mutate(month)}
          onReconcile={onReconcile}
        />
      )}
    </div>
  );
}
