import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { movement, position } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { LedgerDrilldown, PAGE_SIZE } from "./LedgerDrilldown";

describe("ledger drill-down", () => {
  it("shows the position and loads older movements with next_before_id", async () => {
    const fetch = vi
      .spyOn(api, "positionMovements")
      .mockResolvedValueOnce({
        position: position(),
        movements: [movement(1003), movement(1002, { kind: "receipt", from_state: null })],
        next_before_id: 1002,
      })
      .mockResolvedValueOnce({
        position: position(),
        movements: [movement(7, { kind: "opening", event_time: "2010-12-01T00:00:00Z" })],
        next_before_id: null,
      });
    renderWithClient(<LedgerDrilldown sku="85123A" location="DC-SOUTH" />);

    const newest = await screen.findByTestId("movement-row-1003");
    expect(fetch).toHaveBeenLastCalledWith("85123A", "DC-SOUTH", null, PAGE_SIZE);
    expect(screen.getByTestId("ledger-position")).toHaveTextContent("Southern DC");
    expect(screen.getByTestId("ledger-totals-available")).toHaveTextContent("12,340");
    // 08:26 UTC on 1 July is 09:26 British Summer Time.
    expect(newest).toHaveTextContent("01/07/2011, 09:26:00 BST");
    expect(newest).toHaveTextContent("Available → —");
    expect(screen.getByTestId("movement-row-1002")).toHaveTextContent("Receipt");
    expect(screen.queryByTestId("movement-row-7")).not.toBeInTheDocument();

    fireEvent.click(screen.getByTestId("load-older"));
    const oldest = await screen.findByTestId("movement-row-7");
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(fetch).toHaveBeenLastCalledWith("85123A", "DC-SOUTH", 1002, PAGE_SIZE);
    expect(oldest).toHaveTextContent("01/12/2010, 00:00:00 GMT");
    expect(screen.getByTestId("movement-row-1003")).toBeInTheDocument();
    expect(screen.queryByTestId("load-older")).not.toBeInTheDocument();
    expect(screen.getByText("Start of the ledger reached.")).toBeInTheDocument();
  });

  it("explains an empty position", async () => {
    vi.spyOn(api, "positionMovements").mockResolvedValue({
      position: null,
      movements: [],
      next_before_id: null,
    });
    renderWithClient(<LedgerDrilldown sku="85123A" location="RH-MIDLANDS" />);
    expect(await screen.findByText("No stock position exists here yet.")).toBeInTheDocument();
    expect(screen.getByText("No movements")).toBeInTheDocument();
  });
});
