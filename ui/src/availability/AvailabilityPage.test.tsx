import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, type LocationAvailability } from "../api";
import { decisionDetail, rule } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { AvailabilityPage } from "./AvailabilityPage";

const at = (location: string, over: Partial<LocationAvailability> = {}) => ({
  location,
  kind: "store" as const,
  available: 10,
  inbound: 0,
  safety_stock: 2,
  pool_hold: 0,
  excluded: false,
  promisable: 8,
  promisable_inbound: 0,
  rule: "web-store-buffer v2",
  ship_date: "2011-07-01",
  ...over,
});

beforeEach(() => {
  vi.spyOn(api, "listLocations").mockResolvedValue([]);
  vi.spyOn(api, "availabilityRules").mockResolvedValue([rule(), rule({ version: 1 })]);
});

describe("availability", () => {
  it("shows what each channel may promise and expands to its locations", async () => {
    const load = vi.spyOn(api, "skuAvailability").mockResolvedValue({
      sku: "85123A",
      channels: [
        {
          channel: "WEB",
          promisable: 12340,
          promisable_inbound: 2000,
          locations: [at("ST-LEEDS"), at("DC-SOUTH", { excluded: true, promisable: 0 })],
        },
        { channel: "B2B", promisable: 0, promisable_inbound: 0, locations: [] },
      ],
    });
    renderWithClient(<AvailabilityPage />);
    fireEvent.change(screen.getByTestId("availability-sku-input"), {
      target: { value: " 85123A " },
    });
    fireEvent.submit(screen.getByTestId("availability-sku-input"));

    const web = await screen.findByTestId("availability-channel-WEB");
    expect(load).toHaveBeenCalledWith("85123A");
    expect(screen.getByTestId("promisable-WEB")).toHaveTextContent("12,340");
    expect(screen.getByTestId("inbound-WEB")).toHaveTextContent("2,000");
    expect(screen.getByTestId("promisable-B2B")).toHaveTextContent("0");
    expect(screen.queryByText("ST-LEEDS")).not.toBeInTheDocument();

    const toggle = within(web).getByRole("button", { name: /WEB/ });
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByText("ST-LEEDS").closest("tr")).toHaveTextContent("web-store-buffer v2");
    expect(screen.getByText("DC-SOUTH").closest("tr")).toHaveTextContent("Excluded");
  });

  it("shows the engine's message for an unknown SKU", async () => {
    vi.spyOn(api, "skuAvailability").mockRejectedValue(
      new ApiError("not_found", "No product NOPE."),
    );
    renderWithClient(<AvailabilityPage />);
    fireEvent.change(screen.getByTestId("availability-sku-input"), { target: { value: "NOPE" } });
    fireEvent.submit(screen.getByTestId("availability-sku-input"));
    expect(await screen.findByRole("alert")).toHaveTextContent("No product NOPE.");
  });

  it("checks a basket and explains a rejection", async () => {
    const check = vi.spyOn(api, "checkBasket").mockResolvedValue({
      accepted: false,
      lines: [{ sku: "22423", quantity: 40, promised: 12, promise_date: null, from_inbound: 30 }],
      plan: {
        picks: [],
        rule: "all_or_nothing",
        explanation: "No location can fill all 40 units of 22423; the order would be refused.",
        ...decisionDetail({
          candidates: [],
          locations_without_stock: 121,
          requested_units: 40,
          filled_units: 0,
          shipping_cost: "0",
        }),
      },
    });
    renderWithClient(<AvailabilityPage />);
    fireEvent.change(screen.getByTestId("basket-channel"), { target: { value: "B2B" } });
    fireEvent.change(screen.getByLabelText("SKU, line 1"), { target: { value: "22423" } });
    fireEvent.change(screen.getByLabelText("Quantity, line 1"), { target: { value: "40" } });
    fireEvent.change(screen.getByLabelText("Unit price, line 1"), { target: { value: "4.95" } });
    fireEvent.change(screen.getByLabelText("Customer latitude"), { target: { value: "53.8" } });
    fireEvent.change(screen.getByLabelText("Customer longitude"), { target: { value: "-1.55" } });
    fireEvent.click(screen.getByTestId("basket-check"));

    const result = await screen.findByTestId("basket-result");
    expect(check).toHaveBeenCalledWith({
      channel: "B2B",
      lines: [{ sku: "22423", quantity: 40, unit_price: "4.95" }],
      customer: [53.8, -1.55],
      pickup_location: null,
      partial_policy: "all_or_nothing",
    });
    expect(screen.getByTestId("basket-verdict")).toHaveTextContent("Rejected");
    expect(within(result).getByTestId("routing-explanation")).toHaveTextContent(
      "No location can fill all 40 units of 22423; the order would be refused.",
    );
    expect(result).toHaveTextContent("121 other locations had no stock.");
    expect(within(result).getByTestId("basket-line-22423")).toHaveTextContent("12");
  });

  it("does not send a basket with half a customer position", async () => {
    const check = vi.spyOn(api, "checkBasket");
    renderWithClient(<AvailabilityPage />);
    fireEvent.change(screen.getByLabelText("SKU, line 1"), { target: { value: "22423" } });
    fireEvent.change(screen.getByLabelText("Customer latitude"), { target: { value: "53.8" } });
    fireEvent.click(screen.getByTestId("basket-check"));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Give both the customer's latitude and longitude, or neither.",
    );
    expect(check).not.toHaveBeenCalled();
  });

  it("lists rule versions and records a new one as a RuleChange", async () => {
    const save = vi
      .spyOn(api, "saveAvailabilityRule")
      .mockResolvedValue(rule({ version: 3, safety_stock: 5 }));
    renderWithClient(<AvailabilityPage />);
    const latest = await screen.findByTestId("rule-row-web-store-buffer-2");
    expect(latest).toHaveTextContent("Store");
    expect(latest).toHaveTextContent("15:00");
    expect(screen.getByTestId("rule-row-web-store-buffer-1")).toBeInTheDocument();

    fireEvent.click(within(latest).getByRole("button", { name: "New version" }));
    expect(screen.getByTestId("rule-ruleKey")).toHaveValue("web-store-buffer");
    fireEvent.change(screen.getByTestId("rule-safetyStock"), { target: { value: "5" } });
    fireEvent.click(screen.getByTestId("rule-includeInbound"));
    fireEvent.change(screen.getByTestId("rule-effectiveFrom"), {
      target: { value: "2011-08-01T06:00:00Z" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save rule version" }));

    expect(await screen.findByTestId("rule-saved")).toHaveTextContent(
      "Saved web-store-buffer version 3",
    );
    expect(save).toHaveBeenCalledWith({
      rule_key: "web-store-buffer",
      channel: "WEB",
      location: null,
      location_kind: "store",
      safety_stock: 5,
      pool_hold: 0,
      excluded: false,
      include_inbound: true,
      pickup_fallback: false,
      daily_capacity: null,
      cutoff_local: "15:00:00",
      effective_from: "2011-08-01T06:00:00.000Z",
    });
    await waitFor(() => expect(screen.getByTestId("rule-ruleKey")).toHaveValue(""));
  });

  it("defaults a new rule to now and refuses negative safety stock before sending", async () => {
    const save = vi.spyOn(api, "saveAvailabilityRule");
    renderWithClient(<AvailabilityPage />);
    const effective = screen.getByTestId("rule-effectiveFrom") as HTMLInputElement;
    expect(Math.abs(Date.parse(effective.value) - Date.now())).toBeLessThan(60_000);
    fireEvent.change(screen.getByTestId("rule-ruleKey"), { target: { value: "b2b-dc" } });
    fireEvent.change(screen.getByTestId("rule-safetyStock"), { target: { value: "-1" } });
    fireEvent.click(screen.getByRole("button", { name: "Save rule version" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Safety stock must be a whole");
    expect(save).not.toHaveBeenCalled();
  });
});
