import type { AlertRow } from "./rows.js";

/**
 * An alert in plain words, one line, as `gradscope run` prints it and the notebooks show it:
 * "alert (vanishing) at step 40: vanishing gradients: ∂L/∂z at layer 0 is 4.3e-17 × that of layer 19 (threshold 1e-3)".
 * @example
 * rows$.pipe(filter(isRow("alert"))).subscribe((a) => console.log(alertLine(a)));
 */
export function alertLine(row: Pick<AlertRow, "step" | "message"> & { kind: string }): string {
  return `alert (${row.kind}) at step ${row.step}: ${row.message}`;
}
