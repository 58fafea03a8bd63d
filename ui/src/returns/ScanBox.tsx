import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api";
import { ErrorBox } from "../components/States";
import { formatQty } from "../components/format";
import { ReturnsTable } from "./ReturnsTable";

type Props = { selected: number | null; onOpen: (id: number) => void };

/**
 * The scanner's box, in focus when the workstation opens: a return number, return id,
 * order number or customer, then Enter. One match opens at once; several are listed.
 */
export function ScanBox({ selected, onOpen }: Props) {
  const [text, setText] = useState("");
  const find = useMutation({ mutationFn: (scanned: string) => api.findReturns(scanned) });
  const open = (id: number) => {
    find.reset();
    setText("");
    onOpen(id);
  };
  const scan = () => {
    const scanned = text.trim();
    if (scanned === "" || find.isPending) return;
    find.mutate(scanned, {
      onSuccess: (hits) => {
        if (hits.length === 1) open(hits[0].id);
      },
    });
  };

  return (
    <section className="scan-box">
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          scan();
        }}
      >
        <input
          type="search"
          className="scan-input"
          placeholder="Scan or type RMA, return id, order number or customer"
          aria-label="Find a return by RMA, return id, order number or customer"
          data-testid="returns-scan"
          autoFocus
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" disabled={find.isPending || text.trim() === ""}>
          {find.isPending ? "Finding…" : "Find"}
        </button>
      </form>
      {find.isError && <ErrorBox title="Returns could not be searched" error={find.error} />}
      {find.data?.length === 0 && (
        <p className="notice" role="status" data-testid="returns-no-match">
          No return matches “{find.variables}”.
        </p>
      )}
      {find.data && find.data.length > 1 && (
        <div className="matches" data-testid="returns-matches">
          <p className="hint">
            {formatQty(find.data.length)} returns match “{find.variables}”: pick one.
          </p>
          <ReturnsTable
            rows={find.data}
            selected={selected}
            onOpen={open}
            testId="returns-match"
          />
        </div>
      )}
    </section>
  );
}
