import { fireEvent, waitFor } from "@testing-library/react";
import { expect } from "vitest";

/**
 * Test helpers for the AG Grid proposals grid under jsdom: a row is split across the
 * pinned-left and centre containers, both carrying the row id.
 */
export function rowParts(id: number): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(`.ag-row[row-id="${id}"]`));
}

export function rowText(id: number): string {
  return rowParts(id)
    .map((part) => part.textContent ?? "")
    .join(" ");
}

/** Row ids in display order (the centre container's row-index). */
export function rowOrder(): number[] {
  const rows = document.querySelectorAll<HTMLElement>(".ag-center-cols-container .ag-row");
  return Array.from(rows)
    .sort((a, b) => Number(a.getAttribute("row-index")) - Number(b.getAttribute("row-index")))
    .map((row) => Number(row.getAttribute("row-id")));
}

export async function tick(id: number) {
  const box = document.querySelector<HTMLInputElement>(
    `.ag-row[row-id="${id}"] .ag-selection-checkbox input`,
  );
  if (!box) throw new Error(`no checkbox on row ${id}`);
  fireEvent.click(box);
  await waitFor(() => expect(box.checked).toBe(true));
}

export function cell(id: number, column: string): HTMLElement {
  const selector = `.ag-row[row-id="${id}"] [col-id="${column}"]`;
  const found = document.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`no ${column} cell on row ${id}`);
  return found;
}

/** Opens the cell's editor with Enter, types the value and commits it with Enter. */
export async function editCell(id: number, column: string, value: string) {
  const target = cell(id, column);
  fireEvent.click(target);
  target.focus();
  fireEvent.keyDown(target, { key: "Enter", code: "Enter" });
  const input = await waitFor(() => {
    const editor = cell(id, column).querySelector("input");
    if (!editor) throw new Error("editor not open");
    return editor;
  });
  fireEvent.input(input, { target: { value } });
  fireEvent.keyDown(input, { key: "Enter", code: "Enter" });
  await waitFor(() => expect(cell(id, column).querySelector("input")).toBeNull());
}
