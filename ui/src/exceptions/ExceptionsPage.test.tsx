import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { api, ApiError } from "../api";
import { exception } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { ExceptionsPage, LIMIT } from "./ExceptionsPage";

describe("exception queue", () => {
  it("lists open exceptions and resolves one only with a resolution text", async () => {
    const list = vi
      .spyOn(api, "listExceptions")
      .mockResolvedValueOnce([exception(4), exception(9, { owner: "amira", order_id: null })])
      .mockResolvedValue([exception(9, { owner: "amira", order_id: null })]);
    const resolve = vi.spyOn(api, "resolveException").mockResolvedValue(null);
    renderWithClient(<ExceptionsPage onOpenOrder={() => {}} />);

    const row = await screen.findByTestId("exception-row-4");
    expect(list).toHaveBeenCalledWith({ open_only: true, kind: null, owner: null, limit: LIMIT });
    expect(row).toHaveTextContent("Store not found");
    expect(row).toHaveTextContent("Unassigned");
    expect(row).toHaveTextContent("2 d");
    expect(screen.getByTestId("exception-row-9")).toHaveTextContent("amira");

    fireEvent.click(within(row).getByTestId("resolve-4"));
    const prompt = screen.getByTestId("prompt-resolve");
    const confirm = within(prompt).getByRole("button", { name: "Resolve" });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(prompt).getByLabelText(/Resolution/), { target: { value: "   " } });
    expect(confirm).toBeDisabled();
    fireEvent.submit(prompt);
    expect(resolve).not.toHaveBeenCalled();

    fireEvent.change(within(prompt).getByLabelText(/Resolution/), {
      target: { value: " counted: 2 found in back room " },
    });
    fireEvent.click(confirm);
    await waitFor(() => expect(screen.queryByTestId("exception-row-4")).not.toBeInTheDocument());
    expect(resolve).toHaveBeenCalledWith(4, "counted: 2 found in back room");
  });

  it("assigns an owner and shows the engine's refusal", async () => {
    vi.spyOn(api, "listExceptions").mockResolvedValue([exception(4)]);
    const assign = vi
      .spyOn(api, "assignException")
      .mockRejectedValue(new ApiError("not_found", "No open exception 4."));
    renderWithClient(<ExceptionsPage onOpenOrder={() => {}} />);

    fireEvent.click(await screen.findByTestId("assign-4"));
    const prompt = screen.getByTestId("prompt-assign");
    fireEvent.change(within(prompt).getByLabelText(/Owner/), { target: { value: "amira" } });
    fireEvent.click(within(prompt).getByRole("button", { name: "Assign" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("No open exception 4.");
    expect(assign).toHaveBeenCalledWith(4, "amira");
  });

  it("opens the order, shows resolved ones on request and runs a release wave", async () => {
    const list = vi.spyOn(api, "listExceptions").mockResolvedValue([exception(4)]);
    const wave = vi
      .spyOn(api, "runReleaseWave")
      .mockResolvedValue({ released_lines: 31, flagged_lines: 1 });
    const openOrder = vi.fn();
    renderWithClient(<ExceptionsPage onOpenOrder={openOrder} />);

    fireEvent.click(await screen.findByTestId("exception-order-4"));
    expect(openOrder).toHaveBeenCalledWith(12);

    fireEvent.click(screen.getByTestId("exceptions-show-all"));
    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith({
        open_only: false,
        kind: null,
        owner: null,
        limit: LIMIT,
      }),
    );

    fireEvent.click(screen.getByTestId("release-wave-button"));
    expect(await screen.findByTestId("release-wave-result")).toHaveTextContent(
      "Released 31 lines to pick; 1 line flagged as likely to miss.",
    );
    expect(wave).toHaveBeenCalledTimes(1);
  });
});
