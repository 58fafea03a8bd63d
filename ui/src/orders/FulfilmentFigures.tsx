import type { FulfilmentKpis } from "../api";
import { formatQty } from "../components/format";

/** Floats cross the bridge as `number | null` (JSON has no NaN): null shows as a dash. */
const percent = (share: number | null) => (share === null ? "—" : `${(share * 100).toFixed(1)}%`);
const km = (distance: number | null) => (distance === null ? "—" : `${distance.toFixed(1)} km`);

/** Fill rate, split rate, distance and cost per order, as the engine computed them. */
export function FulfilmentFigures({ kpis, testId }: { kpis: FulfilmentKpis; testId: string }) {
  const figures: [string, string, string][] = [
    ["Orders", formatQty(kpis.orders), `${formatQty(kpis.orders_unfilled)} unfilled`],
    [
      "Fill rate (units)",
      percent(kpis.fill_rate),
      `${formatQty(kpis.units_shipped + kpis.units_open)} of ${formatQty(kpis.units_ordered)}`,
    ],
    ["Orders complete", percent(kpis.order_fill_rate), `${formatQty(kpis.orders_partial)} partial`],
    ["Split rate", percent(kpis.split_rate), `${formatQty(kpis.shipments)} parcels`],
    ["Distance", km(kpis.average_distance_km), "per parcel"],
    ["Cost per order", `£${kpis.cost_per_order}`, "carrier + handling"],
  ];
  return (
    <dl className="figures" data-testid={testId}>
      {figures.map(([label, value, note]) => (
        <div className="figure" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
          <small className="muted">{note}</small>
        </div>
      ))}
    </dl>
  );
}
