import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api, ApiError } from "../api";
import { demandSeries, location, planSummary, proposal } from "../test/fixtures";
import { cell, editCell, rowOrder, rowText, tick } from "../test/grid";
import { renderWithClient } from "../test/render";
import { PlanningPage, initialPlanning, type PlanningState } from "./PlanningPage";
import { PROPOSAL_LIMIT } from "./proposalFilters";

function Harness() {
  const [state, setState] = useState<PlanningState>(initialPlanning);
  return <PlanningPage state={state} onChange={setState} />;
}

const critical = proposal(1, {
  kind: "purchase",
  urgency: "critical",
  location: "DC-SOUTH",
  source_location: null,
  supplier: "SUP-HOME",
  quantity: 480,
  daily_demand: 31.5,
  explanation: "DC-SOUTH runs out in 3 days; SUP-HOME needs 14. Order 480 (20 cases).",
});
const due = proposal(2);

const openFilter = {
  status: null,
  kind: null,
  urgency: null,
  location: null,
  supplier: null,
  sku: null,
  limit: PROPOSAL_LIMIT,
};

beforeEach(() => {
  vi.spyOn(api, "listLocations").mockResolvedValue([location("DC-SOUTH"), location("ST-LEEDS")]);
  vi.spyOn(api, "demandSeries").mockResolvedValue(demandSeries());
});

