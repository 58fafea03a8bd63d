import { useQuery } from "@tanstack/react-query";
import { api, keys } from "../api";
import { monthEnd, monthLabel } from "./finance";

/** A shortcut to the last day of a period; the date input beside it takes any day. */
export function PeriodEndSelect({ onPick }: { onPick: (day: string) => void }) {
  const periods = useQuery({ queryKey: keys.periods, queryFn: api.financePeriods });
  if (!periods.data || periods.data.length === 0) return null;
  return (
    <label>
      Period end
      <select
        data-testid="recon-period-end"
        value=""
        onChange={(e) => e.target.value && onPick(e.target.value)}
      >
        <option value="">Pick a period…</option>
        {periods.data.map((p) => (
          <option key={p.month} value={monthEnd(p.month)}>
            {monthLabel(p.month)} ({p.status})
          </option>
        ))}
      </select>
    </label>
  );
}
