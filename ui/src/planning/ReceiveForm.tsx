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
  const withCost = lines.some((l) => l.unit_cost !== undefined);
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
                <td className="num">
                  <input
                    className="qty-input"
                    inputMode="numeric"
                    aria-label={`Accept on line ${l.line_no}`}
                    value={entries[l.line_no]?.accepted ?? ""}
                    onChange={(e) => set(l.line_no, "accepted", e.target.value)}
                  />
                </td>
                <td className="num">
                  <input
                    className="qty-input"
                    inputMode="numeric"
                    aria-label={`Reject on line ${l.line_no}`}
                    value={entries[l.line_no]?.rejected ?? ""}
                    onChange={(e) => set(l.line_no, "rejected", e.target.value)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
