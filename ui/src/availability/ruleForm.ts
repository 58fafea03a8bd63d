import type { LocationKind, Rule, RuleChange } from "../api";

export type Scope = "all" | "location" | "kind";

/** The rule form as typed; numbers stay text until the change is built. */
export type RuleDraft = {
  ruleKey: string;
  channel: string;
  scope: Scope;
  location: string;
  kind: LocationKind;
  safetyStock: string;
  poolHold: string;
  excluded: boolean;
  includeInbound: boolean;
  pickupFallback: boolean;
  dailyCapacity: string;
  cutoff: string;
  effectiveFrom: string;
};

export function blankRule(now: Date = new Date()): RuleDraft {
  return {
    ruleKey: "",
    channel: "",
    scope: "all",
    location: "",
    kind: "store",
    safetyStock: "0",
    poolHold: "0",
    excluded: false,
    includeInbound: false,
    pickupFallback: false,
    dailyCapacity: "",
    cutoff: "",
    effectiveFrom: now.toISOString(),
  };
}

/** A draft for the next version of `rule`, effective now. */
export function nextVersionOf(rule: Rule, now: Date = new Date()): RuleDraft {
  return {
    ...blankRule(now),
    ruleKey: rule.rule_key,
    channel: rule.channel ?? "",
    scope: rule.location ? "location" : rule.location_kind ? "kind" : "all",
    location: rule.location ?? "",
    kind: rule.location_kind ?? "store",
    safetyStock: String(rule.safety_stock),
    poolHold: String(rule.pool_hold),
    excluded: rule.excluded,
    includeInbound: rule.include_inbound,
    pickupFallback: rule.pickup_fallback,
    dailyCapacity: rule.daily_capacity === null ? "" : String(rule.daily_capacity),
    cutoff: rule.cutoff_local?.slice(0, 5) ?? "",
  };
}

function wholeNumber(text: string, label: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < 0) {
    throw new Error(`${label} must be a whole number, 0 or more.`);
  }
  return value;
}

/** The change the engine records, or an Error saying which field to fix. */
export function toRuleChange(draft: RuleDraft): RuleChange {
  const ruleKey = draft.ruleKey.trim();
  if (!ruleKey) throw new Error("Give the rule a key, e.g. web-store-buffer.");
  const location = draft.location.trim();
  if (draft.scope === "location" && !location) throw new Error("Choose the location.");
  const cutoff = draft.cutoff.trim();
  if (cutoff && !/^\d{2}:\d{2}$/.test(cutoff)) throw new Error("The cutoff is a time, HH:MM.");
  const effective = new Date(draft.effectiveFrom.trim());
  if (Number.isNaN(effective.getTime())) {
    throw new Error("Effective from must be a date and time, e.g. 2024-05-01T06:00:00Z.");
  }
  return {
    rule_key: ruleKey,
    channel: draft.channel || null,
    location: draft.scope === "location" ? location : null,
    location_kind: draft.scope === "kind" ? draft.kind : null,
    safety_stock: wholeNumber(draft.safetyStock, "Safety stock"),
    pool_hold: wholeNumber(draft.poolHold, "Pool hold"),
    excluded: draft.excluded,
    include_inbound: draft.includeInbound,
    pickup_fallback: draft.pickupFallback,
    daily_capacity:
      draft.dailyCapacity.trim() === ""
        ? null
        : wholeNumber(draft.dailyCapacity, "Daily capacity"),
    cutoff_local: cutoff ? `${cutoff}:00` : null,
    effective_from: effective.toISOString(),
  };
}
