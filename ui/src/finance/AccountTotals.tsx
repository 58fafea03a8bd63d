import type { AccountTotal } from "../api";
import { formatMoney } from "../components/format";

/** Debits, credits and balance per account over the whole filter, not just this page. */
export function AccountTotals({ totals }: { totals: AccountTotal[] }) {
  return (
    <section className="account-totals">
      <h4>Totals per account over the filter</h4>
      <div className="table-wrap">
        <table className="table compact" data-testid="journal-totals">
          <thead>
            <tr>
              <th>Account</th>
              <th>Name</th>
              <th className="num">Debit</th>
              <th className="num">Credit</th>
              <th className="num">Balance</th>
            </tr>
          </thead>
          <tbody>
            {totals.map((t) => (
              <tr key={t.account} data-testid={`journal-total-${t.account}`}>
                <td className="code">{t.account}</td>
                <td>{t.account_name}</td>
                <td className="num">{formatMoney(t.debit)}</td>
                <td className="num">{formatMoney(t.credit)}</td>
                <td className="num">{formatMoney(t.balance)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
