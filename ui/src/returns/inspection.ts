import type {
  DecisionRequest,
  Disposition,
  Grade,
  RecoveryOption,
  ReturnLineDetail,
  ReturnSummary,
} from "../api";
import { formatQty } from "../components/format";
import { dispositionLabel } from "./labels";

/** Received units of a line that still wait for a decision. */
export const unitsWaiting = (line: ReturnLineDetail) => line.received - line.disposed;

/** What the inspector has entered for one line so far. */
export type Inspection = {
  grade: Grade | null;
  /** The option picked; null follows the engine's suggestion for the grade. */
  choice: Disposition | null;
  quantity: string;
  overrideReason: string;
  destination: string;
};

/** Nothing graded yet; every unit waiting is inspected at once unless reduced. */
export function initialInspection(line: ReturnLineDetail): Inspection {
  return {
    grade: null,
    choice: null,
    quantity: String(unitsWaiting(line)),
    overrideReason: "",
    destination: "",
  };
}

export function optionsFor(line: ReturnLineDetail, grade: Grade | null): RecoveryOption[] {
  if (grade === null) return [];
  return line.grades.find((g) => g.grade === grade)?.options ?? [];
}

/** Where the units go as the form stands: the choice, else the suggestion. */
export function chosenOption(options: RecoveryOption[], choice: Disposition | null) {
  return options.find((o) => (choice === null ? o.suggested : o.disposition === choice));
}

/** The engine needs a reason whenever the units go elsewhere than it suggested. */
export function isOverride(options: RecoveryOption[], choice: Disposition | null): boolean {
  return choice !== null && !options.some((o) => o.suggested && o.disposition === choice);
}

/** Restocked and refurbished units become available somewhere: the destination. */
export const takesDestination = (d: Disposition | undefined) =>
  d === "restock" || d === "refurbish";

/** The quantity typed, as whole units, or null when it is not a positive whole number. */
export function parseQuantity(text: string): number | null {
  const value = Number(text.trim());
  return text.trim() !== "" && Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** Why the decision cannot be sent yet, or null when it can. */
export function blocker(inspection: Inspection, options: RecoveryOption[]): string | null {
  if (inspection.grade === null) return "Grade the units first: press 1 to 4.";
  if (parseQuantity(inspection.quantity) === null) {
    return `Quantity must be a whole number of units, not "${inspection.quantity}".`;
  }
  const suggested = options.find((o) => o.suggested);
  if (isOverride(options, inspection.choice) && inspection.overrideReason.trim() === "") {
    const chosen = dispositionLabel(inspection.choice as Disposition);
    const against = suggested ? `${dispositionLabel(suggested.disposition)} was suggested: ` : "";
    return `${against}give a reason to ${chosen.toLowerCase()} instead.`;
  }
  return null;
}

/**
 * The decision to send. Accepting the suggestion sends no disposition, so the engine
 * applies its own; an override carries its reason. Whether the quantity fits and the
 * destination may hold stock is the engine's to say.
 */
export function toDecisionRequest(
  returnId: number,
  line: ReturnLineDetail,
  inspection: Inspection,
  at: string,
): DecisionRequest {
  const options = optionsFor(line, inspection.grade);
  const problem = blocker(inspection, options);
  if (problem !== null || inspection.grade === null) throw new Error(problem ?? "No grade.");
  const override = isOverride(options, inspection.choice);
  const destination = inspection.destination.trim();
  return {
    return_id: returnId,
    line_no: line.line_no,
    quantity: parseQuantity(inspection.quantity) ?? 0,
    grade: inspection.grade,
    disposition: override ? inspection.choice : null,
    override_reason: override ? inspection.overrideReason.trim() : null,
    destination:
      takesDestination(chosenOption(options, inspection.choice)?.disposition) && destination
        ? destination
        : null,
    at,
  };
}

/**
 * The line to inspect after `quantity` units of line `decided` were decided: the same
 * line while units of it still wait (a split across grades), else the next line with
 * units waiting, wrapping round; null when nothing waits.
 */
export function nextLine(
  lines: ReturnLineDetail[],
  decided: number,
  quantity: number,
): number | null {
  const waiting = (l: ReturnLineDetail) =>
    unitsWaiting(l) - (l.line_no === decided ? quantity : 0);
  const at = lines.findIndex((l) => l.line_no === decided);
  const order = [...lines.slice(at), ...lines.slice(0, at)];
  return order.find((l) => waiting(l) > 0)?.line_no ?? null;
}

/** The first line with units waiting, where inspection of a return starts. */
export function firstWaitingLine(lines: ReturnLineDetail[]): number | null {
  return lines.find((l) => unitsWaiting(l) > 0)?.line_no ?? null;
}

/**
 * The return to open once `current` has no unit left: the next in the queue after it
 * with units waiting, else the first such one before it; null when the queue is done.
 */
export function nextReturn(queue: ReturnSummary[], current: number): number | null {
  const at = queue.findIndex((r) => r.id === current);
  const order = at < 0 ? queue : [...queue.slice(at + 1), ...queue.slice(0, at)];
  return order.find((r) => r.id !== current && r.units_waiting > 0)?.id ?? null;
}

export const units = (n: number) => `${formatQty(n)} unit${n === 1 ? "" : "s"}`;
