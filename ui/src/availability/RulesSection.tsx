import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, keys, type Rule, type RuleChange } from "../api";
import { Empty, ErrorBox, Invalid, Loading } from "../components/States";
import { checked } from "../components/checked";
import { formatLondon, formatQty, kindLabel } from "../components/format";
import { RuleFields } from "./RuleForm";
import { blankRule, nextVersionOf, toRuleChange, type RuleDraft } from "./ruleForm";

const yes = (flag: boolean) => (flag ? "Yes" : "");

function RulesTable({ rules, onNewVersion }: { rules: Rule[]; onNewVersion: (r: Rule) => void }) {
  return (
    <div className="table-wrap list-box">
      <table className="table compact" data-testid="rules-table">
        <thead>
          <tr>
            <th>Key</th>
            <th className="num">Version</th>
            <th>Channel</th>
            <th>Location / kind</th>
            <th className="num">Safety stock</th>
            <th className="num">Pool hold</th>
            <th>Excluded</th>
            <th>Inbound</th>
            <th>Pickup fallback</th>
            <th className="num">Daily capacity</th>
            <th>Cutoff</th>
            <th>Effective from</th>
            <th>Author</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rules.map((r, i) => (
            <tr
              key={`${r.rule_key}@${r.version}`}
              data-testid={`rule-row-${r.rule_key}-${r.version}`}
            >
              <td className="code">{r.rule_key}</td>
              <td className="num">{r.version}</td>
              <td>{r.channel ?? "All"}</td>
              <td>
                {r.location ?? (r.location_kind ? kindLabel(r.location_kind) : "All locations")}
              </td>
              <td className="num">{formatQty(r.safety_stock)}</td>
              <td className="num">{formatQty(r.pool_hold)}</td>
              <td>{yes(r.excluded)}</td>
              <td>{yes(r.include_inbound)}</td>
              <td>{yes(r.pickup_fallback)}</td>
              <td className="num">
                {r.daily_capacity === null ? "" : formatQty(r.daily_capacity)}
              </td>
              <td>{r.cutoff_local?.slice(0, 5) ?? ""}</td>
              <td>{formatLondon(r.effective_from)}</td>
              <td>{r.author}</td>
              <td>
                {rules[i - 1]?.rule_key !== r.rule_key && (
                  <button type="button" className="link" onClick={() => onNewVersion(r)}>
                    New version
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every version of every availability rule, and a form to record the next one. */
export function RulesSection() {
  const client = useQueryClient();
  const rules = useQuery({ queryKey: keys.rules, queryFn: api.availabilityRules });
  const [draft, setDraft] = useState<RuleDraft>(() => blankRule());
  const [invalid, setInvalid] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (change: RuleChange) => api.saveAvailabilityRule(change),
    onSuccess: () => {
      setDraft(blankRule());
      void client.invalidateQueries({ queryKey: keys.rules });
      void client.invalidateQueries({ queryKey: ["sku-availability"] });
    },
  });
  const ruleKeys = [...new Set(rules.data?.map((r) => r.rule_key))];

  const submit = () => {
    const change = checked(() => toRuleChange(draft));
    setInvalid(change.ok ? null : change.message);
    if (change.ok) save.mutate(change.value);
    else save.reset();
  };

  return (
    <section className="card rules" data-testid="rules-section">
      <h3>Availability rules</h3>
      {rules.isPending ? (
        <Loading label="Loading rules…" />
      ) : rules.isError ? (
        <ErrorBox title="Rules could not be loaded" error={rules.error} />
      ) : rules.data.length === 0 ? (
        <Empty title="No rules yet">Every channel uses the engine's defaults.</Empty>
      ) : (
        <RulesTable
          rules={rules.data}
          onNewVersion={(r) => {
            save.reset();
            setDraft(nextVersionOf(r));
          }}
        />
      )}
      <h4>Record a new version</h4>
      <form
        data-testid="rule-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <RuleFields draft={draft} onChange={setDraft} ruleKeys={ruleKeys} />
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save rule version"}
          </button>
          <button type="button" onClick={() => setDraft(blankRule())}>
            Clear
          </button>
        </div>
      </form>
      <Invalid message={invalid} />
      {save.isError && <ErrorBox title="The rule was not saved" error={save.error} />}
      {save.isSuccess && (
        <p className="success" role="status" data-testid="rule-saved">
          Saved {save.data.rule_key} version {save.data.version}, in force from{" "}
          {formatLondon(save.data.effective_from)}.
        </p>
      )}
    </section>
  );
}
