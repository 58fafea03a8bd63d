import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api, ApiError } from "../api";
import { drillRow, location, period, reconciliation, reconRow } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { FinancePage, initialFinance, type FinanceState } from "./FinancePage";

function Harness() {
  const [state, setState] = useState<FinanceState>({ ...initialFinance(), asOf: "2026-01-31" });
  return <FinancePage state={state} onChange={setState} />;
}

/** A day on which one SKU at DC-SOUTH is £12.50 higher in the GL than in the stock ledger. */
const unbalanced = reconciliation({
  ledger_value: "15237.90",
  gl_value: "15250.40",
  difference: "-12.50",
  by_location: [
    reconRow("1300", "DC-SOUTH", { gl_value: "12512.50", difference: "-12.50" }),
    reconRow("1310", "ST-LEEDS", { ledger_value: "2737.90", gl_value: "2737.90" }),
  ],
  variances: [
    reconRow("1300", "DC-SOUTH", {
      sku: "85123A",
      ledger_value: "100.00",
      gl_value: "112.50",
      difference: "-12.50",
      units: 40,
    }),
  ],
});

beforeEach(() => {
  vi.spyOn(api, "financePeriods").mockResolvedValue([period("2026-02-01"), period("2026-01-01")]);
});

describe("finance: reconciliation", () => {
  it("shows both sides with a zero difference as reconciled, by account and location", async () => {
    const report = vi.spyOn(api, "reconciliation").mockResolvedValue(reconciliation());
    renderWithClient(<Harness />);

    const difference = await screen.findByTestId("recon-difference");
    expect(report).toHaveBeenCalledWith("2026-01-31");
    expect(screen.getByTestId("finance-tab-reconciliation")).toHaveAttribute(
      "aria-selected",
      "true",
    );
    expect(screen.getByTestId("recon-ledger")).toHaveTextContent("£15,250.40");
    expect(screen.getByTestId("recon-gl")).toHaveTextContent("£15,250.40");
    expect(difference).toHaveTextContent("Difference£0.00Reconciled");
    expect(difference).toHaveClass("balanced");
    expect(difference).not.toHaveClass("unbalanced");
    expect(screen.getByTestId("recon-note")).toHaveTextContent(
      "As of the end of Sat, 31/01/2026, Europe/London.",
    );
    expect(screen.queryByTestId("recon-variance-warning")).not.toBeInTheDocument();
    expect(screen.queryByTestId("recon-variances")).not.toBeInTheDocument();

    const table = screen.getByTestId("recon-locations");
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(screen.getByTestId("recon-locations-row-1300-DC-SOUTH")).toHaveTextContent(
      "1300Inventory: distribution centresDC-SOUTH5,000£12,500.00£12,500.00£0.00",
    );
    expect(screen.getByTestId("recon-locations-row-1310-ST-LEEDS")).toHaveTextContent(
      "1310Inventory: storesST-LEEDS1,100£2,750.40£2,750.40£0.00",
    );
  });

  it("flags a difference and lists the variances by SKU above the locations", async () => {
    vi.spyOn(api, "reconciliation").mockResolvedValue(unbalanced);
    const drill = vi.spyOn(api, "reconciliationDrill").mockResolvedValue([drillRow(501)]);
    renderWithClient(<Harness />);

    const difference = await screen.findByTestId("recon-difference");
    expect(difference).toHaveTextContent("Difference-£12.50Does not reconcile");
    expect(difference).toHaveClass("unbalanced");
    expect(difference).not.toHaveClass("balanced");
    const warning = screen.getByTestId("recon-variance-warning");
    expect(warning).toHaveAttribute("role", "alert");
    expect(warning).toHaveTextContent(
      "1 account × location × SKU figure differs between the stock ledger and the GL.",
    );
    const variance = screen.getByTestId("recon-variances-row-1300-DC-SOUTH-85123A");
    expect(variance).toHaveTextContent("1300Inventory: distribution centresDC-SOUTH85123A40");
    expect(variance).toHaveTextContent("£100.00£112.50-£12.50");
    const locations = screen.getByTestId("recon-locations");
    // The variances come first: they are what the user must look at.
    expect(
      screen.getByTestId("recon-variances").compareDocumentPosition(locations) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();

    fireEvent.click(variance);
    expect(await screen.findByTestId("recon-drill")).toBeInTheDocument();
    expect(drill).toHaveBeenCalledWith("2026-01-31", "1300", "DC-SOUTH", "85123A");
  });

  it("drills into a location's movements and opens one in the journal", async () => {
    vi.spyOn(api, "reconciliation").mockResolvedValue(unbalanced);
    const drill = vi.spyOn(api, "reconciliationDrill").mockResolvedValue([
      drillRow(502, { kind: "sale", reference: "W-77", quantity: -3, ledger_value: "-7.65" }),
      drillRow(501, { gl_value: "267.50", entries: 2 }),
    ]);
    const lines = vi.spyOn(api, "journalLines").mockResolvedValue([]);
    vi.spyOn(api, "journalTotals").mockResolvedValue([]);
    vi.spyOn(api, "listLocations").mockResolvedValue([location("DC-SOUTH")]);
    renderWithClient(<Harness />);

    const row = await screen.findByTestId("recon-locations-row-1300-DC-SOUTH");
    expect(screen.queryByTestId("recon-drill-panel")).not.toBeInTheDocument();
    fireEvent.click(row);
    const table = await screen.findByTestId("recon-drill");
    expect(drill).toHaveBeenCalledWith("2026-01-31", "1300", "DC-SOUTH", null);
    expect(row).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("recon-drill-panel")).toHaveTextContent(
      "Movements behind 1300 at DC-SOUTH",
    );
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    const sale = screen.getByTestId("drill-row-502");
    expect(sale).toHaveTextContent("50215/01/2026, 10:30:00 GMTSale85123AW-77-3-£7.65");
    expect(sale).toHaveClass("flagged");
    const receipt = screen.getByTestId("drill-row-501");
    expect(receipt).toHaveTextContent("501");
    expect(receipt).toHaveTextContent("Receipt85123AGRN-501100£255.00£267.502");
    expect(receipt).toHaveClass("flagged");

    fireEvent.click(screen.getByTestId("drill-movement-501"));
    expect(screen.getByTestId("finance-tab-journal")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("journal-movement")).toHaveValue("501");
    await waitFor(() =>
      expect(lines).toHaveBeenCalledWith(
        {
          from: null,
          to: null,
          account: null,
          location: null,
          sku: null,
          movement_id: 501,
          kind: null,
        },
        200,
        0,
      ),
    );

    // Back on the reconciliation, the drill is still open where the user left it.
    fireEvent.click(screen.getByTestId("finance-tab-reconciliation"));
    expect(await screen.findByTestId("drill-row-501")).toBeInTheDocument();
  });

  it("reconciles another day, a period end, and exports the CSV", async () => {
    const report = vi
      .spyOn(api, "reconciliation")
      .mockImplementation(async (asOf) => reconciliation({ as_of: asOf }));
    const exported = vi
      .spyOn(api, "exportReconciliation")
      .mockResolvedValue("/home/fin/Downloads/stockroom-reconciliation-2026-02-28.csv");
    renderWithClient(<Harness />);
    await screen.findByTestId("recon-difference");

    fireEvent.change(screen.getByTestId("recon-as-of"), { target: { value: "2026-01-15" } });
    await waitFor(() => expect(report).toHaveBeenLastCalledWith("2026-01-15"));
    expect(await screen.findByText(/As of the end of Thu, 15\/01\/2026/)).toBeInTheDocument();

    const periodEnd = await screen.findByTestId("recon-period-end");
    fireEvent.change(periodEnd, { target: { value: "2026-02-28" } });
    await waitFor(() => expect(report).toHaveBeenLastCalledWith("2026-02-28"));
    expect(screen.getByTestId("recon-as-of")).toHaveValue("2026-02-28");

    fireEvent.click(screen.getByTestId("recon-export"));
    expect(await screen.findByTestId("recon-export-path")).toHaveTextContent(
      "Saved to /home/fin/Downloads/stockroom-reconciliation-2026-02-28.csv",
    );
    expect(exported).toHaveBeenCalledWith("2026-02-28");
  });

  it("shows the engine's message when the reconciliation fails", async () => {
    vi.spyOn(api, "reconciliation").mockRejectedValue(
      new ApiError("database_unavailable", "The database is not running."),
    );
    renderWithClient(<Harness />);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The reconciliation could not be computed");
    expect(alert).toHaveTextContent("The database is not running.");
  });
});
