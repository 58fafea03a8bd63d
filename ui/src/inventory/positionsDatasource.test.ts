import type { IGetRowsParams } from "ag-grid-community";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api";
import { position } from "../test/fixtures";
import { positionsDatasource } from "./positionsDatasource";

type Spy = ReturnType<typeof vi.fn>;
type Mocked = { successCallback: Spy; failCallback: Spy };
const params = (startRow: number, endRow: number) =>
  ({ startRow, endRow, successCallback: vi.fn(), failCallback: vi.fn() }) as unknown as
    IGetRowsParams & Mocked;

describe("positions datasource", () => {
  it("maps a block to offset/limit and the total to lastRow", async () => {
    const rows = [position()];
    const fetchPage = vi.fn().mockResolvedValue({ rows, total: 41234 });
    const onTotal = vi.fn();
    const source = positionsDatasource(
      fetchPage,
      { search: "  heart ", location: "", kind: "store" },
      vi.fn(),
      onTotal,
    );
    const p = params(400, 600);
    source.getRows(p);
    await vi.waitFor(() => expect(p.successCallback).toHaveBeenCalled());

    expect(fetchPage).toHaveBeenCalledWith({
      search: "heart",
      location: null,
      location_kind: "store",
      offset: 400,
      limit: 200,
    });
    expect(p.successCallback).toHaveBeenCalledWith(rows, 41234);
    expect(onTotal).toHaveBeenCalledWith(41234);
  });

  it("fails the block and reports the error", async () => {
    const error = new ApiError("storage", "Disk full");
    const onError = vi.fn();
    const source = positionsDatasource(
      vi.fn().mockRejectedValue(error),
      { search: "", location: "DC-SOUTH", kind: "" },
      onError,
    );
    const p = params(0, 200);
    source.getRows(p);
    await vi.waitFor(() => expect(p.failCallback).toHaveBeenCalled());
    expect(onError).toHaveBeenCalledWith(error);
    expect(p.successCallback).not.toHaveBeenCalled();
  });
});
