import type { Disposition, Grade, KpiDimension } from "../api";
import { humanize } from "../components/format";

/** The grades in the order of their keys: the inspector presses 1 to 4. */
export const GRADES: { grade: Grade; key: string; label: string }[] = [
  { grade: "as_new", key: "1", label: "As new" },
  { grade: "open_box", key: "2", label: "Open box" },
  { grade: "damaged", key: "3", label: "Damaged" },
  { grade: "defective", key: "4", label: "Defective" },
];

/** Each disposition with the letter that chooses it on the inspection form. */
const DISPOSITIONS: Record<Disposition, { label: string; key: string }> = {
  restock: { label: "Restock", key: "r" },
  refurbish: { label: "Refurbish", key: "f" },
  return_to_vendor: { label: "Return to vendor", key: "v" },
  liquidate: { label: "Liquidate", key: "l" },
  scrap: { label: "Scrap", key: "s" },
};

export function gradeLabel(grade: Grade): string {
  return GRADES.find((g) => g.grade === grade)?.label ?? humanize(grade);
}

export function gradeForKey(key: string): Grade | null {
  return GRADES.find((g) => g.key === key)?.grade ?? null;
}

export function dispositionLabel(disposition: Disposition): string {
  return DISPOSITIONS[disposition]?.label ?? humanize(disposition);
}

export function dispositionKey(disposition: Disposition): string {
  return DISPOSITIONS[disposition]?.key ?? "";
}

export function dispositionForKey(key: string): Disposition | null {
  const lower = key.toLowerCase();
  const found = Object.entries(DISPOSITIONS).find(([, d]) => d.key === lower);
  return found ? (found[0] as Disposition) : null;
}

export const KPI_DIMENSIONS: { value: KpiDimension; label: string }[] = [
  { value: "reason", label: "Reason" },
  { value: "grade", label: "Grade" },
  { value: "location", label: "Location" },
  { value: "disposition", label: "Disposition" },
  { value: "month", label: "Month received" },
];

/** A KPI row's key as people read it: "open_box" -> "Open box"; codes stay codes. */
export function kpiKeyLabel(dimension: KpiDimension, key: string): string {
  switch (dimension) {
    case "grade":
      return gradeLabel(key as Grade);
    case "disposition":
      return dispositionLabel(key as Disposition);
    case "reason":
      return humanize(key);
    case "location":
    case "month":
      return key;
  }
}
