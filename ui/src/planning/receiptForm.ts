import type { ReceiptLine } from "../api";

/** A document line as the receiving form shows it (transfer or purchase order). */
export type ReceivableLine = {
  line_no: number;
  sku: string;
  /** Shipped (transfer) or ordered (purchase order). */
  due: number;
  accepted: number;
  rejected: number;
  /** Still in transit or inbound. */
  open: number;
  unit_cost?: string;
};

/** What the receiver typed on one line; blank on both means "not on this receipt". */
export type Entry = { accepted: string; rejected: string };

/** Each open line starts as "all of it arrived in good order". */
export function initialEntries(lines: ReceivableLine[]): Record<number, Entry> {
  const entries: Record<number, Entry> = {};
  for (const l of lines) {
    entries[l.line_no] = { accepted: l.open > 0 ? String(l.open) : "", rejected: "" };
  }
  return entries;
}

function units(text: string, line: number, field: string): number {
  if (text.trim() === "") return 0;
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value)) {
    throw new Error(`Line ${line}: ${field} must be a whole number of units, not "${text}".`);
  }
  return value;
}

/**
 * The receipt to send: every line with something typed, as whole units. Whether the
 * figures fit what is still open is the engine's to say.
 */
export function toReceiptLines(
  lines: ReceivableLine[],
  entries: Record<number, Entry>,
): ReceiptLine[] {
  const receipt: ReceiptLine[] = [];
  for (const { line_no } of lines) {
    const entry = entries[line_no];
    if (!entry || (entry.accepted.trim() === "" && entry.rejected.trim() === "")) continue;
    receipt.push({
      line_no,
      accepted: units(entry.accepted, line_no, "accepted"),
      rejected: units(entry.rejected, line_no, "rejected"),
    });
  }
  return receipt;
}
