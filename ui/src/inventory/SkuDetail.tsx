import { useQuery } from "@tanstack/react-query";
import { api, keys, type Position } from "../api";
import { StockTotalsCard } from "../components/StockTotalsCard";
import { Empty, ErrorBox, Loading } from "../components/States";
import { PositionsTable } from "./PositionsTable";

type Props = { sku: string; onOpenLedger: (sku: string, location: string) => void };

/** Product header, totals by state and the per-location positions table. */
export function SkuDetail({ sku, onOpenLedger }: Props) {
  const view = useQuery({ queryKey: keys.sku(sku), queryFn: () => api.skuPositions(sku) });

  if (view.isPending) return <Loading label={`Loading ${sku}…`} />;
  if (view.isError) return <ErrorBox title={`Could not load ${sku}`} error={view.error} />;

  const { product, positions, totals } = view.data;
  const open = (p: Position) => onOpenLedger(p.sku, p.location);
  return (
    <div className="sku-detail">
      <header className="sku-header">
        <h2>
          <span className="code">{product.sku}</span> {product.description}
        </h2>
        <span className="muted">
          Base unit: {product.base_unit} · {positions.length} location
          {positions.length === 1 ? "" : "s"}
        </span>
      </header>
      <StockTotalsCard totals={totals} testId="sku-totals" />
      {positions.length === 0 ? (
        <Empty title="No stock positions">This product has no movements at any location.</Empty>
      ) : (
        <>
          <p className="hint">Select a location to see its ledger movements.</p>
          <PositionsTable positions={positions} onOpen={open} />
        </>
      )}
    </div>
  );
}
