import { invoke } from "@tauri-apps/api/core";
import { describe, expect, it, vi } from "vitest";
import { api } from "./client";
import { ApiError, toApiError } from "./errors";

const invokeMock = vi.mocked(invoke);

describe("api layer over the bindings", () => {
  it("returns data and passes camelCase arguments to the snake_case command", async () => {
    const page = { position: null, movements: [], next_before_id: null };
    invokeMock.mockResolvedValueOnce(page);
    await expect(api.positionMovements("85123A", "DC-SOUTH", 900, 50)).resolves.toEqual(page);
    expect(invokeMock).toHaveBeenCalledWith("position_movements", {
      sku: "85123A",
      location: "DC-SOUTH",
      beforeId: 900,
      limit: 50,
    });
  });

  it("turns an engine UiError into a thrown ApiError with code and message", async () => {
    invokeMock.mockRejectedValueOnce({ code: "not_found", message: "No product 99999." });
    const error = await api.skuPositions("99999").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "not_found", message: "No product 99999." });
  });

  it("wraps plain strings and runtime errors as internal", () => {
    expect(toApiError("boom")).toMatchObject({ code: "internal", message: "boom" });
    const outside = toApiError(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    expect(outside.code).toBe("internal");
    expect(outside.message).toMatch(/not reachable/);
  });
});
