import type { AppStatus } from "../api";
import { DemoLoader } from "./DemoLoader";

type Props = { status: AppStatus; onLoaded: () => void; onContinue: () => void };

/** Shown while the ledger is empty: explains the demo and offers to load it. */
export function FirstRun({ status, onLoaded, onContinue }: Props) {
  const hasData = status.data.movements > 0;
  return (
    <div className="page first-run">
      <section className="card welcome">
        <h2>Welcome to Stockroom</h2>
        <p>
          {hasData
            ? `The ledger holds ${status.data.movements.toLocaleString("en-GB")} movements. `
            : "The inventory ledger is empty. "}
          Load the demo data to explore a UK online retailer's
          trading from 1 December 2010 to 30 September 2011, replayed day by day across a
          124-location network in Great Britain: distribution centres, dark stores, stores and
          a returns hub.
        </p>
        {status.demo_data_dir ? (
          <>
            <p className="muted">
              Demo data folder: <code>{status.demo_data_dir}</code>
            </p>
            <DemoLoader onLoaded={onLoaded} />
          </>
        ) : (
          <div className="notice" data-testid="demo-data-missing">
            <strong>The demo data folder was not found.</strong> Stockroom looks for{" "}
            <code>../shared/data</code> next to the application, or the folder named by the{" "}
            <code>STOCKROOM_DATA_DIR</code> environment variable. Put the data there and restart
            the app.
          </div>
        )}
        {hasData && (
          <div className="actions">
            <button className="primary" onClick={onContinue}>
              Continue to inventory
            </button>
          </div>
        )}
      </section>
      <p className="muted small">Logs are written to {status.log_dir}</p>
    </div>
  );
}
