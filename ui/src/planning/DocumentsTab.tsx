import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Empty, ErrorBox, Loading } from "../components/States";
import { formatQty } from "../components/format";
import { DocumentDetail } from "./DocumentDetail";
import { DocumentsTable } from "./DocumentsTable";
import { OpenOnlyToggle } from "./OpenOnlyToggle";
import type { DocumentKind, DocumentSummary } from "./documents";

type Props<S extends DocumentSummary, L> = { kind: DocumentKind<S, L> };

/** A kind of document, newest first; opening one shows its lines to receive. */
export function DocumentsTab<S extends DocumentSummary, L>({ kind }: Props<S, L>) {
  const [openOnly, setOpenOnly] = useState(true);
  const [selected, setSelected] = useState<number | null>(null);
  const list = useQuery({
    queryKey: kind.listKey(openOnly),
    queryFn: () => kind.list(openOnly),
  });
  const late = list.data?.filter((d) => d.late).length ?? 0;

  return (
    <div className="documents" data-testid={`${kind.testId}s-tab`}>
      <div className="toolbar">
        <OpenOnlyToggle
          openOnly={openOnly}
          onChange={setOpenOnly}
          testId={`${kind.testId}s-all`}
        />
        <span className="muted">
          {list.data && `${formatQty(list.data.length)} shown, newest first`}
          {late > 0 && `; ${formatQty(late)} late`}
        </span>
      </div>
      {list.isPending ? (
        <Loading label={`Loading ${kind.plural.toLowerCase()}…`} />
      ) : list.isError ? (
        <ErrorBox title={`${kind.plural} could not be loaded`} error={list.error} />
      ) : list.data.length === 0 ? (
        <Empty title={openOnly ? kind.noneOpen : `No ${kind.plural.toLowerCase()}`}>
          {kind.raisedBy}
        </Empty>
      ) : (
        <DocumentsTable
          rows={list.data}
          columns={kind.columns}
          testId={kind.testId}
          selected={selected}
          onOpen={setSelected}
        />
      )}
      {selected !== null && (
        <DocumentDetail
          key={selected}
          kind={kind}
          id={selected}
          onClose={() => setSelected(null)}
        />
      )}
    </div>
  );
}
