import type { KeyboardEvent } from "react";

/**
 * Keyboard handling for a focusable table row: Enter or Space opens it, the arrow keys
 * move focus to the row above or below.
 */
export function rowKeys(open: () => void) {
  return (e: KeyboardEvent<HTMLTableRowElement>) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      open();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const sibling =
        e.key === "ArrowDown"
          ? e.currentTarget.nextElementSibling
          : e.currentTarget.previousElementSibling;
      if (sibling instanceof HTMLElement && sibling.tabIndex >= 0) {
        e.preventDefault();
        sibling.focus();
      }
    }
  };
}
