import type { CellFocusedEvent } from "ag-grid-community";
import { AgGridReact } from "ag-grid-react";
import { useMemo } from "react";
import type { Proposal } from "../api";
import { gridTheme } from "../components/grid";
import type { Edits } from "./approvals";
import { proposalColumns } from "./proposalColumns";

type Props = {
  rows: Proposal[];
  /** Read when a quantity cell draws. */
  edits: () => Edits;
  onEdit: (id: number, quantity: number) => void;
  onSelect: (selected: Proposal[]) => void;
  /** The row the planner is on (clicked or reached with the arrow keys). */
  onFocus: (proposal: Proposal) => void;
};

/** Open proposals in the engine's order, most urgent first; tick rows to decide them. */
export function ProposalsGrid({ rows, edits, onEdit, onSelect, onFocus }: Props) {
  const columns = useMemo(() => proposalColumns({ edits, onEdit }), [edits, onEdit]);
  const focus = (e: CellFocusedEvent<Proposal>) => {
    const row = e.rowIndex === null ? undefined : e.api.getDisplayedRowAtIndex(e.rowIndex);
    if (row?.data) onFocus(row.data);
  };
  return (
    <div className="grid-host proposals-grid" data-testid="proposals-grid">
      <AgGridReact<Proposal>
        theme={gridTheme}
        rowData={rows}
        columnDefs={columns}
        defaultColDef={{ resizable: true, sortable: true }}
        getRowId={(p) => String(p.data.id)}
        rowSelection={{ mode: "multiRow", checkboxes: true, headerCheckbox: true }}
        selectionColumnDef={{ pinned: "left", width: 44 }}
        singleClickEdit={false}
        stopEditingWhenCellsLoseFocus
        tooltipShowDelay={400}
        overlayNoRowsTemplate="No open proposals match these filters."
        onSelectionChanged={(e) => onSelect(e.api.getSelectedRows())}
        onCellFocused={focus}
        onRowClicked={(e) => e.data && onFocus(e.data)}
      />
    </div>
  );
}
