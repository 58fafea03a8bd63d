import type { Disposition, RecoveryOption } from "../api";
import { formatMoney } from "../components/format";
import { dispositionKey, dispositionLabel } from "./labels";
import { expectedRecovery } from "./recovery";

type Props = {
  options: RecoveryOption[];
  /** The option the units go to as the form stands. */
  chosen: Disposition | null;
  /** Units being decided, for the expected total; null while the quantity is invalid. */
  quantity: number | null;
  onChoose: (disposition: Disposition) => void;
};

/** Every way the units of one grade could go, the engine's suggestion marked. */
export function RecoveryOptions({ options, chosen, quantity, onChoose }: Props) {
  return (
    <div className="table-wrap recovery-options">
      <table className="table compact" data-testid="recovery-options">
        <thead>
          <tr>
            <th>Key</th>
            <th>Disposition</th>
            <th className="num">Per unit</th>
            <th className="num">Expected recovery</th>
            <th aria-label="Suggestion" />
          </tr>
        </thead>
        <tbody>
          {options.map((o) => {
            const total = quantity === null ? null : expectedRecovery(o.unit_recovery, quantity);
            return (
              <tr
                key={o.disposition}
                className={optionClass(o, chosen)}
                aria-selected={o.disposition === chosen}
                aria-disabled={!o.allowed}
                data-testid={`option-${o.disposition}`}
                title={o.allowed ? undefined : "Not allowed for units of this grade"}
                onClick={() => o.allowed && onChoose(o.disposition)}
              >
                <td>
                  <kbd>{dispositionKey(o.disposition).toUpperCase()}</kbd>
                </td>
                <td>{dispositionLabel(o.disposition)}</td>
                <td className="num">{formatMoney(o.unit_recovery)}</td>
                <td className="num" data-testid={`option-${o.disposition}-expected`}>
                  {o.allowed && total !== null ? formatMoney(total) : "—"}
                </td>
                <td>
                  {o.suggested && <span className="status suggested">Suggested</span>}
                  {!o.allowed && <span className="muted small">Not allowed</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function optionClass(o: RecoveryOption, chosen: Disposition | null): string {
  if (!o.allowed) return "excluded";
  return o.disposition === chosen ? "clickable selected" : "clickable";
}