describe("planner workbench: proposals", () => {
  it("lists proposals most urgent first with their explanation", async () => {
    const list = vi.spyOn(api, "listProposals").mockResolvedValue([critical, due]);
    renderWithClient(<Harness />);

    await waitFor(() => expect(rowOrder()).toEqual([1, 2]));
    expect(list).toHaveBeenCalledWith(openFilter);
    expect(rowText(1)).toContain("Critical");
    expect(rowText(1)).toContain("Purchase");
    expect(rowText(1)).toContain("SUP-HOME");
    expect(rowText(1)).toContain("31.5");
    expect(rowText(1)).toContain("DC-SOUTH runs out in 3 days");
    expect(rowText(2)).toContain("Due");
    expect(rowText(2)).toContain("DC-NORTH");
    expect(cell(2, "explanation")).toHaveTextContent("ST-LEEDS holds 9 against a reorder point");
    expect(screen.getByTestId("proposals-count")).toHaveTextContent(
      "2 open proposals, most urgent first",
    );

    fireEvent.change(screen.getByTestId("proposals-location"), { target: { value: "ST-LEEDS" } });
    fireEvent.change(screen.getByTestId("proposals-supplier"), { target: { value: " SUP-HOME " } });
    fireEvent.change(screen.getByTestId("proposals-urgency"), { target: { value: "critical" } });
    fireEvent.change(screen.getByTestId("proposals-kind"), { target: { value: "rebalance" } });
    fireEvent.change(screen.getByTestId("proposals-sku"), { target: { value: "851" } });
    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith({
        ...openFilter,
        location: "ST-LEEDS",
        supplier: "SUP-HOME",
        urgency: "critical",
        kind: "rebalance",
        sku: "851",
      }),
    );
  });

  const approves =
    "approves the selected proposals with an edited quantity and shows what was created " +
    "and what failed";
  it(approves, async () => {
    const list = vi
      .spyOn(api, "listProposals")
      .mockResolvedValueOnce([critical, due])
      .mockResolvedValue([due]);
    const approve = vi.spyOn(api, "approveProposals").mockResolvedValue({
      decided: [1],
      failed: [{ id: 2, reason: "DC-NORTH has 10 available; 30 requested" }],
      purchase_orders: [7],
      transfers: [],
    });
    renderWithClient(<Harness />);
    await waitFor(() => expect(rowOrder()).toEqual([1, 2]));
    expect(screen.getByTestId("approve-selected")).toBeDisabled();

    await editCell(2, "quantity", "30");
    expect(cell(2, "quantity")).toHaveTextContent("30");
    expect(cell(2, "quantity")).toHaveClass("edited");
    await tick(1);
    await tick(2);
    const button = screen.getByTestId("approve-selected");
    expect(button).toHaveTextContent("Approve selected (2)");

    fireEvent.click(button);
    const prompt = screen.getByTestId("prompt-approve");
    fireEvent.click(within(prompt).getByRole("button", { name: "Approve" }));

    const result = await screen.findByTestId("decision-result");
    expect(approve).toHaveBeenCalledWith(
      [
        { id: 1, quantity: null },
        { id: 2, quantity: 30 },
      ],
      null,
    );
    expect(result).toHaveTextContent("1 proposal approved. 1 purchase order raised: 7.");
    expect(screen.getByTestId("decision-failure-2")).toHaveTextContent(
      "Proposal 2 (85123A → ST-LEEDS): DC-NORTH has 10 available; 30 requested",
    );
    expect(screen.getByTestId("decision-failures")).toHaveTextContent("1 proposal not approved");
    // The list is read again: the approved proposal leaves it, the refused one stays ticked
    // with its edited quantity.
    await waitFor(() => expect(rowOrder()).toEqual([2]));
    expect(list).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId("approve-selected")).toHaveTextContent("Approve selected (1)");
    expect(cell(2, "quantity")).toHaveTextContent("30");
  });

  it("refuses to reject without a reason", async () => {
    vi.spyOn(api, "listProposals").mockResolvedValue([critical, due]);
    const reject = vi.spyOn(api, "rejectProposals").mockResolvedValue({
      decided: [2],
      failed: [],
      purchase_orders: [],
      transfers: [],
    });
    renderWithClient(<Harness />);
    await waitFor(() => expect(rowOrder()).toEqual([1, 2]));
    await tick(2);

    fireEvent.click(screen.getByTestId("reject-selected"));
    const prompt = screen.getByTestId("prompt-reject");
    const confirm = within(prompt).getByRole("button", { name: "Reject" });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(prompt).getByLabelText(/Reason/), { target: { value: "   " } });
    fireEvent.submit(prompt);
    expect(reject).not.toHaveBeenCalled();

    fireEvent.change(within(prompt).getByLabelText(/Reason/), {
      target: { value: " range delisted " },
    });
    fireEvent.click(confirm);
    expect(await screen.findByTestId("decision-result")).toHaveTextContent(
      "1 proposal rejected.",
    );
    expect(reject).toHaveBeenCalledWith([2], "range delisted");
  });

  it("shows the forecast with its band for the selected proposal", async () => {
    vi.spyOn(api, "listProposals").mockResolvedValue([critical, due]);
    const series = vi.mocked(api.demandSeries);
    renderWithClient(<Harness />);
    await waitFor(() => expect(rowOrder()).toEqual([1, 2]));

    // The first (most urgent) proposal is in focus until another is chosen.
    await waitFor(() => expect(series).toHaveBeenCalledWith("85123A", "DC-SOUTH"));
    fireEvent.click(cell(2, "sku"));
    await waitFor(() => expect(series).toHaveBeenLastCalledWith("85123A", "ST-LEEDS"));

    const panel = await screen.findByTestId("demand-panel");
    await within(panel).findByText(/TSB/);
    expect(panel).toHaveTextContent("Demand for 85123A at ST-LEEDS");
    expect(screen.getByTestId("forecast-facts")).toHaveTextContent("Daily SD1.13 units");
    expect(screen.getByTestId("forecast-facts")).toHaveTextContent("28 days from Wed, 23/02/2011");
    const chart = screen.getByTestId("forecast-chart");
    expect(chart.querySelector(".recharts-area-area")).not.toBeNull();
    expect(chart.querySelector(".recharts-line-curve")).not.toBeNull();
    expect(chart.querySelectorAll(".recharts-bar-rectangle").length).toBeGreaterThan(0);
    expect(chart).toHaveTextContent("80% band");
  });

  it("shows the engine's message when demand cannot be read", async () => {
    vi.spyOn(api, "listProposals").mockResolvedValue([due]);
    vi.mocked(api.demandSeries).mockRejectedValue(
      new ApiError("not_found", "No location ST-LEEDS."),
    );
    renderWithClient(<Harness />);
    expect(await screen.findByRole("alert")).toHaveTextContent("No location ST-LEEDS.");
  });

  it("runs a plan and refreshes forecasts, showing what each did", async () => {
    const list = vi.spyOn(api, "listProposals").mockResolvedValue([]);
    const plan = vi.spyOn(api, "runPlan").mockResolvedValue(planSummary());
    vi.spyOn(api, "refreshForecasts").mockResolvedValue({
      series: 9120,
      history_days: 84,
      as_of: "2011-09-30",
      duration_ms: 2300,
    });
    renderWithClient(<Harness />);
    expect(await screen.findByText("No proposal in focus")).toBeInTheDocument();

    fireEvent.click(screen.getByTestId("run-plan"));
    expect(await screen.findByTestId("plan-result")).toHaveTextContent(
      "Plan run 4 (policy v2): 140 purchases, 1,260 transfers, 12 rebalances, 37 critical; " +
        "48,211 units in 1.8 s.",
    );
    expect(plan).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(list).toHaveBeenCalledTimes(2));

    fireEvent.click(screen.getByTestId("refresh-forecasts"));
    expect(await screen.findByTestId("refresh-result")).toHaveTextContent(
      "9,120 forecasts refitted on 84 days up to Fri, 30/09/2011 in 2.3 s.",
    );
  });
});
