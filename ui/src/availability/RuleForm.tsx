import { useQuery } from "@tanstack/react-query";
import { api, keys, type LocationKind } from "../api";
import { ChannelOptions, KindOptions, LocationOptions } from "../components/Options";
import type { RuleDraft, Scope } from "./ruleForm";

type Props = {
  draft: RuleDraft;
  onChange: (draft: RuleDraft) => void;
  ruleKeys: string[];
};

type TextKey = {
  [K in keyof RuleDraft]: RuleDraft[K] extends string ? K : never;
}[keyof RuleDraft];
type FlagKey = "excluded" | "includeInbound" | "pickupFallback";

/** The fields of a new rule version; submitting is the parent's form's business. */
export function RuleFields({ draft, onChange, ruleKeys }: Props) {
  const locations = useQuery({ queryKey: keys.locations, queryFn: api.listLocations });
  const set = (change: Partial<RuleDraft>) => onChange({ ...draft, ...change });

  const text = (key: TextKey, label: string, extra: { placeholder?: string } = {}) => (
    <label>
      {label}
      <input
        data-testid={`rule-${key}`}
        value={draft[key]}
        onChange={(e) => set({ [key]: e.target.value })}
        {...extra}
      />
    </label>
  );
  const flag = (key: FlagKey, label: string) => (
    <label className="check">
      <input
        type="checkbox"
        data-testid={`rule-${key}`}
        checked={draft[key]}
        onChange={(e) => set({ [key]: e.target.checked })}
      />
      {label}
    </label>
  );

  return (
    <div className="grid-form">
      <label>
        Rule key
        <input
          data-testid="rule-ruleKey"
          list="rule-keys"
          value={draft.ruleKey}
          placeholder="e.g. web-store-buffer"
          onChange={(e) => set({ ruleKey: e.target.value })}
        />
        <datalist id="rule-keys">
          {ruleKeys.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
      </label>
      <label>
        Channel
        <select value={draft.channel} onChange={(e) => set({ channel: e.target.value })}>
          <option value="">Every channel</option>
          <ChannelOptions />
        </select>
      </label>
      <label>
        Applies to
        <select
          data-testid="rule-scope"
          value={draft.scope}
          onChange={(e) => set({ scope: e.target.value as Scope })}
        >
          <option value="all">Every location</option>
          <option value="location">One location</option>
          <option value="kind">A kind of location</option>
        </select>
      </label>
      {draft.scope === "location" && (
        <label>
          Location
          <select
            data-testid="rule-location"
            value={draft.location}
            onChange={(e) => set({ location: e.target.value })}
          >
            <option value="">Choose…</option>
            <LocationOptions locations={locations.data} />
          </select>
        </label>
      )}
      {draft.scope === "kind" && (
        <label>
          Location kind
          <select
            value={draft.kind}
            onChange={(e) => set({ kind: e.target.value as LocationKind })}
          >
            <KindOptions />
          </select>
        </label>
      )}
      {text("safetyStock", "Safety stock (units)")}
      {text("poolHold", "Pool hold (units)")}
      {text("dailyCapacity", "Daily capacity (blank: none)")}
      {text("cutoff", "Carrier cutoff (HH:MM, blank: none)", { placeholder: "15:00" })}
      {text("effectiveFrom", "Effective from (ISO, UTC)")}
      <div className="checks">
        {flag("excluded", "Excluded from this channel")}
        {flag("includeInbound", "Promise from inbound")}
        {flag("pickupFallback", "Pickup fallback")}
      </div>
    </div>
  );
}
