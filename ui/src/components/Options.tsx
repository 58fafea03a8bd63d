import type { Location } from "../api";
import { CHANNELS } from "../orders/channels";
import { LOCATION_KINDS, kindLabel } from "./format";

/** <option>s for a location <select>: "DC-SOUTH — Southern DC". */
export function LocationOptions({ locations }: { locations: Location[] | undefined }) {
  return (
    <>
      {locations?.map((l) => (
        <option key={l.code} value={l.code}>
          {l.code} — {l.name}
        </option>
      ))}
    </>
  );
}

export function KindOptions() {
  return (
    <>
      {LOCATION_KINDS.map((k) => (
        <option key={k} value={k}>
          {kindLabel(k)}
        </option>
      ))}
    </>
  );
}

export function ChannelOptions() {
  return (
    <>
      {CHANNELS.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </>
  );
}
