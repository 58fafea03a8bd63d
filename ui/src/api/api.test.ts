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

  it("sends planning decisions and receipts under the command's argument names", async () => {
    const summary = { decided: [1], failed: [], purchase_orders: [7], transfers: [] };
    invokeMock.mockResolvedValueOnce(summary);
    await expect(api.approveProposals([{ id: 1, quantity: null }])).resolves.toEqual(summary);
    expect(invokeMock).toHaveBeenCalledWith("approve_proposals", {
      approvals: [{ id: 1, quantity: null }],
      note: null,
    });

    const outcome = { repeated: false, accepted: 5, rejected: 0, still_open: 0 };
    invokeMock.mockResolvedValueOnce(outcome);
    await api.receivePurchaseOrder(7, "GRN-1", [{ line_no: 1, accepted: 5, rejected: 0 }]);
    expect(invokeMock).toHaveBeenLastCalledWith("receive_purchase_order", {
      purchaseOrderId: 7,
      reference: "GRN-1",
      lines: [{ line_no: 1, accepted: 5, rejected: 0 }],
    });
  });

  it("asks the finance commands under their argument names", async () => {
    invokeMock.mockResolvedValueOnce([]);
    await api.reconciliationDrill("2026-01-31", "1300", "DC-SOUTH", null);
    expect(invokeMock).toHaveBeenLastCalledWith("reconciliation_drill", {
      asOf: "2026-01-31",
      account: "1300",
      location: "DC-SOUTH",
      sku: null,
    });

    const filter = { movement_id: 501, kind: "correction" };
    invokeMock.mockResolvedValueOnce([]);
    await api.journalLines(filter, 200, 400);
    expect(invokeMock).toHaveBeenLastCalledWith("journal_lines", {
      filter,
      limit: 200,
      offset: 400,
    });

    invokeMock.mockResolvedValueOnce({ month: "2026-01-01", status: "closed" });
    await api.closePeriod("2026-01-01");
    expect(invokeMock).toHaveBeenLastCalledWith("close_period", { month: "2026-01-01" });
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
