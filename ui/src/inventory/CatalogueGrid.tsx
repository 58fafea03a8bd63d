import { useQuery } from "@tanstack/react-query";
import { AgGridReact } from "ag-grid-react";
import { useEffect, useMemo, useState } from "react";
import { api, keys, type LocationKind, type Position } from "../api";
import { ErrorBox } from "../components/States";
import { KindOptions, LocationOptions } from "../components/Options";
import { formatQty } from "../components/format";
import { useDebounced } from "../components/useDebounced";
import { defaultColumn, gridTheme, positionColumns } from "./gridSetup";
import { positionsDatasource } from "./positionsDatasource";

type Props = { onOpenLedger: (sku: string, location: string) => void };

/** Every SKU × location position, virtualised through the infinite row model. */
export function CatalogueGrid({ onOpenLedger }: Props) {
  const [search, setSearch] = useState("");
  const [location, setLocation] = useState("");
  const [kind, setKind] = useState<LocationKind | "">("");
  const [error, setError] = useState<unknown>(null);
  const [total, setTotal] = useState<number | null>(null);
  const debounced = useDebounced(search, 300);
  const locations = useQuery({ queryKey: keys.locations, queryFn: api.listLocations });

  useEffect(() => {
    setError(null);
    setTotal(null);
  }, [debounced, location, kind]);
  const datasource = useMemo(() => {
    const filters = { search: debounced, location, kind };
    return positionsDatasource(api.positionsPage, filters, setError, setTotal);
  }, [debounced, location, kind]);

  return (
    <div className="catalogue">
      <div className="toolbar">
        <input
          type="search"
          placeholder="Filter by SKU or description"
          aria-label="Filter positions by SKU or description"
          data-testid="grid-search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select
          aria-label="Location"
          value={location}
          onChange={(e) => setLocation(e.target.value)}
        >
          <option value="">All locations</option>
          <LocationOptions locations={locations.data} />
        </select>
        <select
          aria-label="Location kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as LocationKind | "")}
        >
          <option value="">All kinds</option>
          <KindOptions />
        </select>
        <span className="muted" data-testid="grid-total">
          {total === null ? "Counting…" : `${formatQty(total)} positions`}
        </span>
      </div>
      {locations.isError && <ErrorBox title="Locations unavailable" error={locations.error} />}
      {error !== null && <ErrorBox title="Positions could not be loaded" error={error} />}
      <div className="grid-host" data-testid="catalogue-grid">
        <AgGridReact<Position>
          theme={gridTheme}
          rowModelType="infinite"
          datasource={datasource}
          columnDefs={positionColumns}
          defaultColDef={defaultColumn}
          cacheBlockSize={200}
          maxBlocksInCache={50}
          blockLoadDebounceMillis={80}
          rowSelection={{ mode: "singleRow", checkboxes: false, enableClickSelection: true }}
          overlayNoRowsTemplate="No positions match these filters."
          onRowClicked={(e) => e.data && onOpenLedger(e.data.sku, e.data.location)}
        />
      </div>
    </div>
  );
}
