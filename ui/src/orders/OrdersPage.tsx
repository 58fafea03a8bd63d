import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, keys, type OrderStatus } from "../api";
import { LoadOlder } from "../components/LoadOlder";
import { ChannelOptions } from "../components/Options";
import { Empty, ErrorBox, Loading } from "../components/States";
import { formatQty, humanize } from "../components/format";
import { useDebounced } from "../components/useDebounced";
import { ORDER_STATUSES } from "./channels";
import { FulfilmentFigures } from "./FulfilmentFigures";
import { OrderDetailView } from "./OrderDetail";
import { OrdersTable } from "./OrdersTable";

export const PAGE_SIZE = 100;

export type OrdersState = {
  status: OrderStatus | "";
  channel: string;
  text: string;
  selected: number | null;
};
export const initialOrders: OrdersState = { status: "", channel: "", text: "", selected: null };

type Props = { state: OrdersState; onChange: (state: OrdersState) => void };

/** The orders list with its filters, and the selected order below it. */
export function OrdersPage({ state, onChange }: Props) {
  const text = useDebounced(state.text.trim(), 300);
  const filter = {
    status: state.status || null,
    channel: state.channel || null,
    text: text || null,
    limit: PAGE_SIZE,
  };
  const pages = useInfiniteQuery({
    queryKey: keys.orders(filter),
    queryFn: ({ pageParam }) => api.listOrders({ ...filter, before_id: pageParam }),
    initialPageParam: null as number | null,
    // The engine pages by id; a short page is the last one.
    getNextPageParam: (last) => (last.length === PAGE_SIZE ? last[last.length - 1].id : null),
  });
  const orders = pages.data?.pages.flat() ?? [];
  const kpis = useQuery({
    queryKey: keys.fulfilment(state.channel),
    queryFn: () => api.fulfilmentKpis(state.channel || null),
  });
  const select = (selected: number | null) => onChange({ ...state, selected });

  return (
    <div className="page orders-page" data-testid="orders-page">
      {kpis.data && kpis.data.orders > 0 && (
        <FulfilmentFigures kpis={kpis.data} testId="orders-fulfilment" />
      )}
      <div className="toolbar">
        <input
          type="search"
          placeholder="Order id or SKU"
          aria-label="Search orders by channel order id or SKU"
          data-testid="orders-search"
          autoFocus
          value={state.text}
          onChange={(e) => onChange({ ...state, text: e.target.value })}
        />
        <select
          aria-label="Status"
          data-testid="orders-status"
          value={state.status}
          onChange={(e) => onChange({ ...state, status: e.target.value as OrderStatus | "" })}
        >
          <option value="">All statuses</option>
          {ORDER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </select>
        <select
          aria-label="Channel"
          data-testid="orders-channel"
          value={state.channel}
          onChange={(e) => onChange({ ...state, channel: e.target.value })}
        >
          <option value="">All channels</option>
          <ChannelOptions />
        </select>
        <span className="muted">
          {pages.isFetching ? "Refreshing…" : `${formatQty(orders.length)} shown`}
        </span>
      </div>
      {pages.isPending ? (
        <Loading label="Loading orders…" />
      ) : orders.length === 0 && !pages.isError ? (
        <Empty title="No orders match">Clear a filter or search for another order id.</Empty>
      ) : (
        <OrdersTable orders={orders} selected={state.selected} onOpen={select} />
      )}
      {pages.isError && <ErrorBox title="Orders could not be loaded" error={pages.error} />}
      {pages.hasNextPage && (
        <div className="actions">
          <LoadOlder pages={pages} testId="orders-load-older" />
        </div>
      )}
      {state.selected !== null && (
        <OrderDetailView
          key={state.selected}
          orderId={state.selected}
          onClose={() => select(null)}
        />
      )}
    </div>
  );
}
