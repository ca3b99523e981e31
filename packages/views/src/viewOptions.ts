import type { Row } from "./rows.js";

/**
 * Options every view accepts; they pass straight to `Plot.plot`.
 * @example gradientFlow(rows, { width: 640, height: 320, title: "Gradient flow" })
 */
export interface ViewOptions {
  /** Outer width in pixels (Plot's default 640). */
  width?: number;
  /** Outer height in pixels (a per-view default otherwise). */
  height?: number;
  /** A title shown above the figure. */
  title?: string;
  /** A caption shown below the figure. */
  caption?: string;
  /** The document to render into; needed in Node (e.g. a jsdom window's document). Defaults to the global one. */
  document?: Document;
}

/**
 * What the live machinery adds to views that have a step axis (see `LiveContext`: pass a live view's
 * context straight on, `run.view((rows, live) => lossCurve(rows, { width, ...live }))`).
 */
export interface LiveDrawOptions {
  /** The previous run's rows (before an input change or a restart), drawn in grey beneath the current ones. */
  ghost?: readonly Row[];
  /** `"log"`: a symlog step axis that keeps the first percent of a run readable. Default `"linear"`. */
  stepScale?: "linear" | "log";
}
