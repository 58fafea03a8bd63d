import { fireEvent, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api, type JournalFilter } from "../api";
import { accountTotal, journalLine, location } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { FinancePage, initialFinance, type FinanceState } from "./FinancePage";

function Harness() {
  const [state, setState] = useState<FinanceState>({ ...initialFinance(), tab: "journal" });
  return <FinancePage state={state} onChange={setState} />;
}

const everything: JournalFilter = {
  from: null,
  to: null,
  account: null,
  location: null,
  sku: null,
  movement_id: null,
  kind: null,
};

/** `count` two-line entries, newest first, numbered down from `top`. */
const entries = (top: number, count: number) =>
  Array.from({ length: count }, (_, i) => [
    journalLine(top - i, 1),
    journalLine(top - i, 2),
  ]).flat();

beforeEach(() => {
  vi.spyOn(api, "listLocations").mockResolvedValue([location("DC-SOUTH"), location("ST-LEEDS")]);
});

describe("finance: journal", () => {
  it("groups lines by entry, marks corrections and totals each account", async () => {
    const lines = vi.spyOn(api, "journalLines").mockResolvedValue([
      journalLine(12, 1),
      journalLine(12, 2),
      journalLine(11, 1, { kind: "correction", memo: "revalue receipt 911", debit: "12.50" }),
      journalLine(11, 2, { kind: "correction", credit: "12.50" }),
    ]);
    const totals = vi.spyOn(api, "journalTotals").mockResolvedValue([
      accountTotal("1300"),
      accountTotal("5000", { debit: "4200.00", credit: "0.00", balance: "4200.00" }),
    ]);
    renderWithClient(<Harness />);

    const first = await screen.findByTestId("journal-line-12-1");
    expect(lines).toHaveBeenCalledWith(everything, 200, 0);
    expect(totals).toHaveBeenCalledWith(everything);
    expect(first).toHaveClass("entry-start");
    expect(first).not.toHaveClass("correction");
    expect(first).toHaveTextContent(
      "12Thu, 15/01/20262026-01Posting912receipt GRN-121" +
        "1300 Inventory: distribution centresDC-SOUTH85123A£255.00",
    );
    const second = screen.getByTestId("journal-line-12-2");
    expect(second).not.toHaveClass("entry-start");
    expect(second).not.toHaveTextContent("Posting");
    expect(second).toHaveTextContent("22100 Goods received not invoicedDC-SOUTH85123A£255.00");
    const correction = screen.getByTestId("journal-line-11-1");
    expect(correction).toHaveClass("entry-start");
    expect(correction).toHaveClass("correction");
    expect(correction).toHaveTextContent("Correction");
    expect(correction).toHaveTextContent("revalue receipt 911");
    expect(screen.getByTestId("journal-line-11-2")).toHaveClass("correction");

    expect(screen.getByTestId("journal-total-1300")).toHaveTextContent(
      "1300Inventory: distribution centres£1,000.00£250.50£749.50",
    );
    expect(screen.getByTestId("journal-total-5000")).toHaveTextContent(
      "5000Cost of goods sold£4,200.00£0.00£4,200.00",
    );
    const suggestions = document.querySelectorAll("#journal-accounts option");
    expect([...suggestions].map((o) => o.getAttribute("value"))).toEqual(["1300", "5000"]);

    expect(screen.getByTestId("journal-range")).toHaveTextContent("Lines 1–4, newest first");
    expect(screen.getByTestId("journal-prev")).toBeDisabled();
    expect(screen.getByTestId("journal-next")).toBeDisabled();
  });

  it("sends every filter to the engine and pages through the lines", async () => {
    const lines = vi
      .spyOn(api, "journalLines")
      .mockImplementation(async (_, limit, offset) =>
        offset === 0 ? entries(500, limit / 2) : entries(400, 2),
      );
    const totals = vi.spyOn(api, "journalTotals").mockResolvedValue([accountTotal("1300")]);
    renderWithClient(<Harness />);
    await screen.findByTestId("journal-table");

    const set = (testId: string, value: string) =>
      fireEvent.change(screen.getByTestId(testId), { target: { value } });
    set("journal-from", "2026-01-01");
    set("journal-to", "2026-01-31");
    set("journal-account", " 1300 ");
    set("journal-location", "DC-SOUTH");
    set("journal-sku", "85123A");
    set("journal-movement", "901");
    set("journal-kind", "correction");
    const filter: JournalFilter = {
      from: "2026-01-01",
      to: "2026-01-31",
      account: "1300",
      location: "DC-SOUTH",
      sku: "85123A",
      movement_id: 901,
      kind: "correction",
    };
    await waitFor(() => expect(lines).toHaveBeenLastCalledWith(filter, 200, 0));
    expect(totals).toHaveBeenLastCalledWith(filter);
    await waitFor(() =>
      expect(screen.getByTestId("journal-range")).toHaveTextContent("Lines 1–200"),
    );

    fireEvent.click(screen.getByTestId("journal-next"));
    await waitFor(() =>
      expect(screen.getByTestId("journal-range")).toHaveTextContent("Lines 201–204"),
    );
    expect(lines).toHaveBeenLastCalledWith(filter, 200, 200);
    expect(screen.getByTestId("journal-line-400-1")).toBeInTheDocument();
    expect(screen.getByTestId("journal-next")).toBeDisabled();

    fireEvent.click(screen.getByTestId("journal-prev"));
    await waitFor(() =>
      expect(screen.getByTestId("journal-range")).toHaveTextContent("Lines 1–200"),
    );
    await waitFor(() => expect(screen.getByTestId("journal-next")).toBeEnabled());
    fireEvent.click(screen.getByTestId("journal-next"));
    await waitFor(() =>
      expect(screen.getByTestId("journal-range")).toHaveTextContent("Lines 201–204"),
    );

    // A new filter starts again from the newest line.
    set("journal-kind", "");
    await waitFor(() =>
      expect(lines).toHaveBeenLastCalledWith({ ...filter, kind: null }, 200, 0),
    );

    fireEvent.click(screen.getByTestId("journal-clear"));
    await waitFor(() => expect(lines).toHaveBeenLastCalledWith(everything, 200, 0));
    expect(screen.getByTestId("journal-sku")).toHaveValue("");
  });

  it("asks for a whole movement id and exports the filtered journal", async () => {
    const lines = vi.spyOn(api, "journalLines").mockResolvedValue([]);
    vi.spyOn(api, "journalTotals").mockResolvedValue([]);
    const exported = vi
      .spyOn(api, "exportJournal")
      .mockResolvedValue("/home/fin/Downloads/stockroom-journal-20260201-120000.csv");
    renderWithClient(<Harness />);
    expect(await screen.findByText("No journal line matches")).toBeInTheDocument();

    fireEvent.change(screen.getByTestId("journal-movement"), { target: { value: "12a" } });
    expect(await screen.findByRole("alert")).toHaveTextContent("A movement id is a whole number");
    expect(screen.getByTestId("journal-export")).toBeDisabled();
    expect(lines).toHaveBeenCalledTimes(1);

    fireEvent.change(screen.getByTestId("journal-movement"), { target: { value: "12" } });
    fireEvent.change(screen.getByTestId("journal-location"), { target: { value: "ST-LEEDS" } });
    await waitFor(() => expect(screen.getByTestId("journal-export")).toBeEnabled());
    fireEvent.click(screen.getByTestId("journal-export"));
    expect(await screen.findByTestId("journal-export-path")).toHaveTextContent(
      "Saved to /home/fin/Downloads/stockroom-journal-20260201-120000.csv",
    );
    expect(exported).toHaveBeenCalledWith({ ...everything, location: "ST-LEEDS", movement_id: 12 });
  });
});
