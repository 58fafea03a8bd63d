import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, keys, useStockCommand, type PurchaseOrderSummary, type ReceiptLine } from "../api";
import { QtyCell } from "../components/Qty";
import { Empty, ErrorBox, Loading } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { formatLondon, formatLondonDay, formatQty } from "../components/format";
import { rowKeys } from "../components/rowKeys";
import { OpenOnlyToggle } from "./OpenOnlyToggle";
import { ReceiveForm } from "./ReceiveForm";
import { LateBadge } from "./UrgencyBadge";

/** Purchase orders to suppliers, newest first; open ones can be received. */
export function PurchaseOrdersTab() {
  const [openOnly, setOpenOnly] = useState(true);
  const [selected, setSelected] = useState<number | null>(null);
  const list = useQuery({
    queryKey: keys.purchaseOrders(openOnly),
    queryFn: () => api.listPurchaseOrders(openOnly),
  });
  const late = list.data?.filter((po) => po.late).length ?? 0;

  return (
    <div className="documents" data-testid="purchase-orders-tab">
      <div className="toolbar">
        <OpenOnlyToggle openOnly={openOnly} onChange={setOpenOnly} testId="purchase-orders-all" />
        <span className="muted">
          {list.data && `${formatQty(list.data.length)} shown, newest first`}
          {late > 0 && `; ${formatQty(late)} late`}
        </span>
      </div>
      {list.isPending ? (
        <Loading label="Loading purchase orders…" />
      ) : list.isError ? (
        <ErrorBox title="Purchase orders could not be loaded" error={list.error} />
      ) : list.data.length === 0 ? (
        <Empty title={openOnly ? "Nothing on order" : "No purchase orders"}>
          Approved purchase proposals raise purchase orders.
        </Empty>
      ) : (
        <PurchaseOrdersTable rows={list.data} selected={selected} onOpen={setSelected} />
      )}
      {selected !== null && (
        <PurchaseOrderDetail key={selected} id={selected} onClose={() => setSelected(null)} />
      )}
    </div>
  );
}

type TableProps = {
  rows: PurchaseOrderSummary[];
  selected: number | null;
  onOpen: (id: number) => void;
};

function PurchaseOrdersTable({ rows, selected, onOpen }: TableProps) {
  return (
    <div className="table-wrap list-box">
      <table className="table" data-testid="purchase-orders-table">
        <thead>
          <tr>
            <th className="num">ID</th>
            <th>Supplier</th>
            <th>Into</th>
            <th>Status</th>
            <th>Ordered</th>
            <th>Expected</th>
            <th className="num">Lines</th>
            <th className="num">Ordered units</th>
            <th className="num">Received</th>
            <th className="num">Rejected</th>
            <th className="num">Open</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((po) => (
            <tr
              key={po.id}
              className={po.id === selected ? "clickable selected" : "clickable"}
              tabIndex={0}
              aria-selected={po.id === selected}
              data-testid={`purchase-order-row-${po.id}`}
              onClick={() => onOpen(po.id)}
              onKeyDown={rowKeys(() => onOpen(po.id))}
            >
              <td className="num">{po.id}</td>
              <td className="code">{po.supplier}</td>
              <td className="code">{po.location}</td>
              <td>
                <StatusBadge status={po.status} />
              </td>
              <td title={formatLondon(po.ordered_at)}>{formatLondonDay(po.ordered_at)}</td>
              <td title={formatLondon(po.expected_at)}>
                {formatLondonDay(po.expected_at)}{" "}
                {po.late && <LateBadge testId={`purchase-order-late-${po.id}`} />}
              </td>
              <td className="num">{formatQty(po.lines)}</td>
              <td className="num">{formatQty(po.ordered)}</td>
              <QtyCell value={po.received} />
              <QtyCell value={po.rejected} />
              <QtyCell value={po.open} />
              <td>{po.created_by}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Receipt = { reference: string; receipt: ReceiptLine[] };

function PurchaseOrderDetail({ id, onClose }: { id: number; onClose: () => void }) {
  const lines = useQuery({
    queryKey: keys.purchaseOrderLines(id),
    queryFn: () => api.purchaseOrderLines(id),
  });
  const receive = useStockCommand(({ reference, receipt }: Receipt) =>
    api.receivePurchaseOrder(id, reference, receipt),
  );
  return (
    <section className="card document-detail" data-testid="purchase-order-detail">
      <header className="detail-header">
        <h3>Purchase order {id}</h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {lines.isPending ? (
        <Loading label="Loading lines…" />
      ) : lines.isError ? (
        <ErrorBox title="Lines could not be loaded" error={lines.error} />
      ) : (
        <ReceiveForm
          key={lines.dataUpdatedAt}
          document={`Purchase order ${id}`}
          testId="receive-purchase-order"
          lines={lines.data.map((l) => ({
            ...l,
            due: l.ordered,
            accepted: l.received,
          }))}
          busy={receive.isPending}
          outcome={receive.data ?? null}
          error={receive.error}
          onReceive={(reference, receipt) => receive.mutate({ reference, receipt })}
        />
      )}
    </section>
  );
}
