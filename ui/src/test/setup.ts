import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// No Tauri runtime under jsdom: any command a test forgot to stub fails loudly.
vi.mock("@tauri-apps/api/core", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@tauri-apps/api/core")>()),
  invoke: vi.fn(async (cmd: string) => {
    throw new Error(`command ${cmd} was not stubbed in this test`);
  }),
  Channel: class {
    onmessage: (message: unknown) => void = () => {};
  },
}));

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});
