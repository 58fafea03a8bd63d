import { formatQty } from "../components/format";

type Props = { lines: number; testId?: string };

/** Return lines not linked to an order line, which the engine flags for review. */
export function UnlinkedBadge({ lines, testId }: Props) {
  const title = `${formatQty(lines)} line${lines === 1 ? "" : "s"} not linked to an order line`;
  return (
    <span className="status unlinked" data-testid={testId} title={title}>
      Unlinked
    </span>
  );
}
