import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { api, ApiError } from "../api";
import {
  decisionOutcome,
  decisionRow,
  returnDetail,
  returnLine,
  returnSummary,
} from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { ReturnsPage, initialReturns, type ReturnsState } from "./ReturnsPage";

function Harness() {
  const [state, setState] = useState<ReturnsState>(initialReturns);
  return <ReturnsPage state={state} onChange={setState} />;
}

/** Opens return `id` from the queue and waits until its first line is in hand. */
async function openFromQueue(user: ReturnType<typeof userEvent.setup>, id: number) {
  await user.click(await screen.findByTestId(`returns-queue-row-${id}`));
  const form = await screen.findByTestId("inspection");
  await waitFor(() => expect(form).toHaveFocus());
  return form;
}

describe("returns workstation: queue and scanning", () => {
  it("lists the queue oldest first and flags an unlinked return", async () => {
    const queue = vi
      .spyOn(api, "returnsQueue")
      .mockResolvedValue([
        returnSummary(7),
        returnSummary(8, { order_external_id: null, unlinked_lines: 2, age_hours: 5.5 }),
      ]);
    const detail = vi.spyOn(api, "returnDetail").mockResolvedValue(
      returnDetail(8, {
        summary: returnSummary(8, { order_external_id: null, unlinked_lines: 2 }),
        lines: [returnLine(1, { order_line_no: null }), returnLine(2, { order_line_no: null })],
      }),
    );
    const user = userEvent.setup();
    renderWithClient(<Harness />);

    expect(screen.getByTestId("returns-scan")).toHaveFocus();
    const linked = await screen.findByTestId("returns-queue-row-7");
    const unlinked = screen.getByTestId("returns-queue-row-8");
    expect(queue).toHaveBeenCalledWith(null, false);
    expect(linked).toHaveTextContent("2 d");
    expect(linked).toHaveTextContent("RMA-7");
    expect(linked).toHaveTextContent("W-7");
    expect(linked).toHaveTextContent("ST-LEEDS");
    expect(within(linked).queryByText("Unlinked")).not.toBeInTheDocument();
    expect(linked).not.toHaveClass("flagged");
    expect(unlinked).toHaveTextContent("5 h");
    expect(within(unlinked).getByTestId("unlinked-8")).toHaveTextContent("Unlinked");
    expect(within(unlinked).getByTestId("unlinked-8")).toHaveAttribute(
      "title",
      "2 lines not linked to an order line",
    );
    expect(unlinked).toHaveClass("flagged");
    expect(screen.getByTestId("returns-queue-count")).toHaveTextContent(
      "2 waiting, oldest first; 1 unlinked",
    );

    await user.click(unlinked);
    const header = await screen.findByTestId("return-header");
    expect(detail).toHaveBeenCalledWith(8);
    expect(header).toHaveTextContent("OrderUnlinked");
    expect(unlinked).toHaveAttribute("aria-selected", "true");

    await user.click(screen.getByTestId("returns-announced"));
    await waitFor(() => expect(queue).toHaveBeenLastCalledWith(null, true));
  });

  it("opens a single match at once and offers a pick list when several match", async () => {
    vi.spyOn(api, "returnsQueue").mockResolvedValue([]);
    const find = vi
      .spyOn(api, "findReturns")
      .mockResolvedValueOnce([returnSummary(7)])
      .mockResolvedValueOnce([returnSummary(9), returnSummary(10)])
      .mockResolvedValueOnce([]);
    const detail = vi
      .spyOn(api, "returnDetail")
      .mockImplementation(async (id) => returnDetail(id, { summary: returnSummary(id) }));
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    expect(await screen.findByText("Nothing waits for inspection")).toBeInTheDocument();

    const scan = screen.getByTestId("returns-scan");
    await user.type(scan, " RMA-7 {Enter}");
    expect(await screen.findByTestId("return-detail")).toHaveTextContent("Return 7 RMA-7");
    expect(find).toHaveBeenCalledWith("RMA-7");
    expect(scan).toHaveValue("");

    await user.click(scan);
    await user.type(scan, "C-100{Enter}");
    const matches = await screen.findByTestId("returns-matches");
    expect(matches).toHaveTextContent("2 returns match “C-100”: pick one.");
    expect(detail).toHaveBeenCalledTimes(1);
    await user.click(within(matches).getByTestId("returns-match-row-10"));
    expect(await screen.findByText("Return 10")).toBeInTheDocument();
    expect(detail).toHaveBeenLastCalledWith(10);
    expect(screen.queryByTestId("returns-matches")).not.toBeInTheDocument();

    await user.click(scan);
    await user.type(scan, "nothing{Enter}");
    expect(await screen.findByTestId("returns-no-match")).toHaveTextContent(
      "No return matches “nothing”.",
    );
  });
});

