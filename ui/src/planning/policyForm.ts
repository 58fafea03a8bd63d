import type { Policy, PolicyChange } from "../api";

/** The policy form as typed; the engine decides which values are acceptable. */
export type PolicyForm = {
  serviceLevel: string;
  reviewDays: string;
  rebalanceKm: string;
  note: string;
};

const text = (value: number | null) => (value === null ? "" : String(value));

export function policyForm(current: Policy | undefined): PolicyForm {
  return {
    serviceLevel: text(current?.service_level ?? null),
    reviewDays: current ? String(current.review_days) : "",
    rebalanceKm: text(current?.rebalance_max_km ?? null),
    note: "",
  };
}

function number(value: string, what: string, example: string): number {
  const parsed = value.trim() === "" ? Number.NaN : Number(value.trim());
  if (!Number.isFinite(parsed)) throw new Error(`${what} must be a number, e.g. ${example}.`);
  return parsed;
}

/** The change to send: numbers where the engine needs numbers, whole days for the review. */
export function toPolicyChange(form: PolicyForm): PolicyChange {
  const reviewDays = number(form.reviewDays, "Review days", "7");
  if (!Number.isInteger(reviewDays) || Math.abs(reviewDays) > 2_147_483_647) {
    throw new Error("Review days must be a whole number of days.");
  }
  return {
    service_level: number(form.serviceLevel, "Service level", "0.95"),
    review_days: reviewDays,
    rebalance_max_km: number(form.rebalanceKm, "Rebalancing distance", "40"),
    note: form.note.trim(),
  };
}
