import { describe, expect, it } from "vitest";
import { formatDuration, formatLondon, formatQty, movementLabel } from "./format";

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
  });

  it("labels kinds and durations for people", () => {
    expect(movementLabel("transfer_out")).toBe("Transfer out");
    expect(formatDuration(83500)).toBe("1 min 24 s");
  });
});