describe("returns workstation: inspection", () => {
  const accepts =
    "grades with 2, shows the open box options with the suggestion, and Enter accepts it";
  it(accepts, async () => {
    vi.spyOn(api, "returnsQueue").mockResolvedValue([returnSummary(7)]);
    const detail = vi
      .spyOn(api, "returnDetail")
      .mockResolvedValueOnce(returnDetail(7))
      .mockResolvedValue(
        returnDetail(7, {
          lines: [returnLine(1, { disposed: 3 }), returnLine(2)],
          decisions: [decisionRow(31)],
        }),
      );
    const decide = vi.spyOn(api, "decideReturns").mockResolvedValue([decisionOutcome()]);
    const user = userEvent.setup();
    renderWithClient(<Harness />);

    const form = await openFromQueue(user, 7);
    expect(form).toHaveAccessibleName("Inspect line 1");
    expect(within(form).getByRole("button", { name: "Accept suggestion" })).toBeDisabled();
    expect(screen.queryByTestId("recovery-options")).not.toBeInTheDocument();

    await user.keyboard("2");
    expect(screen.getByTestId("grade-open_box")).toHaveAttribute("aria-pressed", "true");
    const restock = screen.getByTestId("option-restock");
    expect(restock).toHaveTextContent("Suggested");
    expect(restock).toHaveAttribute("aria-selected", "true");
    // 3 units at £1.2850 each: £3.855, rounded to pence half to even.
    expect(screen.getByTestId("option-restock-expected")).toHaveTextContent("£3.86");
    expect(screen.getByTestId("option-refurbish-expected")).toHaveTextContent("£1.94");
    expect(screen.getByTestId("option-liquidate")).not.toHaveTextContent("Suggested");
    expect(screen.getByTestId("option-return_to_vendor")).toHaveTextContent("Not allowed");
    expect(screen.getByTestId("option-return_to_vendor-expected")).toHaveTextContent("—");

    await user.keyboard("{Enter}");
    const done = await screen.findByTestId("decision-done");
    expect(decide).toHaveBeenCalledTimes(1);
    const [[request]] = decide.mock.calls[0];
    expect(request).toEqual({
      return_id: 7,
      line_no: 1,
      quantity: 3,
      grade: "open_box",
      disposition: null,
      override_reason: null,
      destination: null,
      at: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(request.at))).toBe(false);
    expect(done).toHaveTextContent(
      "RMA-7 line 1: 3 units Open box → Restock (suggested) at ST-LEEDS; " +
        "expected recovery £3.86.",
    );

    // The return is read again and inspection moves on to the next line with units.
    await waitFor(() =>
      expect(screen.getByTestId("inspection")).toHaveAccessibleName("Inspect line 2"),
    );
    expect(detail).toHaveBeenCalledTimes(2);
    expect(await screen.findByTestId("decision-row-31")).toHaveTextContent("Open box");
    expect(screen.getByTestId("return-line-1")).toHaveTextContent("0");
  });

  it("requires a reason before an override is sent, and sends it", async () => {
    vi.spyOn(api, "returnsQueue").mockResolvedValue([returnSummary(7)]);
    vi.spyOn(api, "returnDetail")
      .mockResolvedValueOnce(returnDetail(7))
      .mockResolvedValue(
        returnDetail(7, { lines: [returnLine(1, { disposed: 2 }), returnLine(2)] }),
      );
    const decide = vi.spyOn(api, "decideReturns").mockResolvedValue([
      decisionOutcome({
        disposition: "refurbish",
        suggested: "restock",
        recovery: "1.30",
        destination: "DC-SOUTH",
        transfer_id: 44,
      }),
    ]);
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    await openFromQueue(user, 7);

    await user.keyboard("2");
    await user.keyboard("f");
    expect(screen.getByTestId("option-refurbish")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("option-restock")).toHaveAttribute("aria-selected", "false");
    const send = screen.getByRole("button", { name: "Record override" });
    expect(send).toBeDisabled();
    expect(screen.getByTestId("inspection-blocker")).toHaveTextContent(
      "Restock was suggested: give a reason to refurbish instead.",
    );
    const reason = screen.getByLabelText("Override reason");
    expect(reason).toHaveFocus();
    await user.keyboard("{Enter}");
    await user.type(reason, "   {Enter}");
    expect(decide).not.toHaveBeenCalled();

    await user.type(reason, "scuffed casing");
    expect(send).toBeEnabled();
    expect(screen.queryByTestId("inspection-blocker")).not.toBeInTheDocument();
    await user.type(screen.getByLabelText("Destination"), "DC-SOUTH");
    const quantity = screen.getByLabelText("Quantity");
    await user.clear(quantity);
    await user.type(quantity, "2");
    expect(screen.getByTestId("option-refurbish-expected")).toHaveTextContent("£1.30");
    await user.keyboard("{Enter}");

    expect(await screen.findByTestId("decision-done")).toHaveTextContent(
      "RMA-7 line 1: 2 units Open box → Refurbish (override of Restock) at DC-SOUTH " +
        "on transfer 44; expected recovery £1.30.",
    );
    expect(decide).toHaveBeenCalledWith([
      {
        return_id: 7,
        line_no: 1,
        quantity: 2,
        grade: "open_box",
        disposition: "refurbish",
        override_reason: "scuffed casing",
        destination: "DC-SOUTH",
        at: expect.any(String),
      },
    ]);
    // One unit of the line is left: it stays in hand, graded afresh.
    await waitFor(() => expect(screen.getByLabelText("Quantity")).toHaveValue("1"));
    expect(screen.getByTestId("inspection")).toHaveAccessibleName("Inspect line 1");
    expect(screen.getByTestId("grade-open_box")).toHaveAttribute("aria-pressed", "false");
  });

  it("shows the engine's refusal in the form and keeps what was entered", async () => {
    const queue = vi.spyOn(api, "returnsQueue").mockResolvedValue([returnSummary(7)]);
    const detail = vi.spyOn(api, "returnDetail").mockResolvedValue(returnDetail(7));
    const decide = vi
      .spyOn(api, "decideReturns")
      .mockRejectedValue(
        new ApiError(
          "invalid_input",
          "decision 1 (return 7 line 1): field destination: ST-NOWHERE may not hold " +
            "restocked units (see the return location rules)",
        ),
      );
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    await openFromQueue(user, 7);

    await user.keyboard("2");
    await user.type(screen.getByLabelText("Destination"), "ST-NOWHERE");
    const quantity = screen.getByLabelText("Quantity");
    await user.clear(quantity);
    await user.type(quantity, "2{Enter}");

    const form = screen.getByTestId("inspection");
    const alert = await within(form).findByRole("alert");
    expect(alert).toHaveTextContent("field destination: ST-NOWHERE may not hold restocked units");
    expect(alert).toHaveTextContent("code: invalid_input");
    expect(decide).toHaveBeenCalledWith([
      expect.objectContaining({ quantity: 2, grade: "open_box", destination: "ST-NOWHERE" }),
    ]);
    expect(screen.getByLabelText("Quantity")).toHaveValue("2");
    expect(screen.getByLabelText("Destination")).toHaveValue("ST-NOWHERE");
    expect(screen.getByTestId("grade-open_box")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("option-restock")).toHaveAttribute("aria-selected", "true");
    expect(screen.queryByTestId("decision-done")).not.toBeInTheDocument();
    expect(detail).toHaveBeenCalledTimes(1);
    expect(queue).toHaveBeenCalledTimes(1);
  });

  it("opens the next return in the queue once the return is closed", async () => {
    vi.spyOn(api, "returnsQueue").mockResolvedValue([
      returnSummary(7),
      returnSummary(8, { external_id: "RMA-8" }),
    ]);
    const detail = vi
      .spyOn(api, "returnDetail")
      .mockImplementation(async (id) =>
        returnDetail(id, { summary: returnSummary(id), lines: [returnLine(1)] }),
      );
    const decide = vi
      .spyOn(api, "decideReturns")
      .mockResolvedValue([decisionOutcome({ return_closed: true })]);
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    await openFromQueue(user, 7);

    await user.keyboard("1{Enter}");
    await waitFor(() => expect(detail).toHaveBeenLastCalledWith(8));
    expect(decide).toHaveBeenCalledWith([expect.objectContaining({ grade: "as_new" })]);
    expect(await screen.findByTestId("return-detail")).toHaveTextContent("Return 8 RMA-8");
    expect(screen.getByTestId("decision-done")).toHaveTextContent(
      "Return closed. Next: RMA-8.",
    );
    expect(screen.getByTestId("returns-queue-row-8")).toHaveAttribute("aria-selected", "true");
    await waitFor(() => expect(screen.getByTestId("inspection")).toHaveFocus());
  });
});

