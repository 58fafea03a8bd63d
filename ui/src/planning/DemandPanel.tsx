import { useQuery } from "@tanstack/react-query";
import { api, keys, type DemandSeries, type Proposal } from "../api";
import { ErrorBox, Loading } from "../components/States";
import { formatDay } from "../components/format";
import { addDays, chartPoints } from "./demandChart";
import { ForecastChart } from "./ForecastChart";
import { formatRate, methodName } from "./labels";

/** History and forecast of the proposal's SKU at the location it replenishes. */
export function DemandPanel({ proposal }: { proposal: Proposal }) {
  const { sku, location } = proposal;
  const series = useQuery({
    queryKey: keys.demand(sku, location),
    queryFn: () => api.demandSeries(sku, location),
  });
  return (
    <section className="card demand-panel" data-testid="demand-panel">
      <h3>
        Demand for <span className="code">{sku}</span> at{" "}
        <span className="code">{location}</span>{" "}
        <span className="muted">{proposal.description}</span>
      </h3>
      <p className="explanation small" data-testid="proposal-explanation">
        {proposal.explanation}
      </p>
      {series.isPending ? (
        <Loading label="Loading demand…" />
      ) : series.isError ? (
        <ErrorBox title="Demand could not be loaded" error={series.error} />
      ) : (
        <SeriesView series={series.data} />
      )}
    </section>
  );
}

function SeriesView({ series }: { series: DemandSeries }) {
  const points = chartPoints(series);
  const forecastFrom = addDays(series.history_from, series.history.length);
  return (
    <>
      <ForecastChart points={points} forecastFrom={forecastFrom} />
      <dl className="facts" data-testid="forecast-facts">
        <div>
          <dt>Method</dt>
          <dd>{methodName(series.forecast.method)}</dd>
        </div>
        <div>
          <dt>Daily SD</dt>
          <dd>{formatRate(series.forecast.daily_sd)} units</dd>
        </div>
        <div>
          <dt>History shown</dt>
          <dd>
            {formatDay(points[0]?.day ?? series.history_from)} to{" "}
            {formatDay(addDays(forecastFrom, -1))}
          </dd>
        </div>
        <div>
          <dt>Forecast</dt>
          <dd>
            {series.forecast.mean.length} days from {formatDay(forecastFrom)}, with its 80% band
          </dd>
        </div>
      </dl>
    </>
  );
}
