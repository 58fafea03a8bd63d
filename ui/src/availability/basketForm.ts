import type { BasketRequest, OrderLineRequest, PartialPolicy } from "../api";

export type LineDraft = { sku: string; quantity: string; unitPrice: string };

export type BasketDraft = {
  channel: string;
  lines: LineDraft[];
  pickup: string;
  latitude: string;
  longitude: string;
  policy: PartialPolicy;
};

export const emptyLine: LineDraft = { sku: "", quantity: "1", unitPrice: "" };

export const initialBasket: BasketDraft = {
  channel: "WEB",
  lines: [emptyLine],
  pickup: "",
  latitude: "",
  longitude: "",
  policy: "all_or_nothing",
};

const PRICE = /^\d+(\.\d{1,4})?$/;

function toLine(draft: LineDraft, index: number): OrderLineRequest {
  const sku = draft.sku.trim();
  const quantity = Number(draft.quantity);
  const where = `Line ${index + 1}`;
  if (!sku) throw new Error(`${where}: enter a SKU.`);
  if (!Number.isInteger(quantity) || quantity <= 0) {
    throw new Error(`${where}: the quantity must be a whole number above zero.`);
  }
  const price = draft.unitPrice.trim();
  if (price === "") return { sku, quantity };
  if (!PRICE.test(price)) throw new Error(`${where}: the unit price must look like 2.55.`);
  return { sku, quantity, unit_price: price };
}

function toCoordinate(text: string, label: string, limit: number): number | null {
  if (text.trim() === "") return null;
  const value = Number(text);
  if (!Number.isFinite(value) || Math.abs(value) > limit) {
    throw new Error(`The ${label} must be a number between -${limit} and ${limit}.`);
  }
  return value;
}

/** The request the engine expects, or an Error saying which field to fix. */
export function toBasketRequest(draft: BasketDraft): BasketRequest {
  const lines = draft.lines.map(toLine);
  const lat = toCoordinate(draft.latitude, "latitude", 90);
  const lon = toCoordinate(draft.longitude, "longitude", 180);
  if ((lat === null) !== (lon === null)) {
    throw new Error("Give both the customer's latitude and longitude, or neither.");
  }
  return {
    channel: draft.channel,
    lines,
    customer: lat === null ? null : [lat, lon],
    pickup_location: draft.pickup || null,
    partial_policy: draft.policy,
  };
}
