import { isRow, type Row } from "@gradscope/stream";
import { compareRuns, distributionBands, gradientFlow, gradientHeatmap, lossCurve, preluSlopes, saturationOverTime } from "@gradscope/views";
import { JSDOM } from "jsdom";
import { summarize, type RunSummary } from "../commands/replay.js";

/** One recording to report on. */
export interface ReportRun {
  /** File name it came from. */
  file: string;
  config: Record<string, unknown> | null;
  rows: Row[];
}

/**
 * A document for rendering Plot views in Node. jsdom has no canvas; Plot draws continuous colour
 * legends into a 256×1 canvas and embeds it as an image, so this canvas records its fillRect calls and
 * turns them into an SVG data URL: the legend survives, and the page stays self-contained.
 */
export function reportDocument(): Document {
  const { window } = new JSDOM("<!doctype html><html><body></body></html>");
  const proto = window.HTMLCanvasElement.prototype as unknown as Record<string, unknown>;
  const rects = new WeakMap<object, { x: number; y: number; w: number; h: number; fill: string }[]>();
  proto.getContext = function (this: object) {
    const list: { x: number; y: number; w: number; h: number; fill: string }[] = [];
    rects.set(this, list);
    const ctx = { fillStyle: "#000", fillRect: (x: number, y: number, w: number, h: number) => list.push({ x, y, w, h, fill: String(ctx.fillStyle) }) };
    return ctx;
  };
  proto.toDataURL = function (this: { width: number; height: number }) {
    const list = rects.get(this) ?? [];
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" preserveAspectRatio="none">` +
      list.map((r) => `<rect x="${r.x}" y="${r.y}" width="${r.w}" height="${r.h}" fill="${r.fill}"/>`).join("") + "</svg>";
    return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
  };
  return window.document;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const num = (v: number | null) => (v === null || !Number.isFinite(v) ? "–" : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(4) : v.toExponential(2));
const avg = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

/** A view's figure as markup, or a note when the view cannot draw these rows. */
function figure(render: () => Element): string {
  try {
    return render().outerHTML;
  } catch (e) {
    return `<p class="note">(not drawn: ${escape((e as Error).message)})</p>`;
  }
}

/**
 * The HTML report: a summary table, then per run its loss curve, gradient flow, gradient heatmap and
 * saturation / dead units over time, and, for several runs, comparisons across them. Every figure is
 * an SVG drawn by the same views the notebooks use; the page has no script and loads nothing.
 */
export function renderReport(runs: ReportRun[], title: string): string {
  const document = reportDocument();
  const summaries: RunSummary[] = runs.map((r) => summarize(r.rows, r.config));
  const table = `<table><thead><tr><th>run</th><th>file</th><th>status</th><th>steps</th><th>final loss</th><th>final accuracy</th><th>held-out loss</th><th>held-out accuracy</th><th>first/last ‖∂L/∂z‖</th><th>dead (mean)</th><th>saturated (mean)</th><th>alerts</th></tr></thead><tbody>` +
    summaries.map((s, i) => `<tr><td>${escape(s.run)}</td><td>${escape(runs[i]!.file)}</td><td>${escape(s.status)}</td><td>${s.steps}</td><td>${num(s.finalLoss)}</td><td>${num(s.finalAccuracy)}</td><td>${num(s.evalLoss)}</td><td>${num(s.evalAccuracy)}</td><td>${num(s.gradientRatio)}</td><td>${num(avg(s.deadFrac))}</td><td>${num(avg(s.saturatedFrac))}</td><td>${s.alerts.length}</td></tr>`).join("") +
    `</tbody></table>`;
  const all = runs.flatMap((r) => r.rows);
  const comparison = runs.length > 1
    ? `<section><h2>Comparison across runs</h2>
${figure(() => compareRuns(all, { document, title: "Mini-batch loss" }))}
${figure(() => compareRuns(all, { document, type: "eval", title: "Held-out loss" }))}
${figure(() => compareRuns(all, { document, type: "eval", y: "accuracy", title: "Held-out accuracy" }))}
</section>`
    : "";
  const perRun = runs.map((r, i) => {
    const s = summaries[i]!;
    const alerts = s.alerts.length ? `<ul>${s.alerts.slice(0, 20).map((a) => `<li>step ${a.step} (${escape(a.kind)}): ${escape(a.message)}</li>`).join("")}${s.alerts.length > 20 ? `<li>… ${s.alerts.length - 20} more</li>` : ""}</ul>` : "";
    const config = r.config ? `<details><summary>config</summary><pre>${escape(JSON.stringify(r.config, null, 2))}</pre></details>` : "";
    const hasLayers = r.rows.some(isRow("layer"));
    const hasAlpha = r.rows.some((row) => row.type === "layer" && typeof row.alpha === "number");
    const bandsOf = (of: string) => r.rows.some((row) => row.type === "bands" && row.of === of);
    return `<section><h2>${escape(s.run)} <small>${escape(r.file)}</small></h2>${config}${alerts}
${figure(() => lossCurve(r.rows, { document, title: "Loss" }))}
${hasLayers ? figure(() => gradientFlow(r.rows, { document, title: "Gradient flow (‖∂L/∂z‖ per layer)" })) : ""}
${hasLayers ? figure(() => gradientHeatmap(r.rows, { document, title: "Gradient heatmap (layer × step)" })) : ""}
${hasLayers ? figure(() => saturationOverTime(r.rows, { document, title: "Saturated and dead units over time" })) : ""}
${hasAlpha ? figure(() => preluSlopes(r.rows, { document, title: "Learned PReLU slopes α per layer" })) : ""}
${bandsOf("pre") ? figure(() => distributionBands(r.rows, { document, of: "pre", x: "layer", title: "Pre-activation percentiles across layers (latest step)" })) : ""}
${bandsOf("act") ? figure(() => distributionBands(r.rows, { document, of: "act", x: "layer", title: "Activation percentiles across layers (latest step)" })) : ""}
</section>`;
  }).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<style>
body { font: 14px/1.45 system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; font-size: 13px; } th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child, td:nth-child(2), td:nth-child(3) { text-align: left; }
section { margin: 2em 0; } small { color: #777; font-weight: normal; } figure { margin: 1em 0; } .note { color: #a00; }
</style></head><body>
<h1>${escape(title)}</h1>
<p>Generated by gradscope report from ${runs.length} recording${runs.length === 1 ? "" : "s"}. Static and offline: every figure is inline SVG.</p>
<h2>Summary</h2>
${table}
${comparison}
${perRun}
</body></html>
`;
}
