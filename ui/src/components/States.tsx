import type { ReactNode } from "react";
import { ApiError } from "../api";

/** Shows the engine's plain message, with the error code in small text. */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  const apiError = error instanceof ApiError ? error : null;
  const message =
    apiError?.message ?? (error instanceof Error ? error.message : String(error ?? "Unknown"));
  return (
    <div className="error-box" role="alert">
      {title && <strong className="error-title">{title}</strong>}
      <span className="error-message">{message}</span>
      <small className="error-code">code: {apiError?.code ?? "internal"}</small>
    </div>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

/** A form the user must correct before anything is sent to the engine. */
export function Invalid({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
