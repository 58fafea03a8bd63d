import { describe, expect, it } from "vitest";
import { isZero, monthEnd, monthLabel, monthPoints, sameDecimal, todayLocal } from "./finance";
import { monthFigures } from "../test/fixtures";
import { initialJournalFilters, toJournalFilter, type JournalFilters } from "./journalFilters";

describe("finance: amounts and days", () => {
  it("compares the engine's decimal strings exactly, whatever their scale", () => {
    expect(isZero("0.00")).toBe(true);
    expect(isZero("0")).toBe(true);
    expect(isZero("-0.00")).toBe(true);
    expect(isZero("0.001")).toBe(false);
    expect(isZero("-12.50")).toBe(false);
    expect(sameDecimal("1.5", "1.50")).toBe(true);
    expect(sameDecimal("90071992547409.99", "90071992547409.98")).toBe(false);
    expect(sameDecimal("-7.65", "7.65")).toBe(false);
    expect(sameDecimal("n/a", "n/a")).toBe(true);
    expect(sameDecimal("n/a", "0")).toBe(false);
  });

  it("names periods by month and finds their last day", () => {
    expect(monthLabel("2026-02-01")).toBe("2026-02");
    expect(monthEnd("2026-02-01")).toBe("2026-02-28");
    expect(monthEnd("2028-02-01")).toBe("2028-02-29");
    expect(monthEnd("2026-12-01")).toBe("2026-12-31");
    expect(todayLocal(new Date(2026, 0, 31, 23, 59))).toBe("2026-01-31");
    expect(todayLocal(new Date(2026, 8, 5, 0, 1))).toBe("2026-09-05");
  });

  it("turns money into numbers only for the chart", () => {
    expect(monthPoints([monthFigures("2026-01-01", { cogs: "4200.10" })])).toEqual([
      { period: "2026-01", stockValue: 15250.4, cogs: 4200.1, returns: 310.25, writeOffs: 45.1 },
    ]);
  });
});

describe("finance: journal filter", () => {
  it("sends blanks as no filter and trims what was typed", () => {
    expect(toJournalFilter(initialJournalFilters)).toEqual({
      from: null,
      to: null,
      account: null,
      location: null,
      sku: null,
      movement_id: null,
      kind: null,
    });
    const typed: JournalFilters = {
      ...initialJournalFilters,
      sku: " 85123A ",
      movementId: " 42 ",
      kind: "posting",
    };
    expect(toJournalFilter(typed)).toMatchObject({
      sku: "85123A",
      movement_id: 42,
      kind: "posting",
    });
  });

  it("refuses a movement id that is not a whole number and days in the wrong order", () => {
    const filters = { ...initialJournalFilters, movementId: "4.5" };
    expect(() => toJournalFilter(filters)).toThrow("A movement id is a whole number");
    const backwards = { ...initialJournalFilters, from: "2026-02-01", to: "2026-01-31" };
    expect(() => toJournalFilter(backwards)).toThrow("on or before");
    const sameDay = { ...initialJournalFilters, from: "2026-02-01", to: "2026-02-01" };
    expect(toJournalFilter(sameDay)).toMatchObject({ from: "2026-02-01", to: "2026-02-01" });
  });
});
