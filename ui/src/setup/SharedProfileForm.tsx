import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Settings, type SharedProfile, type TlsMode } from "../api";
import { ErrorBox } from "../components/States";

const TLS_MODES: { value: TlsMode; label: string }[] = [
  { value: "disable", label: "Disable" },
  { value: "prefer", label: "Prefer" },
  { value: "require", label: "Require" },
  { value: "verify_full", label: "Verify full (certificate and host name)" },
];

const BLANK: SharedProfile = {
  host: "",
  port: 5432,
  database: "stockroom",
  user: "",
  tls: "prefer",
};

/** Shared PostgreSQL profile, password and keyring choice; saves then connects. */
export function SharedProfileForm({ settings }: { settings: Settings }) {
  const queryClient = useQueryClient();
  const [profile, setProfile] = useState<SharedProfile>(settings.shared ?? BLANK);
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(settings.keyring_available);
  const set = <K extends keyof SharedProfile>(key: K, value: SharedProfile[K]) =>
    setProfile((current) => ({ ...current, [key]: value }));

  const connect = useMutation({
    mutationFn: async () => {
      const secret = password === "" ? null : password;
      const saved = await api.saveSharedProfile(profile, secret, remember);
      const status = await api.connectShared(secret);
      return { saved, status };
    },
    onSettled: () => queryClient.invalidateQueries(),
  });
  const valid = profile.host.trim() !== "" && profile.user.trim() !== "" && profile.port > 0;

  return (
    <form
      className="profile-form"
      onSubmit={(e) => {
        e.preventDefault();
        connect.mutate();
      }}
    >
      <div className="grid-form">
        <label>
          Host
          <input value={profile.host} onChange={(e) => set("host", e.target.value)} />
        </label>
        <label>
          Port
          <input
            type="number"
            min={1}
            max={65535}
            value={profile.port}
            onChange={(e) => set("port", Number(e.target.value))}
          />
        </label>
        <label>
          Database
          <input value={profile.database} onChange={(e) => set("database", e.target.value)} />
        </label>
        <label>
          User
          <input value={profile.user} onChange={(e) => set("user", e.target.value)} />
        </label>
        <label>
          TLS
          <select value={profile.tls} onChange={(e) => set("tls", e.target.value as TlsMode)}>
            {TLS_MODES.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
      </div>
      {settings.keyring_available ? (
        <label className="check">
          <input
            type="checkbox"
            checked={remember}
            onChange={(e) => setRemember(e.target.checked)}
          />
          Remember the password in the OS keyring
        </label>
      ) : (
        <p className="notice" data-testid="keyring-unavailable">
          No OS keyring is available on this computer, so the password is asked for each
          session and never stored.
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={!valid || connect.isPending}>
          {connect.isPending ? "Connecting…" : "Save and connect"}
        </button>
      </div>
      {connect.isError && <ErrorBox title="Could not connect" error={connect.error} />}
      {connect.data && (
        <p className="success" role="status">
          Connected to {connect.data.status.database}.{" "}
          {connect.data.saved.password_stored
            ? "The password is stored in the OS keyring."
            : "The password was not stored."}
          {connect.data.saved.keyring_message && ` ${connect.data.saved.keyring_message}`}
        </p>
      )}
    </form>
  );
}
