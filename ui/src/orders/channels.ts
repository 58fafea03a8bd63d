import type { OrderStatus, PartialPolicy } from "../api";

/** The sales channels the engine knows; there is no command listing them. */
export const CHANNELS = ["WEB", "STORE", "MARKETPLACE", "B2B", "CLICK_COLLECT"] as const;

export const ORDER_STATUSES: OrderStatus[] = [
  "open",
  "partially_shipped",
  "shipped",
  "cancelled",
  "expired",
  "rejected",
];

export const PARTIAL_POLICIES: { value: PartialPolicy; label: string }[] = [
  { value: "all_or_nothing", label: "All or nothing" },
  { value: "reserve_available", label: "Reserve what is available" },
];

export function policyLabel(policy: PartialPolicy): string {
  return PARTIAL_POLICIES.find((p) => p.value === policy)?.label ?? policy;
}
