import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, keys, type DatabaseMode } from "../api";
import { ErrorBox, Loading } from "../components/States";
import { SharedProfileForm } from "./SharedProfileForm";
import { VerifyLedger } from "./VerifyLedger";

export function SettingsPage() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: keys.settings, queryFn: api.getSettings });
  const [choice, setChoice] = useState<DatabaseMode | null>(null);
  const switchLocal = useMutation({
    mutationFn: api.useLocal,
    onSettled: () => queryClient.invalidateQueries(),
  });

  if (settings.isPending) return <Loading label="Loading settings…" />;
  if (settings.isError) return <ErrorBox title="Settings unavailable" error={settings.error} />;
  const mode = choice ?? settings.data.mode;

  return (
    <div className="page settings">
      <section className="card">
        <h3>Database</h3>
        <div className="radio-row" role="radiogroup" aria-label="Database mode">
          {(["local", "shared"] as const).map((m) => (
            <label key={m} className="check">
              <input
                type="radio"
                name="mode"
                value={m}
                checked={mode === m}
                onChange={() => setChoice(m)}
              />
              {m === "local" ? "Local (on this computer)" : "Shared (PostgreSQL server)"}
            </label>
          ))}
        </div>
        {mode === "local" ? (
          <div className="actions">
            <p className="muted">
              Stockroom runs its own database on this computer. No server or password needed.
            </p>
            {settings.data.mode !== "local" && (
              <button
                type="button"
                className="primary"
                onClick={() => switchLocal.mutate()}
                disabled={switchLocal.isPending}
              >
                {switchLocal.isPending ? "Switching…" : "Use local database"}
              </button>
            )}
            {switchLocal.isError && <ErrorBox error={switchLocal.error} />}
          </div>
        ) : (
          <SharedProfileForm settings={settings.data} />
        )}
      </section>
      <section className="card">
        <h3>Ledger integrity</h3>
        <p className="muted">
          Every position must equal the sum of its movements. Verification recomputes all of
          them from the append-only ledger.
        </p>
        <VerifyLedger />
      </section>
    </div>
  );
}
