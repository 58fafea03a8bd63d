import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, keys } from "../api";
import { Empty } from "../components/States";
import { LedgerDrilldown } from "./LedgerDrilldown";

export type LedgerTarget = { sku: string; location: string };

type Props = { target: LedgerTarget | null; onTargetChange: (target: LedgerTarget) => void };

/** SKU + location picker above the drill-down for that position. */
export function LedgerPage({ target, onTargetChange }: Props) {
  const [sku, setSku] = useState(target?.sku ?? "");
  const [location, setLocation] = useState(target?.location ?? "");
  const locations = useQuery({ queryKey: keys.locations, queryFn: api.listLocations });

  useEffect(() => {
    setSku(target?.sku ?? "");
    setLocation(target?.location ?? "");
  }, [target]);

  const ready = sku.trim() !== "" && location.trim() !== "";
  return (
    <div className="page ledger">
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) onTargetChange({ sku: sku.trim(), location: location.trim() });
        }}
      >
        <label>
          SKU
          <input
            data-testid="ledger-sku"
            value={sku}
            onChange={(e) => setSku(e.target.value)}
            placeholder="e.g. 85123A"
          />
        </label>
        <label>
          Location
          <input
            data-testid="ledger-location"
            list="ledger-locations"
            value={location}
            onChange={(e) => setLocation(e.target.value)}
            placeholder="Location code"
          />
          <datalist id="ledger-locations">
            {locations.data?.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </datalist>
        </label>
        <button type="submit" className="primary" disabled={!ready} data-testid="ledger-show">
          Show movements
        </button>
      </form>
      {target ? (
        <LedgerDrilldown key={`${target.sku}@${target.location}`} {...target} />
      ) : (
        <Empty title="Pick a position">
          Enter a SKU and a location, or open a position from the inventory explorer.
        </Empty>
      )}
    </div>
  );
}
