import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { api, ApiError } from "../api";
import { policy } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { PolicyTab } from "./PolicyTab";

const history = [
  policy(2, { note: "tighter for autumn" }),
  policy(1, { service_level: 0.9, review_days: 14, effective_from: "2010-12-01T00:00:00Z" }),
];

const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe("planning policy", () => {
  it("saves a new policy version", async () => {
    const versions = vi
      .spyOn(api, "planningPolicies")
      .mockResolvedValueOnce(history)
      .mockResolvedValue([policy(3, { service_level: 0.97, review_days: 5 }), ...history]);
    const save = vi
      .spyOn(api, "changePlanningPolicy")
      .mockResolvedValue(policy(3, { service_level: 0.97, review_days: 5 }));
    renderWithClient(<PolicyTab />);

    const current = await screen.findByTestId("policy-current");
    expect(current).toHaveTextContent("Service level95%");
    expect(current).toHaveTextContent("Review every7 days");
    expect(current).toHaveTextContent("Rebalance within40.0 km");
    expect(current).toHaveTextContent("Authorplanner");
    expect(current).toHaveTextContent("Since01/06/2011, 09:00:00 BST");
    expect(screen.getByTestId("policy-version-1")).toHaveTextContent("90%");
    expect(screen.getByTestId("policy-serviceLevel")).toHaveValue("0.95");

    type("policy-serviceLevel", "0.97");
    type("policy-reviewDays", "5");
    type("policy-note", " peak season ");
    fireEvent.click(screen.getByRole("button", { name: "Save new version" }));

    expect(await screen.findByTestId("policy-saved")).toHaveTextContent(
      "Version 3 saved by planner",
    );
    expect(save).toHaveBeenCalledWith({
      service_level: 0.97,
      review_days: 5,
      rebalance_max_km: 40,
      note: "peak season",
    });
    expect(await screen.findByTestId("policy-version-3")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("policy-current")).toHaveTextContent("97%"));
    expect(versions).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId("policy-note")).toHaveValue("");
  });

  it("shows the engine's refusal, and asks for numbers before sending", async () => {
    vi.spyOn(api, "planningPolicies").mockResolvedValue(history);
    const save = vi
      .spyOn(api, "changePlanningPolicy")
      .mockRejectedValue(
        new ApiError("invalid_input", "service level must be at least 0.5 and below 1, got 1.2"),
      );
    renderWithClient(<PolicyTab />);
    const form = await screen.findByTestId("policy-form");

    type("policy-rebalanceKm", "far");
    fireEvent.submit(form);
    expect(within(form).getByRole("alert")).toHaveTextContent(
      "Rebalancing distance must be a number, e.g. 40.",
    );
    expect(save).not.toHaveBeenCalled();

    type("policy-rebalanceKm", "40");
    type("policy-serviceLevel", "1.2");
    fireEvent.submit(form);
    const alert = await within(form).findByRole("alert");
    expect(alert).toHaveTextContent("service level must be at least 0.5 and below 1, got 1.2");
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ service_level: 1.2 }));
  });
});
