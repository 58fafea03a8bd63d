import { useQuery } from "@tanstack/react-query";
import { api, keys } from "../api";
import { Empty, ErrorBox, Loading } from "../components/States";
import { monthPoints } from "./finance";
import { MonthlyChart } from "./MonthlyChart";
import { MonthlyTable } from "./MonthlyTable";

/** Stock value and what moved it, month by month, from the journal. */
export function MonthlyTab() {
  const months = useQuery({ queryKey: keys.monthly, queryFn: api.financeMonthly });
  return (
    <div className="finance-tab" data-testid="monthly-tab">
      {months.isPending ? (
        <Loading label="Totalling the journal by month…" />
      ) : months.isError ? (
        <ErrorBox title="The monthly figures could not be computed" error={months.error} />
      ) : months.data.length === 0 ? (
        <Empty title="Nothing posted yet">
          Stock movements post to the journal as they happen.
        </Empty>
      ) : (
        <>
          <MonthlyChart points={monthPoints(months.data)} />
          <MonthlyTable months={months.data} />
        </>
      )}
    </div>
  );
}
