import type { ErrorCode, UiError } from "../bindings";

/** What every generated command resolves to. */
export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

/** A failed engine command, thrown so TanStack Query can surface it. */
export class ApiError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

function isUiError(value: unknown): value is UiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as UiError).code === "string" &&
    typeof (value as UiError).message === "string"
  );
}

/** Converts anything a command can throw into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isUiError(error)) return new ApiError(error.code, error.message);
  if (typeof error === "string") return new ApiError("internal", error);
  if (error instanceof Error) {
    const outsideTauri = /__TAURI_INTERNALS__|transformCallback|invoke/.test(error.message);
    const message = outsideTauri
      ? "The Stockroom engine is not reachable. Run the UI inside the desktop app."
      : error.message;
    return new ApiError("internal", message);
  }
  return new ApiError("internal", "Unexpected error from the engine.");
}

type Pending<T> = Promise<Result<T, UiError>> | (() => Promise<Result<T, UiError>>);

/** Awaits a generated command and returns its data, or throws ApiError. */
export async function unwrap<T>(pending: Pending<T>): Promise<T> {
  let result: Result<T, UiError>;
  try {
    result = await (typeof pending === "function" ? pending() : pending);
  } catch (error) {
    throw toApiError(error);
  }
  if (result.status === "error") throw toApiError(result.error);
  return result.data;
}
