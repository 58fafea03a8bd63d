import type { ColDef, ICellRendererParams, ValueFormatterParams } from "ag-grid-community";
import type { Proposal } from "../api";
import { formatQty } from "../components/format";
import { wholeUnits, type Edits } from "./approvals";
import { formatRate, kindName } from "./labels";
import { UrgencyBadge } from "./UrgencyBadge";

type Cell<T> = ValueFormatterParams<Proposal, T>;

const qty = (p: Cell<number>) => (typeof p.value === "number" ? formatQty(p.value) : "");

const units = (field: keyof Proposal, headerName: string, width = 104): ColDef<Proposal> => ({
  field,
  headerName,
  width,
  type: "rightAligned",
  valueFormatter: qty,
});

type Editing = {
  /** Read when a cell draws, so an edit shows at once. */
  edits: () => Edits;
  onEdit: (id: number, quantity: number) => void;
};

/** The proposals grid's columns; only the quantity is editable. */
export function proposalColumns({ edits, onEdit }: Editing): ColDef<Proposal>[] {
  return [
    {
      field: "urgency",
      headerName: "Urgency",
      width: 104,
      pinned: "left",
      cellRenderer: (p: ICellRendererParams<Proposal>) =>
        p.data ? <UrgencyBadge urgency={p.data.urgency} /> : null,
    },
    {
      field: "kind",
      headerName: "Kind",
      width: 96,
      valueFormatter: (p: Cell<Proposal["kind"]>) => (p.value ? kindName(p.value) : ""),
    },
    {
      field: "sku",
      headerName: "SKU",
      width: 92,
      cellClass: "code",
      cellRenderer: (p: ICellRendererParams<Proposal>) =>
        p.data ? <span data-testid={`proposal-sku-${p.data.id}`}>{p.data.sku}</span> : null,
    },
    { field: "description", headerName: "Description", width: 230, tooltipField: "description" },
    { field: "location", headerName: "To", width: 92, cellClass: "code" },
    {
      colId: "from",
      headerName: "From",
      width: 100,
      cellClass: "code",
      valueGetter: (p) => p.data?.supplier ?? p.data?.source_location ?? "",
    },
    {
      colId: "quantity",
      headerName: "Quantity",
      width: 96,
      type: "rightAligned",
      editable: true,
      cellEditor: "agNumberCellEditor",
      cellEditorParams: { precision: 0, step: 1 },
      headerTooltip: "Double-click or press Enter to change the quantity before approving",
      valueGetter: (p) => (p.data ? (edits().get(p.data.id) ?? p.data.quantity) : null),
      valueSetter: (p) => {
        const quantity = wholeUnits(p.newValue);
        if (!p.data || quantity === null) return false;
        onEdit(p.data.id, quantity);
        return true;
      },
      valueFormatter: qty,
      cellClassRules: {
        edited: (p) => p.data !== undefined && edits().has(p.data.id),
      },
    },
    {
      field: "daily_demand",
      headerName: "Daily demand",
      width: 104,
      type: "rightAligned",
      valueFormatter: (p: Cell<number | null>) => formatRate(p.value ?? null),
    },
    units("inventory_position", "Inv. position", 108),
    units("safety_stock", "Safety stock"),
    units("reorder_point", "Reorder point", 110),
    units("order_up_to", "Order-up-to"),
    {
      field: "explanation",
      headerName: "Explanation",
      flex: 1,
      minWidth: 320,
      tooltipField: "explanation",
    },
  ];
}
