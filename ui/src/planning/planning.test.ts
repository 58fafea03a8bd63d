import { describe, expect, it } from "vitest";
import { demandSeries, proposal } from "../test/fixtures";
import { approvalsFor, proposalLabel, wholeUnits } from "./approvals";
import { HISTORY_SHOWN, addDays, chartPoints } from "./demandChart";
import { policyForm, toPolicyChange } from "./policyForm";
import { toProposalFilter } from "./proposalFilters";
import { toReceiptLines } from "./receiptForm";

describe("planning forms and figures", () => {
  it("sends an edited quantity only where it differs from the proposal", () => {
    const rows = [proposal(1), proposal(2), proposal(3)];
    const edits = new Map([
      [2, 30],
      [3, 24],
    ]);
    expect(approvalsFor(rows, edits)).toEqual([
      { id: 1, quantity: null },
      { id: 2, quantity: 30 },
      { id: 3, quantity: null },
    ]);
    expect(wholeUnits("12")).toBe(12);
    expect(wholeUnits(0)).toBe(0);
    expect(wholeUnits("2.5")).toBeNull();
    expect(wholeUnits(null)).toBeNull();
    expect(proposalLabel(2, rows)).toBe("Proposal 2 (85123A → ST-LEEDS)");
    expect(proposalLabel(9, rows)).toBe("Proposal 9");
  });

  it("turns blank filters into none and trims the rest", () => {
    const filter = toProposalFilter({
      location: "",
      supplier: "  ",
      urgency: "due",
      kind: "",
      sku: " 8512 ",
    });
    expect(filter).toMatchObject({ location: null, supplier: null, urgency: "due", sku: "8512" });
    expect(filter.status).toBeNull();
  });

  it("lays out the last 84 days of history, then the forecast with its band", () => {
    const long = demandSeries({ history: Array.from({ length: 90 }, (_, i) => i) });
    const points = chartPoints(long);
    expect(points).toHaveLength(HISTORY_SHOWN + 28);
    expect(points[0]).toEqual({ day: addDays("2010-12-01", 6), sold: 6 });
    expect(points[HISTORY_SHOWN - 1]).toEqual({ day: "2011-02-28", sold: 89 });
    expect(points[HISTORY_SHOWN]).toEqual({ day: "2011-03-01", mean: 0.43, band: [0, 1.2] });

    const gaps = demandSeries({
      history: [1],
      forecast: { method: "tsb", mean: [null], lower: [0], upper: [null], daily_sd: null },
    });
    expect(chartPoints(gaps)[1]).toEqual({ day: "2010-12-02" });
  });

  it("reads a receipt as whole units and leaves untouched lines out", () => {
    const lines = [1, 2, 3].map((n) => ({
      line_no: n,
      sku: "X",
      due: 10,
      accepted: 0,
      rejected: 0,
      open: 10,
    }));
    const entries = {
      1: { accepted: "8", rejected: "2" },
      2: { accepted: " ", rejected: "" },
      3: { accepted: "", rejected: "1" },
    };
    expect(toReceiptLines(lines, entries)).toEqual([
      { line_no: 1, accepted: 8, rejected: 2 },
      { line_no: 3, accepted: 0, rejected: 1 },
    ]);
    expect(() => toReceiptLines(lines, { ...entries, 2: { accepted: "2.5", rejected: "" } }))
      .toThrow('Line 2: accepted must be a whole number of units, not "2.5".');
  });

  it("checks only that policy figures are numbers, leaving ranges to the engine", () => {
    const form = { serviceLevel: "1.5", reviewDays: "0", rebalanceKm: "25.5", note: " peak " };
    expect(toPolicyChange(form)).toEqual({
      service_level: 1.5,
      review_days: 0,
      rebalance_max_km: 25.5,
      note: "peak",
    });
    expect(() => toPolicyChange({ ...form, serviceLevel: "" })).toThrow(
      "Service level must be a number, e.g. 0.95.",
    );
    expect(() => toPolicyChange({ ...form, reviewDays: "3.5" })).toThrow("whole number");
    expect(policyForm(undefined)).toEqual({
      serviceLevel: "",
      reviewDays: "",
      rebalanceKm: "",
      note: "",
    });
  });
});
