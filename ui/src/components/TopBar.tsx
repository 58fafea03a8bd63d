import type { UseQueryResult } from "@tanstack/react-query";
import type { AppStatus } from "../api";
import { formatQty } from "./format";

/** Database mode, its display string, and what the ledger holds. */
export function TopBar({ status }: { status: UseQueryResult<AppStatus> }) {
  if (status.isPending) {
    return <header className="topbar muted">Connecting to the engine…</header>;
  }
  if (status.isError) {
    return (
      <header className="topbar">
        <span className="badge badge-error">Engine unavailable</span>
        <span className="muted">{status.error.message}</span>
      </header>
    );
  }
  const { mode, database, data } = status.data;
  const counts: [string, number][] = [
    ["Products", data.products],
    ["Locations", data.locations],
    ["Movements", data.movements],
    ["Events", data.events],
  ];
  return (
    <header className="topbar" data-testid="topbar">
      <span className={`badge badge-${mode}`}>{mode === "local" ? "Local" : "Shared"}</span>
      <span className="database" title={database}>
        {database}
      </span>
      <dl className="counts">
        {counts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{formatQty(value)}</dd>
          </div>
        ))}
      </dl>
    </header>
  );
}
