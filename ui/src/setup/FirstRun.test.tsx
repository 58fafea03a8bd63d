import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { status } from "../test/fixtures";
import { renderWithClient } from "../test/render";
import { FirstRun } from "./FirstRun";

describe("first run", () => {
  it("says the ledger is empty only while it is", () => {
    const { unmount } = renderWithClient(
      <FirstRun status={status()} onLoaded={vi.fn()} onContinue={vi.fn()} />,
    );
    expect(screen.getByText(/The inventory ledger is empty/)).toBeInTheDocument();
    expect(screen.queryByText("Continue to inventory")).not.toBeInTheDocument();

    const data = { products: 3871, locations: 124, movements: 46229, events: 302 };
    const loaded = status({ data });
    unmount();
    renderWithClient(<FirstRun status={loaded} onLoaded={vi.fn()} onContinue={vi.fn()} />);
    expect(screen.queryByText(/ledger is empty/)).not.toBeInTheDocument();
    expect(screen.getByText(/The ledger holds 46,229 movements/)).toBeInTheDocument();
    expect(screen.getByText("Continue to inventory")).toBeInTheDocument();
  });
});
