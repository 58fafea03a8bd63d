import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { api, ApiError } from "../api";
import {
  purchaseOrder,
  purchaseOrderLine,
  transferLine,
  transferSummary,
} from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { PurchaseOrdersTab } from "./PurchaseOrdersTab";
import { TransfersTab } from "./TransfersTab";

const field = (form: HTMLElement, label: string) => within(form).getByLabelText(label);
const type = (input: HTMLElement, value: string) => fireEvent.change(input, { target: { value } });

describe("transfers and purchase orders", () => {
  const overReceipt =
    "marks a late transfer and receives it, showing the engine's error for an over-receipt";
  it(overReceipt, async () => {
    const list = vi
      .spyOn(api, "listTransfers")
      .mockResolvedValue([transferSummary(5, { late: true }), transferSummary(4)]);
    vi.spyOn(api, "transferLines").mockResolvedValue([transferLine(1), transferLine(2)]);
    const receive = vi
      .spyOn(api, "receiveTransfer")
      .mockRejectedValueOnce(
        new ApiError(
          "invalid_input",
          "transfer 5 line 1 (85123A): accepted + rejected = 30 but only 24 open",
        ),
      )
      .mockResolvedValueOnce({ repeated: false, accepted: 46, rejected: 2, still_open: 0 });
    renderWithClient(<TransfersTab />);

    const late = await screen.findByTestId("transfer-row-5");
    expect(list).toHaveBeenCalledWith(true);
    expect(within(late).getByTestId("transfer-late-5")).toHaveTextContent("LATE");
    expect(late).toHaveTextContent("DC-NORTH → ST-LEEDS");
    expect(late).toHaveTextContent("Sun, 03/07/2011");
    expect(screen.queryByTestId("transfer-late-4")).not.toBeInTheDocument();

    fireEvent.click(late);
    const form = await screen.findByTestId("receive-transfer");
    // Every open line starts as all of it arrived in good order.
    expect(field(form, "Accept on line 2")).toHaveValue("24");
    type(field(form, "Accept on line 1"), "30");
    type(field(form, "Accept on line 2"), "22");
    type(field(form, "Reject on line 2"), "2");
    const reference = field(form, "Receiving note reference") as HTMLInputElement;
    type(reference, "RN-881");
    fireEvent.click(within(form).getByRole("button", { name: "Receive transfer 5" }));

    const alert = await within(form).findByRole("alert");
    expect(alert).toHaveTextContent("accepted + rejected = 30 but only 24 open");
    expect(alert).toHaveTextContent("code: invalid_input");
    expect(receive).toHaveBeenLastCalledWith(5, "RN-881", [
      { line_no: 1, accepted: 30, rejected: 0 },
      { line_no: 2, accepted: 22, rejected: 2 },
    ]);

    type(field(form, "Accept on line 1"), "24");
    fireEvent.click(within(form).getByRole("button", { name: "Receive transfer 5" }));
    expect(await screen.findByTestId("receive-transfer-outcome")).toHaveTextContent(
      "Received 46 accepted and 2 rejected; 0 units still open.",
    );
    expect(receive).toHaveBeenLastCalledWith(5, "RN-881", [
      { line_no: 1, accepted: 24, rejected: 0 },
      { line_no: 2, accepted: 22, rejected: 2 },
    ]);
    // The transfers are read again: stock moved out of transit.
    await waitFor(() => expect(list).toHaveBeenCalledTimes(2));
  });

  it("refuses a receipt figure that is not a whole number before asking the engine", async () => {
    vi.spyOn(api, "listTransfers").mockResolvedValue([transferSummary(5)]);
    vi.spyOn(api, "transferLines").mockResolvedValue([transferLine(1)]);
    const receive = vi.spyOn(api, "receiveTransfer");
    renderWithClient(<TransfersTab />);

    fireEvent.keyDown(await screen.findByTestId("transfer-row-5"), { key: "Enter" });
    const form = await screen.findByTestId("receive-transfer");
    type(field(form, "Accept on line 1"), "2.5");
    fireEvent.submit(form);
    expect(await within(form).findByRole("alert")).toHaveTextContent(
      'Line 1: accepted must be a whole number of units, not "2.5".',
    );
    expect(receive).not.toHaveBeenCalled();
  });

  it("receives part of a late purchase order and shows what is still open", async () => {
    const list = vi
      .spyOn(api, "listPurchaseOrders")
      .mockResolvedValueOnce([purchaseOrder(7, { late: true })])
      .mockResolvedValue([purchaseOrder(7, { late: true, received: 240, open: 240 })]);
    vi.spyOn(api, "purchaseOrderLines").mockResolvedValue([purchaseOrderLine(1)]);
    const receive = vi
      .spyOn(api, "receivePurchaseOrder")
      .mockResolvedValue({ repeated: false, accepted: 240, rejected: 0, still_open: 240 });
    renderWithClient(<PurchaseOrdersTab />);

    const row = await screen.findByTestId("purchase-order-row-7");
    expect(row).toHaveTextContent("SUP-HOME");
    expect(within(row).getByTestId("purchase-order-late-7")).toHaveTextContent("LATE");

    fireEvent.click(row);
    const form = await screen.findByTestId("receive-purchase-order");
    expect(form).toHaveTextContent("£1.40");
    type(field(form, "Accept on line 1"), "240");
    type(field(form, "Receiving note reference"), "GRN-12");
    fireEvent.click(within(form).getByRole("button", { name: "Receive purchase order 7" }));

    expect(await screen.findByTestId("receive-purchase-order-outcome")).toHaveTextContent(
      "Received 240 accepted and 0 rejected; 240 units still open.",
    );
    expect(receive).toHaveBeenCalledWith(7, "GRN-12", [{ line_no: 1, accepted: 240, rejected: 0 }]);
    await waitFor(() => expect(list).toHaveBeenCalledTimes(2));

    fireEvent.click(screen.getByTestId("purchase-orders-all"));
    await waitFor(() => expect(list).toHaveBeenLastCalledWith(false));
  });
});
