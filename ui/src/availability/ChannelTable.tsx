import { Fragment, useState } from "react";
import type { ChannelAvailability, LocationAvailability } from "../api";
import { QtyCell } from "../components/Qty";
import { formatDay, formatQty, kindLabel } from "../components/format";

const LOCATION_HEADINGS = [
  "Location",
  "Kind",
  "Available",
  "Safety stock",
  "Pool hold",
  "Excluded",
  "Promisable",
  "Inbound promisable",
  "Rule source",
  "Ship date",
];

function LocationRows({ rows }: { rows: LocationAvailability[] }) {
  return (
    <table className="table compact nested">
      <thead>
        <tr>
          {LOCATION_HEADINGS.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((l) => (
          <tr key={l.location} className={l.excluded ? "excluded" : undefined}>
            <td className="code">{l.location}</td>
            <td>{kindLabel(l.kind)}</td>
            <QtyCell value={l.available} />
            <td className="num">{formatQty(l.safety_stock)}</td>
            <td className="num">{formatQty(l.pool_hold)}</td>
            <td>{l.excluded ? "Excluded" : ""}</td>
            <QtyCell value={l.promisable} />
            <QtyCell value={l.promisable_inbound} />
            <td className="code">{l.rule}</td>
            <td>{formatDay(l.ship_date)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What each channel may promise; a channel row expands to its locations. */
export function ChannelTable({ channels }: { channels: ChannelAvailability[] }) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (channel: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(channel)) next.add(channel);
      return next;
    });

  return (
    <div className="table-wrap">
      <table className="table channels" data-testid="availability-channels">
        <thead>
          <tr>
            <th>Channel</th>
            <th className="num">Promisable</th>
            <th className="num">From inbound</th>
            <th className="num">Locations</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((c) => {
            const open = expanded.has(c.channel);
            return (
              <Fragment key={c.channel}>
                <tr data-testid={`availability-channel-${c.channel}`}>
                  <td>
                    <button
                      type="button"
                      className="disclosure"
                      aria-expanded={open}
                      onClick={() => toggle(c.channel)}
                    >
                      <span aria-hidden="true">{open ? "▾" : "▸"}</span> {c.channel}
                    </button>
                  </td>
                  <QtyCell value={c.promisable} testId={`promisable-${c.channel}`} />
                  <QtyCell value={c.promisable_inbound} testId={`inbound-${c.channel}`} />
                  <td className="num">{formatQty(c.locations.length)}</td>
                </tr>
                {open && (
                  <tr className="subrow">
                    <td colSpan={4}>
                      <LocationRows rows={c.locations} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
