import type { Row } from "@gradscope/stream";

/** What a live view shows in its place before its rows arrive (see {@link placeholderText}). */
export interface PlaceholderOptions {
  /**
   * Row types the view draws: until the first of them arrives it shows a placeholder. Default `["step",
   * "layer"]`: a run's first step, which is always probed (its layer rows come with it).
   */
  waitFor?: Row["type"] | readonly Row["type"][];
  /** What the placeholder says once the run's first rows are in but not the view's. Default "waiting for the first probe…". */
  text?: string;
  /**
   * What it says before the run has sent any row at all – a worker starting, a data set on its way
   * (e.g. "loading 3,000 digits…"). Default: `text`.
   */
  loading?: string;
}

const ended = new Set(["completed", "stopped", "diverged", "error"]);

/**
 * The placeholder's words while a live view has nothing to draw yet, or `undefined` once it has (or the run
 * has ended: then the view draws what there is, or the run's error).
 * @example
 * placeholderText([], "running", { loading: "loading 3,000 digits…" }) // "loading 3,000 digits…"
 * placeholderText([evalRow], "running")                                 // "waiting for the first probe…"
 * placeholderText([stepRow, ...layerRows], "running")                   // undefined: draw the plot
 */
export function placeholderText(rows: readonly Row[], status: string, options: PlaceholderOptions = {}): string | undefined {
  if (ended.has(status)) return undefined;
  const types: readonly string[] = typeof options.waitFor === "string" ? [options.waitFor] : (options.waitFor ?? ["step", "layer"]);
  if (rows.some((r) => types.includes(r.type))) return undefined;
  const text = options.text ?? "waiting for the first probe…";
  return rows.length === 0 ? (options.loading ?? text) : text;
}

/**
 * A view's stand-in, the size of the view itself: `figure` (the view drawn from no rows: its axes, frame
 * and size) is kept in the layout but hidden, and `text` is written over its middle, so nothing moves when
 * the plot replaces it. With `showFigure` (a grey ghost of the previous run is drawn in it) the figure
 * stays visible under the words. Without a figure (the view cannot draw no rows) it takes a
 * plot's usual height.
 * @example
 * container.replaceChildren(placeholder(document, render([]), "waiting for the first probe…"));
 */
export function placeholder(doc: Document, figure: Node | undefined, text: string, { showFigure = false } = {}): HTMLElement {
  const box = doc.createElement("div");
  box.className = "gradscope-placeholder";
  box.style.cssText = `position:relative${figure ? "" : ";min-height:240px"}`;
  if (figure) {
    const under = doc.createElement("div");
    under.setAttribute("aria-hidden", "true");
    if (!showFigure) under.style.visibility = "hidden";
    under.append(figure);
    box.append(under);
  }
  const layer = doc.createElement("div");
  layer.style.cssText = "position:absolute;inset:0;display:flex;justify-content:center;align-items:center;pointer-events:none";
  const words = doc.createElement("span");
  words.className = "gradscope-placeholder-text";
  words.setAttribute("role", "status");
  words.textContent = text;
  // over a ghost: on a pale ground, so the words read above its grey lines
  words.style.cssText = `font:italic 14px var(--sans-serif, system-ui);color:#666${showFigure ? ";background:rgba(255,255,255,0.9);padding:0.2em 0.6em;border-radius:3px" : ""}`;
  layer.append(words);
  if (!showFigure) {
    // a faint frame where the plot will be, so the page reads as "coming", not as missing
    box.style.background = "repeating-linear-gradient(135deg, #fafafa 0 12px, #f3f3f3 12px 24px)";
    box.style.borderRadius = "4px";
  }
  box.append(layer);
  return box;
}
