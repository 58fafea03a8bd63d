import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { api, ApiError } from "../api";
import { status } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { SettingsPage } from "./SettingsPage";

const profile = { host: "db.shop.lan", port: 5432, database: "stockroom", user: "ops" };

describe("settings", () => {
  it("says plainly that no keyring exists and connects without remembering", async () => {
    vi.spyOn(api, "getSettings").mockResolvedValue({
      mode: "shared",
      shared: { ...profile, tls: "require" },
      keyring_available: false,
      keyring_message: "no Secret Service is running",
    });
    const save = vi.spyOn(api, "saveSharedProfile").mockResolvedValue({
      password_stored: false,
      keyring_message: null,
    });
    const connect = vi.spyOn(api, "connectShared").mockResolvedValue(
      status({ mode: "shared", database: "ops@db.shop.lan:5432/stockroom" }),
    );
    renderWithClient(<SettingsPage />);

    expect(await screen.findByTestId("keyring-unavailable")).toHaveTextContent(
      "No OS keyring is available on this computer, so the password is asked for each " +
        "session and never stored.",
    );
    expect(screen.queryByLabelText(/Remember the password/)).not.toBeInTheDocument();

    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "s3cret" } });
    fireEvent.click(screen.getByRole("button", { name: "Save and connect" }));
    expect(await screen.findByText(/Connected to ops@db.shop.lan/)).toBeInTheDocument();
    expect(save).toHaveBeenCalledWith({ ...profile, tls: "require" }, "s3cret", false);
    expect(connect).toHaveBeenCalledWith("s3cret");
  });

  it("shows a connection failure with its code", async () => {
    vi.spyOn(api, "getSettings").mockResolvedValue({
      mode: "shared",
      shared: { ...profile, tls: "prefer" },
      keyring_available: true,
      keyring_message: null,
    });
    vi.spyOn(api, "saveSharedProfile").mockResolvedValue({
      password_stored: true,
      keyring_message: null,
    });
    vi.spyOn(api, "connectShared").mockRejectedValue(
      new ApiError("database_unavailable", "Could not reach db.shop.lan:5432."),
    );
    renderWithClient(<SettingsPage />);
    expect(await screen.findByLabelText(/Remember the password/)).toBeChecked();
    fireEvent.click(screen.getByRole("button", { name: "Save and connect" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not reach db.shop.lan:5432.");
    expect(alert).toHaveTextContent("database_unavailable");
  });

  it("reports zero drift as success and lists drifts otherwise", async () => {
    vi.spyOn(api, "getSettings").mockResolvedValue({
      mode: "local",
      shared: null,
      keyring_available: true,
      keyring_message: null,
    });
    const verify = vi
      .spyOn(api, "verifyLedger")
      .mockResolvedValueOnce({ positions_checked: 41000, movements: 900000, drifts: [] })
      .mockResolvedValueOnce({
        positions_checked: 41000,
        movements: 900000,
        drifts: [
          { sku: "22423", location: "DS-LEEDS", state: "reserved", position: 5, ledger: 3 },
        ],
      });
    renderWithClient(<SettingsPage />);
    fireEvent.click(await screen.findByRole("button", { name: "Verify ledger" }));
    expect(await screen.findByTestId("verify-ok")).toHaveTextContent("41,000 positions");

    fireEvent.click(screen.getByRole("button", { name: "Verify ledger" }));
    const drifts = await screen.findByTestId("verify-drifts");
    expect(drifts).toHaveTextContent("DS-LEEDS");
    expect(drifts).toHaveTextContent("Reserved");
    expect(verify).toHaveBeenCalledTimes(2);
  });
});
