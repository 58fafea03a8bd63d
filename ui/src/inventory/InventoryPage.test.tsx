import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { api, ApiError } from "../api";
import { skuView } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { useState } from "react";
import { InventoryPage, initialInventory, type InventoryState } from "./InventoryPage";

function Harness({ onOpenLedger }: { onOpenLedger: (sku: string, loc: string) => void }) {
  const [state, setState] = useState<InventoryState>(initialInventory);
  return <InventoryPage state={state} onChange={setState} onOpenLedger={onOpenLedger} />;
}

describe("inventory explorer", () => {
  it("searches, selects a SKU and shows formatted position cells", async () => {
    const search = vi.spyOn(api, "searchProducts").mockResolvedValue([
      { sku: "85123A", description: "WHITE HANGING HEART", on_hand: 12503, available: 12336 },
    ]);
    const load = vi.spyOn(api, "skuPositions").mockResolvedValue(skuView);
    const openLedger = vi.fn();
    renderWithClient(<Harness onOpenLedger={openLedger} />);

    fireEvent.change(screen.getByTestId("sku-search"), { target: { value: "heart" } });
    const hit = await screen.findByTestId("search-result-85123A");
    expect(search).toHaveBeenCalledWith("heart", 50);
    expect(hit).toHaveTextContent("12,503 on hand");

    fireEvent.click(hit);
    const cell = await screen.findByTestId("cell-DC-SOUTH-available");
    expect(load).toHaveBeenCalledWith("85123A");
    expect(cell).toHaveTextContent("12,340");
    expect(screen.getByTestId("cell-DC-SOUTH-on_hand")).toHaveTextContent("12,500");
    expect(screen.getByTestId("cell-DC-SOUTH-inbound")).toHaveTextContent("2,000");

    const negative = screen.getByTestId("cell-ST-LEEDS-available");
    expect(negative).toHaveTextContent("-4");
    expect(negative).toHaveClass("neg");
    expect(cell).not.toHaveClass("neg");
    expect(screen.getByTestId("sku-totals-on_hand")).toHaveTextContent("12,503");

    const table = screen.getByTestId("positions-table");
    fireEvent.click(within(table).getByTestId("position-row-ST-LEEDS"));
    expect(openLedger).toHaveBeenCalledWith("85123A", "ST-LEEDS");
  });

  it("shows the engine's plain message and code when a command fails", async () => {
    vi.spyOn(api, "searchProducts").mockResolvedValue([
      { sku: "GONE1", description: "RETIRED LINE", on_hand: 0, available: 0 },
    ]);
    vi.spyOn(api, "skuPositions").mockRejectedValue(
      new ApiError("database_unavailable", "The local database is not running."),
    );
    renderWithClient(<Harness onOpenLedger={() => {}} />);

    fireEvent.change(screen.getByTestId("sku-search"), { target: { value: "gone" } });
    fireEvent.click(await screen.findByTestId("search-result-GONE1"));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The local database is not running.");
    expect(alert).toHaveTextContent("code: database_unavailable");
    expect(screen.queryByTestId("positions-table")).not.toBeInTheDocument();
  });

  it("says so when nothing matches", async () => {
    vi.spyOn(api, "searchProducts").mockResolvedValue([]);
    renderWithClient(<Harness onOpenLedger={() => {}} />);
    fireEvent.change(screen.getByTestId("sku-search"), { target: { value: "zzz" } });
    expect(await screen.findByText("No products match")).toBeInTheDocument();
  });
});
