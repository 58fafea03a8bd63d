import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, keys, type Policy, type PolicyChange } from "../api";
import { checked } from "../components/checked";
import { Empty, ErrorBox, Invalid, Loading } from "../components/States";
import { formatKm, formatLondon } from "../components/format";
import { formatShare } from "./labels";
import { policyForm, toPolicyChange, type PolicyForm } from "./policyForm";

/** The planning policy in force, its earlier versions, and a form for the next one. */
export function PolicyTab() {
  const versions = useQuery({ queryKey: keys.policies, queryFn: api.planningPolicies });
  if (versions.isPending) return <Loading label="Loading the planning policy…" />;
  if (versions.isError) {
    return <ErrorBox title="The planning policy could not be loaded" error={versions.error} />;
  }
  const [current] = versions.data;
  return (
    <div className="policy" data-testid="policy-tab">
      <section className="card">
        <h3>Policy in force</h3>
        {current ? <PolicyFacts policy={current} /> : <Empty title="No policy yet" />}
      </section>
      <section className="card">
        <h3>New version</h3>
        <PolicyEditor current={current} />
      </section>
      <section>
        <h3>History</h3>
        <PolicyHistory versions={versions.data} />
      </section>
    </div>
  );
}

function PolicyFacts({ policy }: { policy: Policy }) {
  const facts: [string, string][] = [
    ["Version", String(policy.version)],
    ["Service level", formatShare(policy.service_level)],
    ["Review every", `${policy.review_days} day${policy.review_days === 1 ? "" : "s"}`],
    ["Rebalance within", formatKm(policy.rebalance_max_km)],
    ["Author", policy.author],
    ["Since", formatLondon(policy.effective_from)],
  ];
  return (
    <dl className="facts" data-testid="policy-current">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      {policy.note && (
        <div>
          <dt>Note</dt>
          <dd>{policy.note}</dd>
        </div>
      )}
    </dl>
  );
}

function PolicyEditor({ current }: { current: Policy | undefined }) {
  const client = useQueryClient();
  const [form, setForm] = useState<PolicyForm>(() => policyForm(current));
  const [invalid, setInvalid] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (change: PolicyChange) => api.changePlanningPolicy(change),
    onSuccess: () => {
      setForm((typed) => ({ ...typed, note: "" }));
      void client.invalidateQueries({ queryKey: keys.policies });
    },
  });
  const field = (key: keyof PolicyForm, label: string, hint: string) => (
    <label>
      {label}
      <input
        value={form[key]}
        placeholder={hint}
        data-testid={`policy-${key}`}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </label>
  );
  const submit = () => {
    save.reset();
    const change = checked(() => toPolicyChange(form));
    setInvalid(change.ok ? null : change.message);
    if (change.ok) save.mutate(change.value);
  };

  return (
    <form
      data-testid="policy-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!save.isPending) submit();
      }}
    >
      <div className="form-row">
        {field("serviceLevel", "Service level (0.5 to below 1)", "0.95")}
        {field("reviewDays", "Review days", "7")}
        {field("rebalanceKm", "Rebalance within (km)", "40")}
        {field("note", "Note", "why this change")}
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save new version"}
        </button>
      </div>
      <p className="hint">A new version applies from now on; the next plan run uses it.</p>
      <Invalid message={invalid} />
      {save.isError && <ErrorBox title="The policy was not saved" error={save.error} />}
      {save.isSuccess && (
        <p className="success" role="status" data-testid="policy-saved">
          Version {save.data.version} saved by {save.data.author}, in force since{" "}
          {formatLondon(save.data.effective_from)}.
        </p>
      )}
    </form>
  );
}

function PolicyHistory({ versions }: { versions: Policy[] }) {
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid="policy-history">
        <thead>
          <tr>
            <th className="num">Version</th>
            <th>Effective from</th>
            <th>Author</th>
            <th className="num">Service level</th>
            <th className="num">Review days</th>
            <th className="num">Rebalance within</th>
            <th>Note</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((p) => (
            <tr key={p.version} data-testid={`policy-version-${p.version}`}>
              <td className="num">{p.version}</td>
              <td>{formatLondon(p.effective_from)}</td>
              <td>{p.author}</td>
              <td className="num">{formatShare(p.service_level)}</td>
              <td className="num">{p.review_days}</td>
              <td className="num">{formatKm(p.rebalance_max_km)}</td>
              <td className="wrap">{p.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
