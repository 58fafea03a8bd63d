import { useQuery } from "@tanstack/react-query";
import { useStockCommand, type ReceiptLine } from "../api";
import { ErrorBox, Loading } from "../components/States";
import { ReceiveForm } from "./ReceiveForm";
import type { DocumentKind, DocumentSummary } from "./documents";

type Props<S extends DocumentSummary, L> = {
  kind: DocumentKind<S, L>;
  id: number;
  onClose: () => void;
};

type Receipt = { reference: string; receipt: ReceiptLine[] };

/** One transfer's or purchase order's lines, with the form that receives them. */
export function DocumentDetail<S extends DocumentSummary, L>(props: Props<S, L>) {
  const { kind, id, onClose } = props;
  const lines = useQuery({ queryKey: kind.linesKey(id), queryFn: () => kind.lines(id) });
  const receive = useStockCommand(({ reference, receipt }: Receipt) =>
    kind.receive(id, reference, receipt),
  );
  const document = `${kind.name} ${id}`;
  return (
    <section className="card document-detail" data-testid={`${kind.testId}-detail`}>
      <header className="detail-header">
        <h3>{document}</h3>
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
          document={document}
          testId={`receive-${kind.testId}`}
          lines={lines.data.map(kind.receivable)}
          busy={receive.isPending}
          outcome={receive.data ?? null}
          error={receive.error}
          onReceive={(reference, receipt) => receive.mutate({ reference, receipt })}
        />
      )}
    </section>
  );
}
