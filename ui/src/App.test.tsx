import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "./App";
import { api } from "./api";
import {
  demandSeries,
  exception,
  fulfilment,
  orderDetail,
  orderSummary,
  period,
  proposal,
  reconciliation,
  status,
} from "./test/fixtures";
import { renderWithClient } from "./test/render";

describe("app shell", () => {
  it("offers the demo load on an empty ledger and shows the database in the top bar", async () => {
    vi.spyOn(api, "appStatus").mockResolvedValue(status());
    renderWithClient(<App />);
    expect(await screen.findByTestId("load-demo")).toBeEnabled();
    const topbar = screen.getByTestId("topbar");
    expect(topbar).toHaveTextContent("Local database (embedded PostgreSQL 16)");
    expect(topbar).toHaveTextContent("124");
  });

  it("explains where the data folder is looked for when it is missing", async () => {
    vi.spyOn(api, "appStatus").mockResolvedValue(status({ demo_data_dir: null }));
    renderWithClient(<App />);
    const notice = await screen.findByTestId("demo-data-missing");
    expect(notice).toHaveTextContent("../shared/data");
    expect(notice).toHaveTextContent("STOCKROOM_DATA_DIR");
    expect(screen.queryByTestId("load-demo")).not.toBeInTheDocument();
  });

  it("goes straight to the explorer when the ledger has data", async () => {
    const data = { products: 4000, locations: 124, movements: 1234567, events: 400000 };
    vi.spyOn(api, "appStatus").mockResolvedValue(status({ mode: "shared", data }));
    renderWithClient(<App />);
    expect(await screen.findByTestId("sku-search")).toBeInTheDocument();
    expect(screen.getByTestId("topbar")).toHaveTextContent("Shared");
    expect(screen.getByTestId("topbar")).toHaveTextContent("1,234,567");

    fireEvent.click(screen.getByTestId("nav-ledger"));
    expect(screen.getByText("Pick a position")).toBeInTheDocument();
  });

  it("opens an order from the exception queue on the orders page", async () => {
    const data = { products: 4000, locations: 124, movements: 1234567, events: 400000 };
    vi.spyOn(api, "appStatus").mockResolvedValue(status({ data }));
    vi.spyOn(api, "listExceptions").mockResolvedValue([exception(4)]);
    vi.spyOn(api, "listOrders").mockResolvedValue([orderSummary(12)]);
    vi.spyOn(api, "fulfilmentKpis").mockResolvedValue(fulfilment());
    vi.spyOn(api, "orderDetail").mockResolvedValue(orderDetail(12));
    renderWithClient(<App />);
    await screen.findByTestId("sku-search");

    fireEvent.click(screen.getByTestId("nav-exceptions"));
    fireEvent.click(await screen.findByTestId("exception-order-4"));
    expect(screen.getByTestId("nav-orders")).toHaveAttribute("aria-current", "page");
    expect(await screen.findByTestId("order-detail")).toHaveTextContent("Order 12");
    expect(await screen.findByTestId("order-row-12")).toHaveAttribute("aria-selected", "true");
  });

  it("opens the planner's workbench from the navigation and keeps its tab", async () => {
    const data = { products: 4000, locations: 124, movements: 1234567, events: 400000 };
    vi.spyOn(api, "appStatus").mockResolvedValue(status({ data }));
    vi.spyOn(api, "listLocations").mockResolvedValue([]);
    vi.spyOn(api, "listProposals").mockResolvedValue([proposal(1)]);
    vi.spyOn(api, "demandSeries").mockResolvedValue(demandSeries());
    vi.spyOn(api, "listTransfers").mockResolvedValue([]);
    renderWithClient(<App />);
    await screen.findByTestId("sku-search");

    fireEvent.click(screen.getByTestId("nav-planning"));
    expect(await screen.findByTestId("proposals-count")).toHaveTextContent("1 open proposal,");
    fireEvent.click(screen.getByTestId("planning-tab-transfers"));
    expect(await screen.findByText("Nothing in transit")).toBeInTheDocument();

    fireEvent.click(screen.getByTestId("nav-inventory"));
    fireEvent.click(screen.getByTestId("nav-planning"));
    expect(screen.getByTestId("planning-tab-transfers")).toHaveAttribute("aria-selected", "true");
  });

  it("opens the finance workspace on the reconciliation and keeps its tab", async () => {
    const data = { products: 4000, locations: 124, movements: 1234567, events: 400000 };
    vi.spyOn(api, "appStatus").mockResolvedValue(status({ data }));
    const report = vi.spyOn(api, "reconciliation").mockResolvedValue(reconciliation());
    vi.spyOn(api, "financePeriods").mockResolvedValue([period("2026-01-01")]);
    renderWithClient(<App />);
    await screen.findByTestId("sku-search");

    fireEvent.click(screen.getByTestId("nav-finance"));
    expect(await screen.findByTestId("recon-difference")).toHaveTextContent("£0.00");
    expect(report).toHaveBeenCalledWith(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
    fireEvent.click(screen.getByTestId("finance-tab-periods"));
    expect(await screen.findByTestId("period-row-2026-01")).toBeInTheDocument();

    fireEvent.click(screen.getByTestId("nav-inventory"));
    fireEvent.click(screen.getByTestId("nav-finance"));
    expect(screen.getByTestId("finance-tab-periods")).toHaveAttribute("aria-selected", "true");
  });
});