describe("returns workstation: refurbishment and announced returns", () => {
  it("marks refurbished units ready, once per refurbish decision", async () => {
    vi.spyOn(api, "returnsQueue").mockResolvedValue([returnSummary(7)]);
    vi.spyOn(api, "returnDetail").mockResolvedValue(
      returnDetail(7, {
        decisions: [
          decisionRow(31, { disposition: "refurbish", destination: "DC-SOUTH" }),
          decisionRow(32, { disposition: "refurbish", refurbished_at: "2011-07-03T10:00:00Z" }),
          decisionRow(33),
        ],
      }),
    );
    const complete = vi.spyOn(api, "completeRefurbishment").mockResolvedValue(40);
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    await openFromQueue(user, 7);

    expect(screen.getByTestId("decision-row-31")).toHaveTextContent("Refurbish");
    expect(screen.getByTestId("decision-row-31")).toHaveTextContent("Restock");
    expect(screen.queryByTestId("mark-refurbished-32")).not.toBeInTheDocument();
    expect(screen.queryByTestId("mark-refurbished-33")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("mark-refurbished-31"));
    expect(await screen.findByTestId("refurbished-result")).toHaveTextContent(
      "Decision 31: refurbished units travel on transfer 40 to DC-SOUTH.",
    );
    expect(complete).toHaveBeenCalledWith(31);
  });

  it("receives an announced return now and offers no inspection before", async () => {
    const announced = returnSummary(9, { status: "announced", received_at: null });
    const queue = vi.spyOn(api, "returnsQueue").mockResolvedValue([announced]);
    const detail = vi
      .spyOn(api, "returnDetail")
      .mockResolvedValueOnce(
        returnDetail(9, {
          summary: announced,
          lines: [returnLine(1, { received: 0 }), returnLine(2, { received: 0 })],
        }),
      )
      .mockResolvedValue(returnDetail(9));
    const receive = vi.spyOn(api, "receiveReturn").mockResolvedValue(true);
    const user = userEvent.setup();
    renderWithClient(<Harness />);

    await user.click(screen.getByTestId("returns-announced"));
    await user.click(await screen.findByTestId("returns-queue-row-9"));
    const header = await screen.findByTestId("return-header");
    expect(queue).toHaveBeenCalledWith(null, true);
    expect(header).toHaveTextContent("Not yet (announced)");
    expect(screen.queryByTestId("inspection")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("receive-return"));
    expect(receive).toHaveBeenCalledWith(9);
    // Read again as received, the return can be inspected.
    expect(await screen.findByTestId("inspection")).toHaveAccessibleName("Inspect line 1");
    expect(detail).toHaveBeenCalledTimes(2);
  });
});
