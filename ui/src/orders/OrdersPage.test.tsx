import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api, ApiError } from "../api";
import { fulfilment, orderDetail, orderSummary } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { OrdersPage, PAGE_SIZE, initialOrders, type OrdersState } from "./OrdersPage";

function Harness({ start = initialOrders }: { start?: OrdersState }) {
  const [state, setState] = useState<OrdersState>(start);
  return <OrdersPage state={state} onChange={setState} />;
}

const fullPage = (from: number) =>
  Array.from({ length: PAGE_SIZE }, (_, i) => orderSummary(from - i));

describe("orders", () => {
  beforeEach(() => {
    vi.spyOn(api, "fulfilmentKpis").mockResolvedValue(fulfilment());
  });

  it("shows fill rate, split rate, distance and cost per order above the list", async () => {
    vi.spyOn(api, "listOrders").mockResolvedValue([orderSummary(12)]);
    renderWithClient(<Harness />);
    const strip = await screen.findByTestId("orders-fulfilment");
    expect(strip).toHaveTextContent("Fill rate (units)100.0%");
    expect(strip).toHaveTextContent("358,750 of 358,764");
    expect(strip).toHaveTextContent("Split rate18.5%");
    expect(strip).toHaveTextContent("96.3 km");
    expect(strip).toHaveTextContent("£25.60");
  });

  it("lists orders and opens one with its routing explanation and candidates", async () => {
    const list = vi.spyOn(api, "listOrders").mockResolvedValue([
      orderSummary(12, { age_hours: 3.4, order_value: "1234.5" }),
      orderSummary(11, { status: "partially_shipped", age_hours: 50 }),
    ]);
    const detail = vi.spyOn(api, "orderDetail").mockResolvedValue(orderDetail(12));
    renderWithClient(<Harness />);

    const row = await screen.findByTestId("order-row-12");
    expect(list).toHaveBeenCalledWith({
      status: null,
      channel: null,
      text: null,
      limit: PAGE_SIZE,
      before_id: null,
    });
    expect(row).toHaveTextContent("W-12");
    expect(row).toHaveTextContent("3 h");
    expect(row).toHaveTextContent("£1,234.50");
    expect(screen.getByTestId("order-row-11")).toHaveTextContent("2 d");
    expect(screen.getByTestId("order-row-11")).toHaveTextContent("Partially shipped");

    fireEvent.keyDown(row, { key: "Enter" });
    const panel = await screen.findByTestId("order-detail");
    expect(detail).toHaveBeenCalledWith(12);
    expect(panel).toHaveTextContent("All or nothing");
    expect(panel).toHaveTextContent("51.5074, -0.1278");
    const routing = screen.getByTestId("routing-explanation");
    expect(routing).toHaveTextContent("DC-SOUTH can ship all 6 units today at the lowest cost.");
    expect(routing).toHaveTextContent("nearest_on_time");
    expect(routing).toHaveTextContent("sourcing-v3");
    expect(routing).toHaveTextContent("118 other locations had no stock.");
    const chosen = within(routing).getByTestId("candidate-row-DC-SOUTH");
    expect(chosen).toHaveClass("chosen");
    expect(chosen).toHaveTextContent("£3.95");
    expect(chosen).toHaveTextContent("182.4 km");
    expect(within(routing).getByTestId("candidate-row-DC-NORTH")).not.toHaveClass("chosen");
  });

  it("searches by order id or SKU", async () => {
    const list = vi.spyOn(api, "listOrders").mockResolvedValue([orderSummary(3)]);
    renderWithClient(<Harness />);
    await screen.findByTestId("order-row-3");
    fireEvent.change(screen.getByTestId("orders-search"), { target: { value: " 85123A " } });
    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith(expect.objectContaining({ text: "85123A" })),
    );
  });

  it("filters by status and channel and pages back with before_id", async () => {
    const list = vi
      .spyOn(api, "listOrders")
      .mockResolvedValueOnce(fullPage(500))
      .mockResolvedValueOnce([orderSummary(7)]);
    renderWithClient(<Harness start={{ ...initialOrders, status: "open", channel: "B2B" }} />);

    await screen.findByTestId("order-row-500");
    fireEvent.click(screen.getByTestId("orders-load-older"));
    await screen.findByTestId("order-row-7");
    expect(list).toHaveBeenLastCalledWith({
      status: "open",
      channel: "B2B",
      text: null,
      limit: PAGE_SIZE,
      before_id: 500 - PAGE_SIZE + 1,
    });
    expect(screen.queryByTestId("orders-load-older")).not.toBeInTheDocument();
  });

  it("cancels with the reason given and shows what changed", async () => {
    vi.spyOn(api, "listOrders").mockResolvedValue([orderSummary(12)]);
    const detail = vi.spyOn(api, "orderDetail").mockResolvedValue(orderDetail(12));
    const cancel = vi
      .spyOn(api, "cancelOrder")
      .mockResolvedValue({ order_id: 12, units: 6, status: "cancelled" });
    renderWithClient(<Harness start={{ ...initialOrders, selected: 12 }} />);

    fireEvent.click(await screen.findByTestId("cancel-order"));
    const prompt = screen.getByTestId("prompt-cancel");
    const confirm = within(prompt).getByRole("button", { name: "Cancel order" });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(prompt).getByLabelText(/Reason/), {
      target: { value: "customer changed mind" },
    });
    fireEvent.click(confirm);

    expect(await screen.findByTestId("change-result")).toHaveTextContent(
      "Order 12: 6 units released; now cancelled.",
    );
    expect(cancel).toHaveBeenCalledWith(12, "customer changed mind");
    expect(screen.queryByTestId("prompt-cancel")).not.toBeInTheDocument();
    // The order (and the list) are read again after the change.
    await waitFor(() => expect(detail).toHaveBeenCalledTimes(2));
  });

  it("ships all open units under a default reference and re-routes a store miss", async () => {
    vi.spyOn(api, "listOrders").mockResolvedValue([]);
    vi.spyOn(api, "orderDetail").mockResolvedValue(orderDetail(12));
    const ship = vi
      .spyOn(api, "shipOrder")
      .mockResolvedValue({ order_id: 12, units: 6, status: "shipped" });
    const reject = vi
      .spyOn(api, "rejectAtStore")
      .mockRejectedValue(new ApiError("invalid_input", "order W-12 has nothing reserved"));
    renderWithClient(<Harness start={{ ...initialOrders, selected: 12 }} />);

    fireEvent.click(await screen.findByTestId("ship-order"));
    const reference = within(screen.getByTestId("prompt-ship")).getByLabelText(/Shipment/);
    expect((reference as HTMLInputElement).value).toMatch(/^UI-\d+$/);
    fireEvent.click(screen.getByRole("button", { name: "Ship" }));
    expect(await screen.findByTestId("change-result")).toHaveTextContent("6 units shipped");
    expect(ship).toHaveBeenCalledWith(12, (reference as HTMLInputElement).value);

    fireEvent.click(screen.getByTestId("not-found-70"));
    fireEvent.click(screen.getByRole("button", { name: "Re-route" }));
    const alert = await screen.findByRole("alert");
    expect(reject).toHaveBeenCalledWith(12, "DC-SOUTH");
    expect(alert).toHaveTextContent("order W-12 has nothing reserved");
    expect(alert).toHaveTextContent("code: invalid_input");
  });

  it("shows the engine's message when the order cannot be read", async () => {
    vi.spyOn(api, "listOrders").mockResolvedValue([]);
    vi.spyOn(api, "orderDetail").mockRejectedValue(
      new ApiError("not_found", "No order 99."),
    );
    renderWithClient(<Harness start={{ ...initialOrders, selected: 99 }} />);
    expect(await screen.findByRole("alert")).toHaveTextContent("No order 99.");
    expect(screen.getByText("No orders match")).toBeInTheDocument();
  });
});
