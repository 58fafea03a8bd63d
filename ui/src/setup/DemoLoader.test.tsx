import { act, fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { api, type ReplayProgress, type ReplaySummary } from "../api";
import { summary } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { DemoLoader } from "./DemoLoader";

describe("demo load", () => {
  it("shows channel progress, then the replay summary, then invalidates queries", async () => {
    let report: (p: ReplayProgress) => void = () => {};
    let finish: (s: ReplaySummary) => void = () => {};
    const load = vi.spyOn(api, "loadDemo").mockImplementation((_from, _to, onProgress) => {
      report = onProgress;
      return new Promise((resolve) => (finish = resolve));
    });
    const onLoaded = vi.fn();
    const { client } = renderWithClient(<DemoLoader onLoaded={onLoaded} />);
    const invalidate = vi.spyOn(client, "invalidateQueries");

    fireEvent.click(screen.getByTestId("load-demo"));
    const bar = await screen.findByTestId("demo-progress");
    expect(load).toHaveBeenCalledWith("2010-12-01", "2011-09-30", expect.any(Function));
    expect(screen.getByTestId("load-demo")).toBeDisabled();

    act(() => report({ day: "2011-03-15", days_done: 76, days_total: 304, lines_read: 98765 }));
    expect(bar).toHaveAttribute("aria-valuenow", "76");
    expect(bar).toHaveTextContent("25%");
    expect(screen.getByTestId("demo-progress-text")).toHaveTextContent(
      "Day 2011-03-15 — 76 of 304 days, 98,765 lines read",
    );

    await act(async () => finish(summary));
    const card = await screen.findByTestId("replay-summary");
    expect(screen.queryByTestId("demo-progress")).not.toBeInTheDocument();
    expect(card).toHaveTextContent("412,345");
    expect(card).toHaveTextContent("unknown_sku");
    expect(card).toHaveTextContent("sales-2011-01.csv");
    expect(screen.getByTestId("summary-stock-on_hand")).toHaveTextContent("487,655");
    expect(screen.getByTestId("summary-fulfilment")).toHaveTextContent("Split rate18.5%");
    expect(onLoaded).toHaveBeenCalledWith(summary);
    expect(invalidate).toHaveBeenCalled();
  });

  it("passes the chosen dates and reports a failure plainly", async () => {
    const load = vi.spyOn(api, "loadDemo").mockRejectedValue(
      Object.assign(new Error("Demo data folder is missing sales.csv"), { code: "data_missing" }),
    );
    renderWithClient(<DemoLoader />);
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2010-12-31" } });
    fireEvent.click(screen.getByTestId("load-demo"));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Demo data folder is missing sales.csv",
    );
    expect(load).toHaveBeenCalledWith("2010-12-01", "2010-12-31", expect.any(Function));
    expect(screen.queryByTestId("replay-summary")).not.toBeInTheDocument();
  });

  it("refuses a reversed date range", () => {
    renderWithClient(<DemoLoader />);
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2011-10-01" } });
    expect(screen.getByTestId("load-demo")).toBeDisabled();
  });
});
