import { describe, expect, it } from "vitest";
import { kpiRow, returnLine, returnSummary } from "../test/fixtures";
import {
  initialInspection,
  nextLine,
  nextReturn,
  toDecisionRequest,
  type Inspection,
} from "./inspection";
import { kpiRange, londonMidnight, splitTotal } from "./kpis";
import { expectedRecovery } from "./recovery";

describe("returns: expected recovery", () => {
  it("multiplies the engine's decimal exactly and rounds to pence half to even", () => {
    expect(expectedRecovery("1.2850", 3)).toBe("3.86");
    expect(expectedRecovery("0.125", 1)).toBe("0.12");
    expect(expectedRecovery("0.135", 1)).toBe("0.14");
    expect(expectedRecovery("0.1", 3)).toBe("0.30");
    expect(expectedRecovery("-0.50", 4)).toBe("-2.00");
    expect(expectedRecovery("0", 7)).toBe("0.00");
    expect(expectedRecovery("90071992547409.99", 1000)).toBe("90071992547409990.00");
    expect(expectedRecovery("n/a", 2)).toBeNull();
  });
});

describe("returns: inspection flow", () => {
  const line = returnLine(1);
  const at = "2011-07-02T10:00:00.000Z";

  it("sends no disposition when the suggestion is accepted, and trims an override", () => {
    const accept: Inspection = {
      ...initialInspection(line),
      grade: "open_box",
      choice: "restock",
    };
    expect(toDecisionRequest(7, line, accept, at)).toMatchObject({
      disposition: null,
      override_reason: null,
      quantity: 3,
    });
    const override: Inspection = {
      ...accept,
      choice: "liquidate",
      overrideReason: "  crushed ",
      destination: "DC-SOUTH",
    };
    // A liquidation goes nowhere: the destination typed for a restock is not sent.
    expect(toDecisionRequest(7, line, override, at)).toMatchObject({
      disposition: "liquidate",
      override_reason: "crushed",
      destination: null,
    });
    expect(() => toDecisionRequest(7, line, { ...override, overrideReason: " " }, at)).toThrow(
      "Restock was suggested: give a reason to liquidate instead.",
    );
    expect(() => toDecisionRequest(7, line, { ...accept, quantity: "1.5" }, at)).toThrow(
      'Quantity must be a whole number of units, not "1.5".',
    );
  });

  it("stays on a line split across grades, then takes the next line with units", () => {
    const lines = [returnLine(1), returnLine(2, { disposed: 3 }), returnLine(3)];
    expect(nextLine(lines, 1, 2)).toBe(1);
    expect(nextLine(lines, 1, 3)).toBe(3);
    expect(nextLine(lines, 3, 3)).toBe(1);
    expect(nextLine([returnLine(1)], 1, 3)).toBeNull();
  });

  it("moves to the next return with units waiting, wrapping round the queue", () => {
    const queue = [
      returnSummary(1),
      returnSummary(2, { units_waiting: 0, status: "announced" }),
      returnSummary(3),
    ];
    expect(nextReturn(queue, 1)).toBe(3);
    expect(nextReturn(queue, 3)).toBe(1);
    expect(nextReturn(queue, 99)).toBe(1);
    expect(nextReturn([returnSummary(1)], 1)).toBeNull();
  });
});

describe("returns: KPI range and totals", () => {
  it("turns London days into the engine's half-open range", () => {
    expect(londonMidnight("2011-01-10")).toBe("2011-01-10T00:00:00.000Z");
    expect(londonMidnight("2011-07-01")).toBe("2011-06-30T23:00:00.000Z");
    expect(londonMidnight("2011-03-27")).toBe("2011-03-27T00:00:00.000Z");
    expect(londonMidnight("2011-03-28")).toBe("2011-03-27T23:00:00.000Z");
    expect(londonMidnight("31/07/2011")).toBeNull();
    expect(kpiRange({ dimension: "reason", from: "", to: "2011-07-31" })).toEqual({
      from: null,
      to: "2011-07-31T23:00:00.000Z",
    });
  });

  it("takes the last row as the totals only when it is keyed all", () => {
    const rows = [kpiRow("ST-LEEDS"), kpiRow("all")];
    expect(splitTotal(rows)).toEqual({ groups: [rows[0]], total: rows[1] });
    expect(splitTotal([rows[0]])).toEqual({ groups: [rows[0]], total: null });
  });
});
