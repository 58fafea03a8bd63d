import { useState } from "react";

type Field = { label: string; initial?: string; required?: boolean; placeholder?: string };

type Props = {
  /** The question, e.g. "Cancel order 12?". */
  title: string;
  /** A text the user must (or may) give with the action; none for a plain confirmation. */
  field?: Field;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: (value: string) => void;
  onCancel: () => void;
  testId?: string;
};

/**
 * An inline confirmation with an optional text, in place of window.prompt (which a
 * desktop webview may not offer). Enter confirms, Escape backs out.
 */
export function Prompt({ title, field, confirmLabel, busy, onConfirm, onCancel, testId }: Props) {
  const [value, setValue] = useState(field?.initial ?? "");
  const missing = field?.required === true && value.trim() === "";
  return (
    <form
      className="prompt"
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        if (!missing && !busy) onConfirm(value.trim());
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <span className="prompt-title">{title}</span>
      {field && (
        <label>
          {field.label}
          {field.required && <span className="muted"> (required)</span>}
          <input
            autoFocus
            value={value}
            placeholder={field.placeholder}
            aria-required={field.required}
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
      )}
      <button type="submit" className="primary" disabled={missing || busy} autoFocus={!field}>
        {busy ? "Working…" : confirmLabel}
      </button>
      <button type="button" onClick={onCancel}>
        Back
      </button>
    </form>
  );
}
