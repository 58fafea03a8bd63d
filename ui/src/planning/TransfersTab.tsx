import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, keys, useStockCommand, type ReceiptLine, type TransferSummary } from "../api";
import { QtyCell } from "../components/Qty";
import { Empty, ErrorBox, Loading } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { formatLondon, formatLondonDay, formatQty } from "../components/format";
import { rowKeys } from "../components/rowKeys";
import { ReceiveForm } from "./ReceiveForm";
import { OpenOnlyToggle } from "./OpenOnlyToggle";
import { LateBadge } from "./UrgencyBadge";

/** Transfers between locations, newest first; open ones can be received. */
export function TransfersTab() {
  const [openOnly, setOpenOnly] = useState(true);
  const [selected, setSelected] = useState<number | null>(null);
  const list = useQuery({
    queryKey: keys.transfers(openOnly),
    queryFn: () => api.listTransfers(openOnly),
  });
  const late = list.data?.filter((t) => t.late).length ?? 0;

  return (
    <div className="documents" data-testid="transfers-tab">
      <div className="toolbar">
        <OpenOnlyToggle openOnly={openOnly} onChange={setOpenOnly} testId="transfers-all" />
        <span className="muted">
          {list.data && `${formatQty(list.data.length)} shown, newest first`}
          {late > 0 && `; ${formatQty(late)} late`}
        </span>
      </div>
      {list.isPending ? (
        <Loading label="Loading transfers…" />
      ) : list.isError ? (
        <ErrorBox title="Transfers could not be loaded" error={list.error} />
      ) : list.data.length === 0 ? (
        <Empty title={openOnly ? "Nothing in transit" : "No transfers"}>
          Approved transfer and rebalance proposals ship transfers.
        </Empty>
      ) : (
        <TransfersTable rows={list.data} selected={selected} onOpen={setSelected} />
      )}
      {selected !== null && (
        <TransferDetail key={selected} id={selected} onClose={() => setSelected(null)} />
      )}
    </div>
  );
}

type TableProps = {
  rows: TransferSummary[];
  selected: number | null;
  onOpen: (id: number) => void;
};

function TransfersTable({ rows, selected, onOpen }: TableProps) {
  return (
    <div className="table-wrap list-box">
      <table className="table" data-testid="transfers-table">
        <thead>
          <tr>
            <th className="num">ID</th>
            <th>Source → destination</th>
            <th>Status</th>
            <th>Shipped</th>
            <th>Expected</th>
            <th className="num">Lines</th>
            <th className="num">Shipped units</th>
            <th className="num">Accepted</th>
            <th className="num">Rejected</th>
            <th className="num">In transit</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr
              key={t.id}
              className={t.id === selected ? "clickable selected" : "clickable"}
              tabIndex={0}
              aria-selected={t.id === selected}
              data-testid={`transfer-row-${t.id}`}
              onClick={() => onOpen(t.id)}
              onKeyDown={rowKeys(() => onOpen(t.id))}
            >
              <td className="num">{t.id}</td>
              <td className="code">
                {t.source} → {t.destination}
              </td>
              <td>
                <StatusBadge status={t.status} />
              </td>
              <td title={formatLondon(t.shipped_at)}>{formatLondonDay(t.shipped_at)}</td>
              <td title={formatLondon(t.expected_at)}>
                {formatLondonDay(t.expected_at)}{" "}
                {t.late && <LateBadge testId={`transfer-late-${t.id}`} />}
              </td>
              <td className="num">{formatQty(t.lines)}</td>
              <td className="num">{formatQty(t.shipped)}</td>
              <QtyCell value={t.accepted} />
              <QtyCell value={t.rejected} />
              <QtyCell value={t.in_transit} />
              <td>{t.created_by}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Receipt = { reference: string; receipt: ReceiptLine[] };

function TransferDetail({ id, onClose }: { id: number; onClose: () => void }) {
  const lines = useQuery({
    queryKey: keys.transferLines(id),
    queryFn: () => api.transferLines(id),
  });
  const receive = useStockCommand(({ reference, receipt }: Receipt) =>
    api.receiveTransfer(id, reference, receipt),
  );
  return (
    <section className="card document-detail" data-testid="transfer-detail">
      <header className="detail-header">
        <h3>Transfer {id}</h3>
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
          document={`Transfer ${id}`}
          testId="receive-transfer"
          lines={lines.data.map((l) => ({ ...l, due: l.shipped, open: l.in_transit }))}
          busy={receive.isPending}
          outcome={receive.data ?? null}
          error={receive.error}
          onReceive={(reference, receipt) => receive.mutate({ reference, receipt })}
        />
      )}
    </section>
  );
}
