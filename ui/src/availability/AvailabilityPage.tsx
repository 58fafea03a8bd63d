import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, keys } from "../api";
import { Empty, ErrorBox, Loading } from "../components/States";
import { BasketCheck } from "./BasketCheck";
import { ChannelTable } from "./ChannelTable";
import { RulesSection } from "./RulesSection";

function SkuAvailabilityView({ sku }: { sku: string }) {
  const view = useQuery({
    queryKey: keys.availability(sku),
    queryFn: () => api.skuAvailability(sku),
  });
  if (view.isPending) return <Loading label={`Loading availability of ${sku}…`} />;
  if (view.isError) return <ErrorBox title={`No availability for ${sku}`} error={view.error} />;
  if (view.data.channels.length === 0) {
    return <Empty title="No channel sells this product" />;
  }
  return <ChannelTable channels={view.data.channels} />;
}

/** Per-channel availability of a SKU, a basket check and the rules behind both. */
export function AvailabilityPage() {
  const [input, setInput] = useState("");
  const [sku, setSku] = useState<string | null>(null);
  return (
    <div className="page availability" data-testid="availability-page">
      <section className="card">
        <h3>What can each channel promise?</h3>
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (input.trim()) setSku(input.trim());
          }}
        >
          <label>
            SKU
            <input
              data-testid="availability-sku-input"
              autoFocus
              value={input}
              placeholder="e.g. 85123A"
              onChange={(e) => setInput(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={!input.trim()}>
            Show availability
          </button>
        </form>
        {sku ? (
          <SkuAvailabilityView key={sku} sku={sku} />
        ) : (
          <p className="hint">Enter a SKU to see what every channel may promise, by location.</p>
        )}
      </section>
      <BasketCheck />
      <RulesSection />
    </div>
  );
}
