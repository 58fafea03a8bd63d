import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, keys } from "./api";
import { Nav, type Page } from "./components/Nav";
import { ErrorBox, Loading } from "./components/States";
import { TopBar } from "./components/TopBar";
import { AvailabilityPage } from "./availability/AvailabilityPage";
import { ExceptionsPage } from "./exceptions/ExceptionsPage";
import { FinancePage, initialFinance, type FinanceState } from "./finance/FinancePage";
import { InventoryPage, initialInventory, type InventoryState } from "./inventory/InventoryPage";
import { LedgerPage, type LedgerTarget } from "./ledger/LedgerPage";
import { OrdersPage, initialOrders, type OrdersState } from "./orders/OrdersPage";
import { PlanningPage, initialPlanning, type PlanningState } from "./planning/PlanningPage";
import { ReturnsPage, initialReturns, type ReturnsState } from "./returns/ReturnsPage";
import { FirstRun } from "./setup/FirstRun";
import { SettingsPage } from "./setup/SettingsPage";

export function App() {
  const status = useQuery({ queryKey: keys.status, queryFn: api.appStatus });
  const [page, setPage] = useState<Page>("inventory");
  const [inventory, setInventory] = useState<InventoryState>(initialInventory);
  const [ledger, setLedger] = useState<LedgerTarget | null>(null);
  const [orders, setOrders] = useState<OrdersState>(initialOrders);
  const [planning, setPlanning] = useState<PlanningState>(initialPlanning);
  const [returns, setReturns] = useState<ReturnsState>(initialReturns);
  const [finance, setFinance] = useState<FinanceState>(initialFinance);
  // null: decide from the data; true/false: the user is in (or has left) first-run setup.
  const [setupOpen, setSetupOpen] = useState<boolean | null>(null);

  const openLedger = (sku: string, location: string) => {
    setLedger({ sku, location });
    setPage("ledger");
  };
  const openOrder = (selected: number) => {
    setOrders({ ...orders, selected });
    setPage("orders");
  };
  const navigate = (next: Page) => {
    if (next !== "settings" && status.data && status.data.data.movements > 0) {
      setSetupOpen(false);
    }
    setPage(next);
  };

  const renderMain = () => {
    if (page === "settings") return <SettingsPage />;
    if (status.isPending) return <Loading label="Connecting to the engine…" />;
    if (status.isError) return <ErrorBox title="Stockroom cannot start" error={status.error} />;
    if (setupOpen ?? status.data.data.movements === 0) {
      return (
        <FirstRun
          status={status.data}
          onLoaded={() => setSetupOpen(true)}
          onContinue={() => setSetupOpen(false)}
        />
      );
    }
    if (page === "ledger") return <LedgerPage target={ledger} onTargetChange={setLedger} />;
    if (page === "orders") return <OrdersPage state={orders} onChange={setOrders} />;
    if (page === "returns") return <ReturnsPage state={returns} onChange={setReturns} />;
    if (page === "finance") return <FinancePage state={finance} onChange={setFinance} />;
    if (page === "availability") return <AvailabilityPage />;
    if (page === "exceptions") return <ExceptionsPage onOpenOrder={openOrder} />;
    if (page === "planning") return <PlanningPage state={planning} onChange={setPlanning} />;
    return <InventoryPage state={inventory} onChange={setInventory} onOpenLedger={openLedger} />;
  };

  return (
    <div className="shell">
      <Nav page={page} onNavigate={navigate} />
      <div className="body">
        <TopBar status={status} />
        <main className="main">{renderMain()}</main>
      </div>
    </div>
  );
}
