import { formatQty } from "./format";

type Props = { value: number; testId?: string };

/** A right-aligned table cell with thousands separators; negatives are flagged. */
export function QtyCell({ value, testId }: Props) {
  const className = value < 0 ? "num neg" : value === 0 ? "num zero" : "num";
  return (
    <td className={className} data-testid={testId} title={value < 0 ? "Negative" : undefined}>
      {formatQty(value)}
    </td>
  );
}
