import { useState } from "react";
import type { ReceiptLine, ReceiptOutcome } from "../api";
import { checked } from "../components/checked";
import { ErrorBox, Invalid } from "../components/States";
import { formatMoney, formatQty } from "../components/format";
import { initialEntries, toReceiptLines, type Entry, type ReceivableLine } from "./receiptForm";

type Props = {
  /** "Transfer 12" or "Purchase order 7". */
  document: string;
  lines: ReceivableLine[];
  onReceive: (reference: string, lines: ReceiptLine[]) => void;
  busy: boolean;
  outcome: ReceiptOutcome | null;
  error: unknown;
  testId: string;
};

/** A document's lines with what arrived on each: accepted into stock and rejected. */
export function ReceiveForm(props: Props) {
  const { document, lines, onReceive, busy, outcome, error, testId } = props;
  const [reference, setReference] = useState(() => `RN-${Date.now()}`);
  const [entries, setEntries] = useState(() => initialEntries(lines));
  const [invalid, setInvalid] = useState<string | null>(null);
  const set = (line: number, field: keyof Entry, value: string) =>
    setEntries({ ...entries, [line]: { ...entries[line], [field]: value } });

  const submit = () => {
    const receipt = checked(() => toReceiptLines(lines, entries));
    setInvalid(receipt.ok ? null : receipt.message);
    if (receipt.ok) onReceive(reference.trim(), receipt.value);
  };

  return (
    <form
      className="receive-form"
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) submit();
      }}
    >
      <ReceiveLines lines={lines} entries={entries} onEntry={set} testId={testId} />
      <div className="form-row">
        <label>
          Receiving note reference
          <input
            value={reference}
            aria-required
            onChange={(e) => setReference(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={busy || reference.trim() === ""}>
          {busy ? "Receiving…" : `Receive ${document.toLowerCase()}`}
        </button>
      </div>
      <Invalid message={invalid} />
      {error !== null && <ErrorBox title={`${document} was not received`} error={error} />}
      {outcome && <ReceiptResult outcome={outcome} testId={`${testId}-outcome`} />}
    </form>
  );
}

/** The two figures typed on each line, as the verb that labels its input. */
const ENTRY_VERBS: [keyof Entry, string][] = [
  ["accepted", "Accept"],
  ["rejected", "Reject"],
];

type LinesProps = {
  lines: ReceivableLine[];
  entries: Record<number, Entry>;
  onEntry: (line: number, field: keyof Entry, value: string) => void;
  testId: string;
};

/** Each line's figures so far, and what arrived on it now. */
function ReceiveLines({ lines, entries, onEntry, testId }: LinesProps) {
  const withCost = lines.some((l) => l.unit_cost !== undefined);
  return (
    <div className="table-wrap">
      <table className="table compact receive-lines">
        <thead>
          <tr>
            <th className="num">Line</th>
            <th>SKU</th>
            <th className="num">Due</th>
            <th className="num">Accepted</th>
            <th className="num">Rejected</th>
            <th className="num">Open</th>
            {withCost && <th className="num">Unit cost</th>}
            <th className="num">Accept now</th>
            <th className="num">Reject now</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.line_no} data-testid={`${testId}-line-${l.line_no}`}>
              <td className="num">{l.line_no}</td>
              <td className="code">{l.sku}</td>
              <td className="num">{formatQty(l.due)}</td>
              <td className="num">{formatQty(l.accepted)}</td>
              <td className="num">{formatQty(l.rejected)}</td>
              <td className={l.open > 0 ? "num" : "num zero"}>{formatQty(l.open)}</td>
              {withCost && <td className="num">{l.unit_cost && formatMoney(l.unit_cost)}</td>}
              {ENTRY_VERBS.map(([field, verb]) => (
                <td key={field} className="num">
                  <input
                    className="qty-input"
                    inputMode="numeric"
                    aria-label={`${verb} on line ${l.line_no}`}
                    value={entries[l.line_no]?.[field] ?? ""}
                    onChange={(e) => onEntry(l.line_no, field, e.target.value)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReceiptResult({ outcome, testId }: { outcome: ReceiptOutcome; testId: string }) {
  const open = `${formatQty(outcome.still_open)} unit${outcome.still_open === 1 ? "" : "s"}`;
  return (
    <p className="success" role="status" data-testid={testId}>
      {outcome.repeated
        ? `This receiving note was already recorded; nothing new. ${open} still open.`
        : `Received ${formatQty(outcome.accepted)} accepted and ` +
          `${formatQty(outcome.rejected)} rejected; ${open} still open.`}
    </p>
  );
}
