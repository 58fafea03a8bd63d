import type { Method, ProposalKind, Urgency } from "../api";

export const PROPOSAL_KINDS: { value: ProposalKind; label: string }[] = [
  { value: "purchase", label: "Purchase" },
  { value: "transfer", label: "Transfer" },
  { value: "rebalance", label: "Rebalance" },
];

export const URGENCIES: { value: Urgency; label: string }[] = [
  { value: "critical", label: "Critical" },
  { value: "due", label: "Due" },
];

export function kindName(kind: ProposalKind): string {
  return PROPOSAL_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

export function urgencyName(urgency: Urgency): string {
  return URGENCIES.find((u) => u.value === urgency)?.label ?? urgency;
}

const METHODS: Record<Method, string> = {
  seasonal_naive: "Seasonal naive (last season repeated)",
  no_demand: "No demand (no sale in the history)",
  smoothed_level: "Smoothed level × weekly profile",
  tsb: "TSB (chance of a sale × size) × weekly profile",
};

export function methodName(method: Method): string {
  return METHODS[method] ?? method;
}

const rate = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });

/** Units per day, which the engine sends as a float (null when it is not a number). */
export function formatRate(value: number | null): string {
  return value === null || !Number.isFinite(value) ? "—" : rate.format(value);
}

/** 0.95 -> "95%"; 0.975 -> "97.5%". */
export function formatShare(value: number | null): string {
  return value === null || !Number.isFinite(value) ? "—" : `${rate.format(value * 100)}%`;
}
