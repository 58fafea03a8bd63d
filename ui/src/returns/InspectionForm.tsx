import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { DecisionRequest, Disposition, Grade, ReturnLineDetail } from "../api";
import { checked } from "../components/checked";
import { ErrorBox } from "../components/States";
import {
  blocker,
  chosenOption,
  initialInspection,
  isOverride,
  optionsFor,
  parseQuantity,
  takesDestination,
  toDecisionRequest,
  units,
  unitsWaiting,
} from "./inspection";
import { GRADES, dispositionForKey, gradeForKey } from "./labels";
import { RecoveryOptions } from "./RecoveryOptions";

type Props = {
  returnId: number;
  line: ReturnLineDetail;
  busy: boolean;
  /** The engine's refusal of the last decision sent, shown under the form. */
  error: Error | null;
  onDecide: (request: DecisionRequest) => void;
};

const isTyping = (target: EventTarget) =>
  target instanceof HTMLInputElement ||
  target instanceof HTMLTextAreaElement ||
  target instanceof HTMLSelectElement;

/**
 * Grading and deciding one line, keyboard first: 1 to 4 grade the units, a letter (or
 * the arrows) picks another way for them, Enter decides; Escape goes back to the
 * suggestion. An override needs a reason before it can be sent.
 */
export function InspectionForm({ returnId, line, busy, error, onDecide }: Props) {
  const form = useRef<HTMLFormElement>(null);
  const [inspection, setInspection] = useState(() => initialInspection(line));
  const options = optionsFor(line, inspection.grade);
  const chosen = chosenOption(options, inspection.choice);
  const override = isOverride(options, inspection.choice);
  const problem = blocker(inspection, options);
  const set = (change: Partial<typeof inspection>) => setInspection({ ...inspection, ...change });

  useEffect(() => form.current?.focus(), []);

  const grade = (g: Grade) => set({ grade: g, choice: null });
  const choose = (d: Disposition) => {
    if (options.some((o) => o.allowed && o.disposition === d)) set({ choice: d });
  };
  const step = (by: 1 | -1) => {
    const allowed = options.filter((o) => o.allowed);
    const at = allowed.findIndex((o) => o.disposition === chosen?.disposition);
    const next = allowed[Math.min(allowed.length - 1, Math.max(0, at + by))];
    if (next) choose(next.disposition);
  };
  const decide = () => {
    if (busy || problem !== null) return;
    const request = checked(() =>
      toDecisionRequest(returnId, line, inspection, new Date().toISOString()),
    );
    if (request.ok) onDecide(request.value);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      decide();
    } else if (e.key === "Escape" && inspection.choice !== null) {
      e.preventDefault();
      set({ choice: null });
      form.current?.focus();
    } else if (!isTyping(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const g = gradeForKey(e.key);
      const d = dispositionForKey(e.key);
      const arrow = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
      if (g === null && d === null && arrow === 0) return;
      e.preventDefault();
      if (g !== null) grade(g);
      else if (d !== null) choose(d);
      else step(arrow as 1 | -1);
    }
  };

  return (
    <form
      ref={form}
      className="card inspection"
      tabIndex={-1}
      data-testid="inspection"
      aria-label={`Inspect line ${line.line_no}`}
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        e.preventDefault();
        decide();
      }}
    >
      <h3>
        Inspect line {line.line_no} <span className="code">{line.sku}</span>{" "}
        <span className="muted">{line.description}</span>
      </h3>
      <p className="hint">
        {units(unitsWaiting(line))} waiting · {line.reason_label}. Keys: 1–4 grade, the
        letter picks another way, Enter decides, Esc returns to the suggestion.
      </p>
      <div className="grade-keys" role="group" aria-label="Grade">
        {GRADES.map((g) => (
          <button
            key={g.grade}
            type="button"
            className={g.grade === inspection.grade ? "grade active" : "grade"}
            aria-pressed={g.grade === inspection.grade}
            data-testid={`grade-${g.grade}`}
            onClick={() => grade(g.grade)}
          >
            <kbd>{g.key}</kbd> {g.label}
          </button>
        ))}
      </div>
      {inspection.grade !== null && (
        <RecoveryOptions
          options={options}
          chosen={chosen?.disposition ?? null}
          quantity={parseQuantity(inspection.quantity)}
          onChoose={choose}
        />
      )}
      <div className="form-row">
        <label>
          Quantity <span className="muted">(of {unitsWaiting(line)} waiting)</span>
          <input
            className="qty-input"
            inputMode="numeric"
            aria-label="Quantity"
            value={inspection.quantity}
            onChange={(e) => set({ quantity: e.target.value })}
          />
        </label>
        {override && (
          <label className="wide">
            Override reason <span className="muted">(required)</span>
            <input
              autoFocus
              aria-label="Override reason"
              aria-required
              value={inspection.overrideReason}
              placeholder="Why not the suggestion?"
              onChange={(e) => set({ overrideReason: e.target.value })}
            />
          </label>
        )}
        {takesDestination(chosen?.disposition) && (
          <label>
            Destination <span className="muted">(optional)</span>
            <input
              aria-label="Destination"
              value={inspection.destination}
              placeholder="Default location"
              onChange={(e) => set({ destination: e.target.value })}
            />
          </label>
        )}
        <button type="submit" className="primary" disabled={busy || problem !== null}>
          {busy ? "Deciding…" : override ? "Record override" : "Accept suggestion"}
        </button>
      </div>
      {problem !== null && (
        <p
          className={inspection.grade === null ? "hint" : "form-error"}
          data-testid="inspection-blocker"
        >
          {problem}
        </p>
      )}
      {error !== null && <ErrorBox title="The decision was not recorded" error={error} />}
    </form>
  );
}
