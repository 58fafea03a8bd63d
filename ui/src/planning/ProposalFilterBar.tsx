import type { Location } from "../api";
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
  /** A filter's test id, value and change handler, as a ChoiceSelect takes them. */
  const field = <K extends keyof ProposalFilters>(key: K) => ({
    testId: `proposals-${key}`,
    value: filters[key],
    onChange: (value: ProposalFilters[K]) => set(key, value),
  });
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
      <ChoiceSelect label="Urgency" any="Any urgency" choices={URGENCIES} {...field("urgency")} />
      <ChoiceSelect label="Kind" any="All kinds" choices={PROPOSAL_KINDS} {...field("kind")} />
    </div>
  );
}

type ChoiceProps<T extends string> = {
  label: string;
  testId: string;
  /** The blank choice's text: no filter on this field. */
  any: string;
  choices: { value: T; label: string }[];
  value: T | "";
  onChange: (value: T | "") => void;
};

/** A <select> over a fixed list of labelled values, with a blank "any" first. */
function ChoiceSelect<T extends string>(props: ChoiceProps<T>) {
  const { label, testId, any, choices, value, onChange } = props;
  return (
    <select
      aria-label={label}
      data-testid={testId}
      value={value}
      onChange={(e) => onChange(e.target.value as T | "")}
    >
      <option value="">{any}</option>
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </select>
  );
}
