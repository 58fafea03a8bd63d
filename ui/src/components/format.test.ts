import { describe, expect, it } from "vitest";
import {
  formatAge,
  formatCoords,
  formatDay,
  formatDuration,
  formatLondon,
  formatLondonDay,
  formatMoney,
  formatQty,
  movementLabel,
} from "./format";

describe("formatting", () => {
  it("groups thousands and keeps the sign", () => {
    expect(formatQty(1234567)).toBe("1,234,567");
    expect(formatQty(-1200)).toBe("-1,200");
    expect(formatQty(0)).toBe("0");
  });

  it("shows UTC instants in London time across the clock change", () => {
    expect(formatLondon("2011-01-15T12:00:00Z")).toBe("15/01/2011, 12:00:00 GMT");
    expect(formatLondon("2011-06-15T12:00:00Z")).toBe("15/06/2011, 13:00:00 BST");
    expect(formatLondon("not a date")).toBe("not a date");
    expect(formatLondonDay("2011-06-30T23:30:00Z")).toBe("Fri, 01/07/2011");
  });

  it("labels kinds and durations for people", () => {
    expect(movementLabel("transfer_out")).toBe("Transfer out");
    expect(movementLabel("vendor_return")).toBe("Return to vendor");
    expect(movementLabel("scrap")).toBe("Scrap");
    expect(formatDuration(83500)).toBe("1 min 24 s");
  });

  it("shows decimal strings as pounds and pence without float rounding", () => {
    expect(formatMoney("15.3")).toBe("£15.30");
    expect(formatMoney("1234567.005")).toBe("£1,234,567.01");
    expect(formatMoney("0.1")).toBe("£0.10");
    expect(formatMoney("2.675")).toBe("£2.68");
    expect(formatMoney("90071992547409.99")).toBe("£90,071,992,547,409.99");
    expect(formatMoney("-3.456")).toBe("-£3.46");
    expect(formatMoney("-0.001")).toBe("£0.00");
    expect(formatMoney("12")).toBe("£12.00");
    expect(formatMoney("n/a")).toBe("n/a");
  });

  it("gives ages, days and positions in plain words", () => {
    expect(formatAge(0.4)).toBe("24 min");
    expect(formatAge(3.9)).toBe("3 h");
    expect(formatAge(47.5)).toBe("47 h");
    expect(formatAge(50)).toBe("2 d");
    expect(formatAge(null)).toBe("—");
    expect(formatDay("2011-07-04")).toBe("Mon, 04/07/2011");
    expect(formatCoords([53.80076, -1.54908])).toBe("53.8008, -1.5491");
    expect(formatCoords([53.8, null])).toBe("—");
  });
});
