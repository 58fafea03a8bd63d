import { useMutation } from "@tanstack/react-query";
import { ErrorBox } from "../components/States";

type Props = {
  /** Writes the CSV and resolves with the file's path. */
  run: () => Promise<string>;
  testId: string;
  disabled?: boolean;
};

/** "Export CSV", then where the file went (or why it was not written). */
export function ExportButton({ run, testId, disabled }: Props) {
  const exported = useMutation({ mutationFn: run });
  return (
    <div className="export">
      <button
        type="button"
        data-testid={testId}
        disabled={disabled || exported.isPending}
        onClick={() => exported.mutate()}
      >
        {exported.isPending ? "Exporting…" : "Export CSV"}
      </button>
      {exported.isSuccess && (
        <span className="success" role="status" data-testid={`${testId}-path`}>
          Saved to <code>{exported.data}</code>
        </span>
      )}
      {exported.isError && <ErrorBox title="The CSV was not written" error={exported.error} />}
    </div>
  );
}
