import { useQuery } from "@tanstack/react-query";
import { api, keys, type Reconciliation } from "../api";
import { Empty, ErrorBox, Loading } from "../components/States";
import { formatDay, formatLondon, formatQty } from "../components/format";
import { DrillPanel } from "./DrillPanel";
import type { DrillTarget } from "./finance";
import { ExportButton } from "./ExportButton";
import { PeriodEndSelect } from "./PeriodEndSelect";
import { ReconFigures } from "./ReconFigures";
import { ReconTable } from "./ReconTable";

type Props = {
  asOf: string;
  drill: DrillTarget | null;
  onAsOfChange: (asOf: string) => void;
  onDrill: (drill: DrillTarget | null) => void;
  onOpenMovement: (movementId: number) => void;
};

/** The stock ledger against the GL as of the end of a day, by account and location. */
export function ReconciliationTab({ asOf, drill, onAsOfChange, onDrill, onOpenMovement }: Props) {
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const report = useQuery({
    queryKey: keys.reconciliation(asOf),
    queryFn: () => api.reconciliation(asOf),
    enabled: valid,
  });

  return (
    <div className="finance-tab" data-testid="reconciliation-tab">
      <div className="toolbar">
        <label>
          As of (end of day)
          <input
            type="date"
            data-testid="recon-as-of"
            value={asOf}
            onChange={(e) => onAsOfChange(e.target.value)}
          />
        </label>
        <PeriodEndSelect onPick={onAsOfChange} />
        <span className="spacer" />
        <ExportButton
          testId="recon-export"
          disabled={!valid}
          run={() => api.exportReconciliation(asOf)}
        />
      </div>
      {!valid ? (
        <Empty title="Pick a day to reconcile">The figures are as of the end of that day.</Empty>
      ) : report.isPending ? (
        <Loading label="Reconciling the stock ledger with the GL…" />
      ) : report.isError ? (
        <ErrorBox title="The reconciliation could not be computed" error={report.error} />
      ) : (
        <ReconView report={report.data} drill={drill} onDrill={onDrill} />
      )}
      {valid && drill && (
        <DrillPanel
          key={`${drill.account}|${drill.location}|${drill.sku ?? ""}`}
          asOf={asOf}
          target={drill}
          onClose={() => onDrill(null)}
          onOpenMovement={onOpenMovement}
        />
      )}
    </div>
  );
}

type ViewProps = {
  report: Reconciliation;
  drill: DrillTarget | null;
  onDrill: (drill: DrillTarget) => void;
};

function ReconView({ report, drill, onDrill }: ViewProps) {
  const { variances, by_location: byLocation } = report;
  const cutoff = formatLondon(report.cutoff);
  const differ = variances.length === 1 ? "figure differs" : "figures differ";
  return (
    <>
      <ReconFigures report={report} />
      <p className="muted" data-testid="recon-note" title={`Cut-off ${cutoff}`}>
        As of the end of {formatDay(report.as_of)}, {report.time_zone}.
      </p>
      {variances.length > 0 && (
        <section className="variances">
          <p className="variance-warning" role="alert" data-testid="recon-variance-warning">
            {formatQty(variances.length)} account × location × SKU {differ} between the stock
            ledger and the GL. Open one to see the movements behind it.
          </p>
          <ReconTable
            rows={variances}
            bySku
            selected={drill}
            onOpen={onDrill}
            testId="recon-variances"
          />
        </section>
      )}
      <h3>By account and location</h3>
      {byLocation.length === 0 ? (
        <Empty title="Nothing valued yet">No stock was valued or posted by this day.</Empty>
      ) : (
        <ReconTable rows={byLocation} selected={drill} onOpen={onDrill} testId="recon-locations" />
      )}
    </>
  );
}
