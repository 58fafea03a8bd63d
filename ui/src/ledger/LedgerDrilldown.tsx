import { useInfiniteQuery } from "@tanstack/react-query";
import { api, keys } from "../api";
import { LoadOlder } from "../components/LoadOlder";
import { StockTotalsCard } from "../components/StockTotalsCard";
import { Empty, ErrorBox, Loading } from "../components/States";
import { formatQty, kindLabel } from "../components/format";
import { MovementTable } from "./MovementTable";

export const PAGE_SIZE = 100;

type Props = { sku: string; location: string };

/** Position summary plus its movements, paged backwards with next_before_id. */
export function LedgerDrilldown({ sku, location }: Props) {
  const pages = useInfiniteQuery({
    queryKey: keys.movements(sku, location),
    queryFn: ({ pageParam }) => api.positionMovements(sku, location, pageParam, PAGE_SIZE),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.next_before_id,
  });

  if (pages.isPending) return <Loading label={`Loading ledger for ${sku} at ${location}…`} />;
  const data = pages.data;
  if (!data) return <ErrorBox title="Could not load the ledger" error={pages.error} />;

  const position = data.pages[0]?.position ?? null;
  const movements = data.pages.flatMap((page) => page.movements);

  return (
    <div className="drilldown">
      {position ? (
        <header className="sku-header" data-testid="ledger-position">
          <h2>
            <span className="code">{position.sku}</span> {position.description}
          </h2>
          <span className="muted">
            at <span className="code">{position.location}</span> {position.location_name} (
            {kindLabel(position.location_kind)}) · {formatQty(position.movement_count)} movements
          </span>
        </header>
      ) : (
        <header className="sku-header">
          <h2>
            <span className="code">{sku}</span> at <span className="code">{location}</span>
          </h2>
          <span className="muted">No stock position exists here yet.</span>
        </header>
      )}
      {position && <StockTotalsCard totals={position} testId="ledger-totals" />}
      {movements.length === 0 ? (
        <Empty title="No movements">Nothing has been recorded for this position.</Empty>
      ) : (
        <MovementTable movements={movements} />
      )}
      <div className="actions">
        {pages.hasNextPage ? (
          <LoadOlder pages={pages} testId="load-older" />
        ) : (
          movements.length > 0 && <span className="muted">Start of the ledger reached.</span>
        )}
        <span className="muted">{formatQty(movements.length)} shown</span>
      </div>
      {pages.isError && <ErrorBox title="Older movements failed to load" error={pages.error} />}
    </div>
  );
}
