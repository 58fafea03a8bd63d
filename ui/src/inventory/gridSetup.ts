import type { ColDef, ValueFormatterParams } from "ag-grid-community";
import type { Position } from "../api";
import { QTY_FIELDS, formatQty, kindLabel } from "../components/format";

export { gridTheme } from "../components/grid";

const qty = (params: ValueFormatterParams<Position, number>) =>
  typeof params.value === "number" ? formatQty(params.value) : "";

const numberColumn = (field: keyof Position, headerName: string): ColDef<Position> => ({
  field,
  headerName,
  width: 112,
  type: "rightAligned",
  valueFormatter: qty,
  cellClassRules: { neg: (p) => typeof p.value === "number" && p.value < 0 },
});

export const positionColumns: ColDef<Position>[] = [
  { field: "sku", headerName: "SKU", width: 110, pinned: "left" },
  { field: "description", headerName: "Description", width: 260 },
  { field: "location", headerName: "Location", width: 120 },
  { field: "location_name", headerName: "Location name", width: 180 },
  {
    field: "location_kind",
    headerName: "Kind",
    width: 150,
    valueFormatter: (p) => (p.value ? kindLabel(p.value) : ""),
  },
  ...QTY_FIELDS.map((f) => numberColumn(f.key, f.label)),
  numberColumn("movement_count", "Movements"),
];

export const defaultColumn: ColDef<Position> = {
  sortable: false,
  resizable: true,
  suppressMovable: false,
};
