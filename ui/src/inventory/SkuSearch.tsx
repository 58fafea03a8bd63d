import { useQuery } from "@tanstack/react-query";
import { api, keys } from "../api";
import { Empty, ErrorBox, Loading } from "../components/States";
import { formatQty } from "../components/format";
import { useDebounced } from "../components/useDebounced";

type Props = {
  text: string;
  onTextChange: (text: string) => void;
  selected: string | null;
  onSelect: (sku: string) => void;
};

const LIMIT = 50;

/** Debounced SKU/description search with a results list. */
export function SkuSearch({ text, onTextChange, selected, onSelect }: Props) {
  const term = useDebounced(text.trim(), 250);
  const results = useQuery({
    queryKey: keys.search(term),
    queryFn: () => api.searchProducts(term, LIMIT),
    enabled: term.length > 0,
    placeholderData: (previous) => previous,
  });

  return (
    <div className="search-panel">
      <input
        type="search"
        className="search-input"
        placeholder="Search SKU or description"
        aria-label="Search SKU or description"
        data-testid="sku-search"
        value={text}
        autoFocus
        onChange={(e) => onTextChange(e.target.value)}
      />
      <div className="search-results">
        {term.length === 0 ? (
          <Empty title="Find a product">Type a SKU or part of a description.</Empty>
        ) : results.isError ? (
          <ErrorBox error={results.error} />
        ) : results.isPending ? (
          <Loading label="Searching…" />
        ) : results.data.length === 0 ? (
          <Empty title="No products match">Try fewer words or a shorter SKU.</Empty>
        ) : (
          <ul className="result-list" aria-label="Search results">
            {results.data.map((hit) => (
              <li key={hit.sku}>
                <button
                  type="button"
                  className={hit.sku === selected ? "result selected" : "result"}
                  data-testid={`search-result-${hit.sku}`}
                  onClick={() => onSelect(hit.sku)}
                >
                  <span className="result-sku">{hit.sku}</span>
                  <span className="result-desc">{hit.description}</span>
                  <span className="result-qty">
                    {formatQty(hit.on_hand)} on hand ·{" "}
                    <span className={hit.available < 0 ? "neg" : undefined}>
                      {formatQty(hit.available)} avail.
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {results.data && results.data.length === LIMIT && (
          <p className="hint">Showing the first {LIMIT} matches; refine the search.</p>
        )}
      </div>
    </div>
  );
}
