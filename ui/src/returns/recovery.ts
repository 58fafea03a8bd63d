const DECIMAL = /^(-?)(\d+)(?:\.(\d*))?$/;

/**
 * Expected recovery of `quantity` units at `unit` pounds each (a decimal string from
 * the engine), rounded to pence half to even as the engine rounds a decision's total.
 * The digits stay text and BigInt: no binary float touches the money. Null when the
 * unit figure is not a decimal.
 */
export function expectedRecovery(unit: string, quantity: number): string | null {
  const match = DECIMAL.exec(unit.trim());
  if (!match || !Number.isSafeInteger(quantity)) return null;
  const [, sign, whole, fraction = ""] = match;
  const scale = 10n ** BigInt(fraction.length);
  const magnitude = BigInt(whole + fraction) * BigInt(Math.abs(quantity));
  // Pence, and what is left over in units of 1/scale of a penny.
  let pence = (magnitude * 100n) / scale;
  const rest = (magnitude * 100n) % scale;
  if (rest * 2n > scale || (rest * 2n === scale && pence % 2n === 1n)) pence += 1n;
  const negative = (sign === "-") !== quantity < 0 && pence > 0n;
  const cents = String(pence % 100n).padStart(2, "0");
  return `${negative ? "-" : ""}${pence / 100n}.${cents}`;
}
