import { useQuery } from "@tanstack/react-query";
import { api, keys } from "../api";
import { Empty, ErrorBox, Loading } from "../components/States";
import { formatDay, formatQty } from "../components/format";
import { DrillTable } from "./DrillTable";
import type { DrillTarget } from "./finance";

/** The most movements the engine lists behind one figure, newest first. */
export const DRILL_LIMIT = 500;

type Props = {
  asOf: string;
  target: DrillTarget;
  onClose: () => void;
  onOpenMovement: (movementId: number) => void;
};

/** The movements and journal entries behind one reconciliation figure. */
export function DrillPanel({ asOf, target, onClose, onOpenMovement }: Props) {
  const { account, location, sku } = target;
  const rows = useQuery({
    queryKey: keys.reconciliationDrill(asOf, account, location, sku),
    queryFn: () => api.reconciliationDrill(asOf, account, location, sku),
  });

  return (
    <article className="card drill" data-testid="recon-drill-panel">
      <header className="detail-header">
        <h3>
          Movements behind <span className="code">{account}</span> at{" "}
          <span className="code">{location}</span>
          {sku && (
            <>
              , SKU <span className="code">{sku}</span>
            </>
          )}
        </h3>
        <button type="button" onClick={onClose} aria-label="Close the movements">
          Close
        </button>
      </header>
      <p className="hint">
        Up to the end of {formatDay(asOf)}, newest first. Open a movement to see its journal
        entries.
      </p>
      {rows.isPending ? (
        <Loading label="Loading the movements behind this figure…" />
      ) : rows.isError ? (
        <ErrorBox title="The movements could not be loaded" error={rows.error} />
      ) : rows.data.length === 0 ? (
        <Empty title="No movement behind this figure">Nothing was valued or posted here.</Empty>
      ) : (
        <DrillTable rows={rows.data} onOpenMovement={onOpenMovement} />
      )}
      {rows.data?.length === DRILL_LIMIT && (
        <p className="hint">Showing the newest {formatQty(DRILL_LIMIT)} movements.</p>
      )}
    </article>
  );
}
