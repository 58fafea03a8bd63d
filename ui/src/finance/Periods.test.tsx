import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { api, ApiError } from "../api";
import { closeOutcome, drillRow, period, reconciliation, reconRow } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { FinancePage, initialFinance, type FinanceState } from "./FinancePage";

function Harness() {
  const [state, setState] = useState<FinanceState>({ ...initialFinance(), tab: "periods" });
  return <FinancePage state={state} onChange={setState} />;
}

const variance = (sku: string, difference: string) =>
  reconRow("1300", "DC-SOUTH", { sku, ledger_value: "100.00", gl_value: "0.00", difference });

let periods: MockInstance<typeof api.financePeriods>;

beforeEach(() => {
  periods = vi
    .spyOn(api, "financePeriods")
    .mockResolvedValue([
      period("2026-02-01"),
      period("2026-01-01", { status: "closing", changed_by: "fin-1" }),
      period("2025-12-01", { status: "closed", changed_by: "anna", entries: 98, debits: "0" }),
    ]);
});

/** Asks to close `label` and confirms: the engine is called only after the confirmation. */
async function closeAfterConfirming(label: string, close: MockInstance) {
  fireEvent.click(await screen.findByTestId(`close-period-${label}`));
  const prompt = screen.getByTestId("prompt-close-period");
  expect(prompt).toHaveTextContent(`Close ${label}?`);
  expect(close).not.toHaveBeenCalled();
  fireEvent.click(within(prompt).getByRole("button", { name: "Close period" }));
}

describe("finance: periods", () => {
  it("lists the periods with their status and closes one only after confirmation", async () => {
    const close = vi.spyOn(api, "closePeriod").mockResolvedValue(closeOutcome());
    renderWithClient(<Harness />);

    const open = await screen.findByTestId("period-row-2026-02");
    expect(open).toHaveTextContent("2026-02Open1,234£56,789.10—");
    expect(screen.getByTestId("period-row-2026-01")).toHaveTextContent("Closing");
    const closed = screen.getByTestId("period-row-2025-12");
    expect(closed).toHaveTextContent("2025-12Closed98£0.00anna");
    expect(within(closed).queryByText("Close")).not.toBeInTheDocument();
    expect(screen.getByTestId("close-period-2026-02")).toBeEnabled();

    // Backing out sends nothing.
    fireEvent.click(screen.getByTestId("close-period-2026-02"));
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    expect(screen.queryByTestId("prompt-close-period")).not.toBeInTheDocument();

    await closeAfterConfirming("2026-01", close);
    const outcome = await screen.findByTestId("close-outcome");
    expect(close).toHaveBeenCalledWith("2026-01-01");
    expect(close).toHaveBeenCalledTimes(1);
    expect(outcome).toHaveClass("success");
    expect(outcome).toHaveTextContent(
      "Period 2026-01 is closed: the stock ledger and the GL agree as of the end of " +
        "Sat, 31/01/2026 (difference £0.00).",
    );
    expect(screen.queryByTestId("prompt-close-period")).not.toBeInTheDocument();
    await waitFor(() => expect(periods).toHaveBeenCalledTimes(2));
  });

  it("explains why a period stays open and lists its variances", async () => {
    const close = vi.spyOn(api, "closePeriod").mockResolvedValue(
      closeOutcome({
        month: "2026-02-01",
        status: "open",
        exceptions_raised: 2,
        reconciliation: reconciliation({
          as_of: "2026-02-28",
          ledger_value: "15250.40",
          gl_value: "15050.40",
          difference: "200.00",
          variances: [variance("85123A", "100.00"), variance("22423", "100.00")],
        }),
      }),
    );
    vi.spyOn(api, "reconciliation").mockResolvedValue(reconciliation());
    const drill = vi.spyOn(api, "reconciliationDrill").mockResolvedValue([drillRow(501)]);
    renderWithClient(<Harness />);

    await closeAfterConfirming("2026-02", close);
    const outcome = await screen.findByTestId("close-outcome");
    expect(close).toHaveBeenCalledWith("2026-02-01");
    expect(outcome).toHaveAttribute("role", "alert");
    expect(outcome).not.toHaveClass("success");
    expect(outcome).toHaveTextContent("Period 2026-02 stays open.");
    expect(outcome).toHaveTextContent(
      "The stock ledger and the GL differ by £200.00 as of the end of Sat, 28/02/2026 " +
        "(stock ledger £15,250.40, GL £15,050.40).",
    );
    expect(outcome).toHaveTextContent("2 variance exceptions were raised for the owner");
    const rows = within(outcome).getAllByTestId(/^close-variances-row-/);
    expect(rows.map((r) => r.dataset.testid)).toEqual([
      "close-variances-row-1300-DC-SOUTH-85123A",
      "close-variances-row-1300-DC-SOUTH-22423",
    ]);
    expect(rows[1]).toHaveTextContent("22423");

    // A variance opens the reconciliation at the month end, drilled into that SKU.
    fireEvent.click(rows[1]);
    expect(screen.getByTestId("finance-tab-reconciliation")).toHaveAttribute(
      "aria-selected",
      "true",
    );
    expect(screen.getByTestId("recon-as-of")).toHaveValue("2026-02-28");
    await screen.findByTestId("recon-drill");
    expect(drill).toHaveBeenCalledWith("2026-02-28", "1300", "DC-SOUTH", "22423");
  });

  it("shows the engine's refusal under the period it was for", async () => {
    const close = vi
      .spyOn(api, "closePeriod")
      .mockRejectedValue(
        new ApiError("invalid_input", "period 2026-01 is still open; close periods in order"),
      );
    renderWithClient(<Harness />);

    await closeAfterConfirming("2026-02", close);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Period 2026-02 was not closed");
    expect(alert).toHaveTextContent("period 2026-01 is still open; close periods in order");
    expect(alert).toHaveTextContent("code: invalid_input");
    // Inline: in the row under the period, beside the confirmation.
    expect(alert.closest("tr")).toContainElement(screen.getByTestId("prompt-close-period"));
    expect(screen.queryByTestId("close-outcome")).not.toBeInTheDocument();
  });
});
