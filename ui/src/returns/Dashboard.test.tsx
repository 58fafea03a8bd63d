import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { api, ApiError } from "../api";
import { kpiRow } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { ReturnsPage, initialReturns, type ReturnsState } from "./ReturnsPage";

function Harness() {
  const [state, setState] = useState<ReturnsState>({ ...initialReturns, tab: "dashboard" });
  return <ReturnsPage state={state} onChange={setState} />;
}

const byReason = [
  kpiRow("changed_mind"),
  kpiRow("defective", {
    decisions: 8,
    units: 15,
    median_cycle_hours: 50,
    resold_units: 0,
    mean_resale_hours: null,
    original_value: "150",
    recovery: "0",
    recovery_rate: null,
  }),
  kpiRow("all", {
    decisions: 20,
    units: 45,
    median_cycle_hours: 30,
    mean_cycle_hours: 36.04,
    resold_units: 18,
    mean_resale_hours: 40,
    original_value: "400.00",
    recovery: "150.50",
    recovery_rate: 0.37625,
  }),
];

const bars = (chart: string) =>
  screen.getByTestId(`kpi-chart-${chart}`).querySelectorAll(".recharts-bar-rectangle").length;

describe("returns dashboard", () => {
  it("tabulates the KPIs by reason with the engine's last row as the totals", async () => {
    const kpis = vi.spyOn(api, "returnsKpis").mockResolvedValue(byReason);
    renderWithClient(<Harness />);

    const table = await screen.findByTestId("kpi-table");
    expect(kpis).toHaveBeenCalledWith("reason", null, null);
    const body = table.querySelector("tbody") as HTMLElement;
    const foot = table.querySelector("tfoot") as HTMLElement;
    expect(within(body).getAllByRole("row")).toHaveLength(2);
    expect(within(body).getByTestId("kpi-row-changed_mind")).toHaveTextContent(
      "Changed mind123026.531.31840.0£250.00£150.5060.2%",
    );
    expect(within(body).getByTestId("kpi-row-defective")).toHaveTextContent(
      "Defective81550.031.30—£150.00£0.00—",
    );
    expect(within(body).queryByTestId("kpi-row-all")).not.toBeInTheDocument();
    expect(within(foot).getByTestId("kpi-row-all")).toHaveTextContent(
      "All204530.036.01840.0£400.00£150.5037.6%",
    );
    expect(screen.getByTestId("kpi-totals")).toHaveTextContent("Recovery rate37.6%of £400.00");

    // One bar per reason, none for the totals; a rate the engine could not measure is left out.
    await waitFor(() => expect(bars("medianCycle")).toBe(2));
    expect(bars("rate")).toBe(1);
    expect(bars("meanResale")).toBe(1);
    expect(screen.getByTestId("kpi-chart-rate")).toHaveTextContent("Changed mind");
    expect(screen.getByTestId("kpi-chart-rate")).not.toHaveTextContent("All");
  });

  it("breaks the KPIs down another way and over London days of receipt", async () => {
    const kpis = vi
      .spyOn(api, "returnsKpis")
      .mockResolvedValueOnce(byReason)
      .mockResolvedValue([kpiRow("open_box"), kpiRow("all")]);
    renderWithClient(<Harness />);
    await screen.findByTestId("kpi-table");

    fireEvent.change(screen.getByTestId("kpi-dimension"), { target: { value: "grade" } });
    expect(await screen.findByTestId("kpi-row-open_box")).toHaveTextContent("Open box");
    expect(kpis).toHaveBeenLastCalledWith("grade", null, null);
    const table = screen.getByTestId("kpi-table");
    expect(within(table).getByRole("columnheader", { name: "Grade" })).toBeInTheDocument();

    fireEvent.change(screen.getByTestId("kpi-from"), { target: { value: "2011-07-01" } });
    fireEvent.change(screen.getByTestId("kpi-to"), { target: { value: "2011-12-31" } });
    await waitFor(() =>
      expect(kpis).toHaveBeenLastCalledWith(
        "grade",
        "2011-06-30T23:00:00.000Z",
        "2012-01-01T00:00:00.000Z",
      ),
    );
  });

  it("says when nothing was decided and shows the engine's refusal", async () => {
    vi.spyOn(api, "returnsKpis")
      .mockResolvedValueOnce([kpiRow("all", { decisions: 0, units: 0 })])
      .mockRejectedValue(new ApiError("invalid_input", "from must be before to"));
    renderWithClient(<Harness />);

    expect(
      await screen.findByText("No decision on returns received in this period"),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByTestId("kpi-dimension"), { target: { value: "month" } });
    expect(await screen.findByRole("alert")).toHaveTextContent("from must be before to");
  });
});
