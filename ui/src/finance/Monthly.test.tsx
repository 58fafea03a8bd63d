import { screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { api } from "../api";
import { monthFigures } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { FinancePage, initialFinance, type FinanceState } from "./FinancePage";

function Harness() {
  const [state, setState] = useState<FinanceState>({ ...initialFinance(), tab: "monthly" });
  return <FinancePage state={state} onChange={setState} />;
}

describe("finance: monthly figures", () => {
  it("tabulates every figure of every month and charts them", async () => {
    const monthly = vi.spyOn(api, "financeMonthly").mockResolvedValue([
      monthFigures("2026-01-01"),
      monthFigures("2026-02-01", {
        stock_value: "1234567.005",
        cogs: "5100.5",
        returns: "0.00",
        write_offs: "99.99",
        liquidation: "0",
        price_variance: "2.675",
        received: "7000",
      }),
    ]);
    renderWithClient(<Harness />);

    const table = await screen.findByTestId("monthly-table");
    expect(monthly).toHaveBeenCalledTimes(1);
    const headers = within(table).getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).toEqual([
      "Period",
      "Stock value",
      "Received",
      "COGS",
      "Returns",
      "Write-offs",
      "Liquidation",
      "Price variance",
    ]);
    expect(screen.getByTestId("monthly-row-2026-01")).toHaveTextContent(
      "2026-01£15,250.40£6,000.00£4,200.00£310.25£45.10£12.00-£3.46",
    );
    expect(screen.getByTestId("monthly-row-2026-02")).toHaveTextContent(
      "2026-02£1,234,567.01£7,000.00£5,100.50£0.00£99.99£0.00£2.68",
    );

    const chart = screen.getByTestId("monthly-chart");
    // Three series of bars (the zero returns of February draw nothing) and the stock line.
    await waitFor(() => expect(chart.querySelectorAll(".recharts-bar-rectangle")).toHaveLength(5));
    expect(chart.querySelectorAll(".recharts-line-curve")).toHaveLength(1);
    expect(chart).toHaveTextContent("2026-01");
    expect(chart).toHaveTextContent("Stock value");
    expect(chart).toHaveTextContent("Write-offs");
  });
});
