import { api, keys, type PurchaseOrderLine, type PurchaseOrderSummary } from "../api";
import { DocumentsTab } from "./DocumentsTab";
import * as column from "./documentColumns";
import type { DocumentKind } from "./documents";

type PO = PurchaseOrderSummary;

// The api is called through its object so that tests can spy on it.
const purchaseOrders: DocumentKind<PO, PurchaseOrderLine> = {
  name: "Purchase order",
  plural: "Purchase orders",
  testId: "purchase-order",
  noneOpen: "Nothing on order",
  raisedBy: "Approved purchase proposals raise purchase orders.",
  columns: [
    column.id,
    column.code<PO>("Supplier", (po) => po.supplier),
    column.code<PO>("Into", (po) => po.location),
    column.status,
    column.day<PO>("Ordered", (po) => po.ordered_at),
    column.expected("purchase-order"),
    column.lines,
    column.count<PO>("Ordered units", (po) => po.ordered),
    column.qty<PO>("Received", (po) => po.received),
    column.qty<PO>("Rejected", (po) => po.rejected),
    column.qty<PO>("Open", (po) => po.open),
    column.createdBy,
  ],
  listKey: keys.purchaseOrders,
  list: (openOnly) => api.listPurchaseOrders(openOnly),
  linesKey: keys.purchaseOrderLines,
  lines: (id) => api.purchaseOrderLines(id),
  receivable: (l) => ({
    line_no: l.line_no,
    sku: l.sku,
    due: l.ordered,
    accepted: l.received,
    rejected: l.rejected,
    open: l.open,
    unit_cost: l.unit_cost,
  }),
  receive: (id, reference, lines) => api.receivePurchaseOrder(id, reference, lines),
};

/** Purchase orders to suppliers, newest first; open ones can be received. */
export function PurchaseOrdersTab() {
  return <DocumentsTab kind={purchaseOrders} />;
}
