import type { Approval, Proposal } from "../api";

/** Quantities the planner typed over the proposed ones, by proposal id. */
export type Edits = ReadonlyMap<number, number>;

/**
 * What to send for the selected proposals: the edited quantity where the planner changed
 * it, else null (the engine then uses the proposed quantity).
 */
export function approvalsFor(selected: Proposal[], edits: Edits): Approval[] {
  return selected.map((p) => {
    const edited = edits.get(p.id);
    return { id: p.id, quantity: edited !== undefined && edited !== p.quantity ? edited : null };
  });
}

/** A quantity typed in the grid: whole units, or null when it is not a whole number. */
export function wholeUnits(value: unknown): number | null {
  const number = typeof value === "string" ? Number(value.trim()) : value;
  return typeof number === "number" && Number.isSafeInteger(number) ? number : null;
}

/** "Proposal 17 (85123A → ST-LEEDS)" when the proposal is known, else "Proposal 17". */
export function proposalLabel(id: number, known: Proposal[]): string {
  const p = known.find((k) => k.id === id);
  return p ? `Proposal ${id} (${p.sku} → ${p.location})` : `Proposal ${id}`;
}
