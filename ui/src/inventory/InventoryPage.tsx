import { CatalogueGrid } from "./CatalogueGrid";
import { SkuDetail } from "./SkuDetail";
import { SkuSearch } from "./SkuSearch";
import { Empty } from "../components/States";

export type InventoryState = { tab: "sku" | "grid"; search: string; sku: string | null };
export const initialInventory: InventoryState = { tab: "sku", search: "", sku: null };

type Props = {
  state: InventoryState;
  onChange: (state: InventoryState) => void;
  onOpenLedger: (sku: string, location: string) => void;
};

export function InventoryPage({ state, onChange, onOpenLedger }: Props) {
  const tab = (id: InventoryState["tab"], label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={state.tab === id}
      className={state.tab === id ? "tab active" : "tab"}
      onClick={() => onChange({ ...state, tab: id })}
    >
      {label}
    </button>
  );

  return (
    <div className="page inventory">
      <div className="tabs" role="tablist">
        {tab("sku", "By SKU")}
        {tab("grid", "Catalogue × network")}
      </div>
      {state.tab === "sku" ? (
        <div className="split">
          <SkuSearch
            text={state.search}
            onTextChange={(search) => onChange({ ...state, search })}
            selected={state.sku}
            onSelect={(sku) => onChange({ ...state, sku })}
          />
          <div className="detail-pane">
            {state.sku ? (
              <SkuDetail sku={state.sku} onOpenLedger={onOpenLedger} />
            ) : (
              <Empty title="No product selected">
                Search on the left, then pick a product to see its stock at every location.
              </Empty>
            )}
          </div>
        </div>
      ) : (
        <CatalogueGrid onOpenLedger={onOpenLedger} />
      )}
    </div>
  );
}
