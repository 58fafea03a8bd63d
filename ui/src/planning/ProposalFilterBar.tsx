import type { Location, ProposalKind, Urgency } from "../api";
import { LocationOptions } from "../components/Options";
import { PROPOSAL_KINDS, URGENCIES } from "./labels";
import type { ProposalFilters } from "./proposalFilters";

type Props = {
  filters: ProposalFilters;
  onChange: (filters: ProposalFilters) => void;
  locations: Location[] | undefined;
  /** Supplier codes seen on proposals, offered as suggestions. */
  suppliers: string[];
};

/** Location, supplier, urgency, kind and SKU prefix, all applied by the engine. */
export function ProposalFilterBar({ filters, onChange, locations, suppliers }: Props) {
  const set = <K extends keyof ProposalFilters>(key: K, value: ProposalFilters[K]) =>
    onChange({ ...filters, [key]: value });
  return (
    <div className="toolbar" data-testid="proposal-filters">
      <input
        type="search"
        placeholder="SKU starts with"
        aria-label="SKU prefix"
        data-testid="proposals-sku"
        value={filters.sku}
        onChange={(e) => set("sku", e.target.value)}
      />
      <select
        aria-label="Location"
        data-testid="proposals-location"
        value={filters.location}
        onChange={(e) => set("location", e.target.value)}
      >
        <option value="">All locations</option>
        <LocationOptions locations={locations} />
      </select>
      <input
        list="proposal-suppliers"
        placeholder="Any supplier"
        aria-label="Supplier"
        data-testid="proposals-supplier"
        className="short-input"
        value={filters.supplier}
        onChange={(e) => set("supplier", e.target.value)}
      />
      <datalist id="proposal-suppliers">
        {suppliers.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <select
        aria-label="Urgency"
        data-testid="proposals-urgency"
        value={filters.urgency}
        onChange={(e) => set("urgency", e.target.value as Urgency | "")}
      >
        <option value="">Any urgency</option>
        {URGENCIES.map((u) => (
          <option key={u.value} value={u.value}>
            {u.label}
          </option>
        ))}
      </select>
      <select
        aria-label="Kind"
        data-testid="proposals-kind"
        value={filters.kind}
        onChange={(e) => set("kind", e.target.value as ProposalKind | "")}
      >
        <option value="">All kinds</option>
        {PROPOSAL_KINDS.map((k) => (
          <option key={k.value} value={k.value}>
            {k.label}
          </option>
        ))}
      </select>
    </div>
  );
}
