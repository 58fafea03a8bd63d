export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** Runs a form-to-request conversion that throws on bad input; returns value or message. */
export function checked<T>(build: () => T): Checked<T> {
  try {
    return { ok: true, value: build() };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
