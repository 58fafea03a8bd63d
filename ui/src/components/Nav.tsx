export type Page =
  | "inventory"
  | "orders"
  | "returns"
  | "finance"
  | "availability"
  | "exceptions"
  | "planning"
  | "ledger"
  | "settings";

const ITEMS: { page: Page; label: string }[] = [
  { page: "inventory", label: "Inventory" },
  { page: "orders", label: "Orders" },
  { page: "returns", label: "Returns" },
  { page: "finance", label: "Finance" },
  { page: "availability", label: "Availability" },
  { page: "exceptions", label: "Exceptions" },
  { page: "planning", label: "Planning" },
  { page: "ledger", label: "Ledger" },
  { page: "settings", label: "Settings" },
];

export function Nav({ page, onNavigate }: { page: Page; onNavigate: (page: Page) => void }) {
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">Stockroom</div>
      {ITEMS.map((item) => (
        <button
          key={item.page}
          type="button"
          className={item.page === page ? "nav-item active" : "nav-item"}
          aria-current={item.page === page ? "page" : undefined}
          data-testid={`nav-${item.page}`}
          onClick={() => onNavigate(item.page)}
        >
          {item.label}
        </button>
      ))}
    </nav>
  );
}
