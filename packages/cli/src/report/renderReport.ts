import { activations } from "@gradscope/core";
import { isRow, type RaceRun, type Row, type RunConfig } from "@gradscope/stream";
import { chanceLevel, distributionBands, gradientFlow, gradientHeatmap, layerProfiles, lossCurve, preluSlopes, saturationOverTime, seedBands } from "@gradscope/views";
import type { CompareResult } from "../commands/compare.js";
import { summarizeRace, thresholds } from "../compare/aggregate.js";
import { compareCells, compareLegend, sig } from "../compare/formatCompare.js";
import { narrative } from "./narrative.js";
import { JSDOM } from "jsdom";
import { summarize, type RunSummary } from "../runSummary.js";
import { REPORT_SCORING, type ReportRun } from "./readRecording.js";
import { escapeHtml as escape, reportPage } from "./reportPage.js";

export type { ReportRun };

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

const num = (v: number | null) => (v === null || !Number.isFinite(v) ? "–" : sig(v));
const pct = (v: number) => (Number.isFinite(v) ? `${sig(100 * v, 2)} %` : "–");
const avg = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

/** A view's figure as markup, or a note when the view cannot draw these rows. */
function figure(render: () => Element): string {
  try {
    return render().outerHTML;
  } catch (e) {
    return `<p class="note">(not drawn: ${escape((e as Error).message)})</p>`;
  }
}

/** Options of {@link renderReport}. */
export interface RenderReportOptions {
  /** Measure kernel cost for the table (default true; ~0.1 s, cached per process). */
  costs?: boolean;
  /** Early stopping's patience in evaluations (default 5). */
  patience?: number;
  /** Steps-to-target loss (default 0.5). */
  targetLoss?: number;
}

/** Recordings grouped into a race: contender (the activation, plus what else differs) → its runs. */
export function raceOf(runs: readonly ReportRun[], scoring: { patience: number; targetLoss: number } = REPORT_SCORING): { names: string[]; race: (RaceRun & { file: string })[]; config: RunConfig } {
  const keyOf = (r: ReportRun) => {
    const { seed: _seed, run: _run, ...rest } = (r.config ?? {}) as Record<string, unknown>;
    return JSON.stringify(rest);
  };
  const activationOf = (r: ReportRun) => (typeof r.config?.activation === "string" ? r.config.activation
    : r.rows.find((x): x is Row & { activation: string } => x.type === "layer" && (x as { activation?: string }).activation !== "none")?.activation
      ?? (r.rows[0]?.run ?? r.file).replace(/-seed\d+$/, ""));
  const keys = [...new Set(runs.map(keyOf))];
  const nameOfKey = new Map<string, string>();
  for (const key of keys) {
    const act = activationOf(runs.find((r) => keyOf(r) === key)!);
    const same = keys.filter((k) => activationOf(runs.find((r) => keyOf(r) === k)!) === act);
    nameOfKey.set(key, same.length > 1 ? `${act} #${same.indexOf(key) + 1}` : act);
  }
  const race = runs.map((r, i) => ({
    contender: nameOfKey.get(keyOf(r))!,
    seed: typeof r.config?.seed === "number" ? r.config.seed : i + 1,
    rows: r.rows,
    // scored over every row while it was read, when with these options (the rows are decimated)
    ...(r.scored && r.scored.options.patience === scoring.patience && r.scored.options.targetLoss === scoring.targetLoss ? { score: r.scored.score } : {}),
    file: r.file,
  }));
  // the tutorial's order (core's list: relu, leakyRelu, prelu, rrelu, elu, …, sigmoid, tanh), not file names
  const rank = (name: string) => {
    const i = activations.findIndex((a) => a.name === name.replace(/ #\d+$/, ""));
    return i < 0 ? activations.length : i;
  };
  const names = [...new Set(race.map((r) => r.contender))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return { names, race, config: (runs[0]?.config ?? {}) as RunConfig };
}

/** compare's table as HTML: the same cells, the two header lines joined. */
function htmlTable(result: CompareResult): string {
  const { header, rows } = compareCells(result);
  const th = header[0].map((h, i) => `<th>${escape(`${h} ${header[1][i]}`.trim())}</th>`).join("");
  const best = new Set(result.recommendation.activation ? [result.recommendation.activation] : []);
  return `<table class="race"><thead><tr>${th}</tr></thead><tbody>` +
    rows.map((cells) => `<tr${best.has(cells[1]!) ? ' class="pick"' : ""}>${cells.map((c) => `<td>${escape(c)}</td>`).join("")}</tr>`).join("") +
    `</tbody></table>`;
}

/**
 * The HTML report, answer first: the race's verdict and compare's table (held-out numbers at the best step
 * and at the end with 95 % intervals, tie groups, kernel cost), the recommendation's evidence, then what
 * happened in words (from the alerts), per-activation overlays with a band across seeds on log loss axes,
 * dead and saturated units and gradient flow per layer, and per-run detail collapsed at the end. Every
 * figure is an SVG drawn by the views the notebooks use; the page has no script and loads nothing.
 */
export function renderReport(runs: ReportRun[], title: string, options: RenderReportOptions = {}): string {
  const document = reportDocument();
  const patience = options.patience ?? REPORT_SCORING.patience, targetLoss = options.targetLoss ?? REPORT_SCORING.targetLoss;
  const { names, race, config } = raceOf(runs, { patience, targetLoss });
  const summary = summarizeRace(race, names, { config, targetLoss, targetAccuracy: null, patience, costs: options.costs ?? true });
  const seeds = [...new Set(race.map((r) => r.seed))].sort((a, b) => a - b);
  const result: CompareResult = {
    config, seeds, targetLoss, targetAccuracy: null, thresholds,
    protocol: { patience, level: 0.95, relativeMargin: 0.02, evalEvery: Number(config.evalEvery ?? 0) },
    ...summary, failed: [], interrupted: false,
  };
  const rec = summary.recommendation;
  const groupOf = new Map(race.map((r) => [r.rows[0]?.run ?? "", r.contender]));
  const group = (run: string) => groupOf.get(run) ?? run;
  const all = race.flatMap((r) => r.rows);
  const classes = Number((config as Record<string, unknown>).classes ?? 0) || classCount(config);
  const context = [
    config.dataset ? `data set ${config.dataset}` : "",
    config.depth ? `${config.depth} hidden layers × ${config.width ?? 32} units` : "",
    config.steps ? `${config.steps} steps each` : "",
    `${seeds.length} seed${seeds.length === 1 ? "" : "s"}`,
  ].filter(Boolean).join(", ");
  const answer = names.length > 1
    ? `Use <b>${escape(rec.activation ?? "none")}</b>${rec.tiedWith.length ? ` <span class="tie">(tied with ${escape(rec.tiedWith.join(", "))}: the evidence does not separate them)</span>` : ""}`
    : `One activation recorded (<b>${escape(names[0] ?? "none")}</b>): nothing to race; its numbers below`;

  // the figures
  const order = names;
  const curves = `<section><h2>Learning curves: median over seeds, band from the lowest to the highest seed</h2>
${figure(() => seedBands(all, { document, width: 900, order, groupOf: group, type: "eval", title: "Held-out loss (log scale: early spikes do not flatten the rest)" }))}
${figure(() => seedBands(all, { document, width: 900, order, groupOf: group, type: "step", title: "Training (mini-batch) loss" }))}
${figure(() => seedBands(all, { document, width: 900, order, groupOf: group, type: "eval", y: "accuracy", title: "Held-out accuracy", ...(classes ? { references: [chanceLevel(classes).accuracy] } : {}) }))}
</section>`;
  const points = (f: (s: (typeof summary.activations)[number]) => number[]) =>
    summary.activations.flatMap((s) => f(s).map((value, layer) => ({ group: s.activation, layer, value })));
  const flow = summary.activations.flatMap((s) => finalGradients(race.filter((r) => r.contender === s.activation)).map((value, layer) => ({ group: s.activation, layer, value })));
  const layers = `<section><h2>Per layer, at the end of training (mean over seeds)</h2>
${figure(() => layerProfiles(points((s) => s.deadPerLayer), { document, width: 900, order, label: "dead units (% of layer)", percent: true, title: "Dead units: no gradient for any example of the batch" }))}
${figure(() => layerProfiles(points((s) => s.saturatedPerLayer), { document, width: 900, order, label: "saturated units (% of unit-examples)", percent: true, title: "Saturated units: |f′(z)| below 5 % of its maximum" }))}
${figure(() => layerProfiles(flow, { document, width: 900, order, label: "‖∂L/∂z‖ (geometric mean over seeds)", logY: true, title: "Gradient flow: how much gradient reaches each layer (falling to the left = vanishing)" }))}
</section>`;
  const story = narrative(race, { order });
  const perRun = runs.map((r) => `<details><summary>${escape(r.rows[0]?.run ?? r.file)} <small>${escape(r.file)}</small></summary>${runDetail(r, document)}</details>`).join("\n");

  return reportPage(title, `
body { font: 14px/1.45 system-ui, sans-serif; max-width: 1100px; margin: 1.2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin: 0 0 0.2em; } .context { color: #555; margin: 0 0 0.8em; }
.answer { font-size: 1.35em; margin: 0.3em 0 0.5em; padding: 0.4em 0.7em; background: #f3f7ee; border-left: 4px solid #59a14f; }
.answer .tie { font-size: 0.75em; color: #555; }
table { border-collapse: collapse; font-size: 13px; } th, td { border-bottom: 1px solid #ddd; padding: 3px 7px; text-align: right; }
th { font-weight: 600; vertical-align: bottom; } td:nth-child(2), th:nth-child(2) { text-align: left; }
tr.pick td { background: #f3f7ee; font-weight: 600; } .legend { color: #555; font-size: 12px; margin: 0.4em 0; padding-left: 1.2em; }
section { margin: 1.6em 0; } small { color: #777; font-weight: normal; } figure { margin: 1em 0; } .note { color: #a00; }
details { margin: 0.4em 0; } figure h2 { font-size: 1.05em; margin: 0.6em 0 0.2em; } figure h3 { font-size: 0.95em; font-weight: normal; } details > summary { cursor: pointer; }
`, `
<h1>${escape(title)}</h1>
<p class="context">${escape(context)}; ${runs.length} recording${runs.length === 1 ? "" : "s"}. Static and offline: every figure is inline SVG.</p>
<section id="answer" style="margin-top:0">
<p class="answer">${answer}</p>
${htmlTable(result)}
<ul class="legend">${compareLegend(result).map((l) => `<li>${escape(l)}</li>`).join("")}</ul>
<h2>Why</h2>
<ul>${rec.reasons.map((r) => `<li>${escape(r)}</li>`).join("")}</ul>
</section>
<section><h2>What happened</h2>
${story.length ? `<ul>${story.map((l) => `<li>${escape(l)}</li>`).join("")}</ul>` : "<p>No alerts: no vanishing or exploding gradients, no mostly dead or saturated layer, no divergence.</p>"}
</section>
${curves}
${layers}
<section><h2>Every run in detail</h2>
${perRun}
</section>
`);
}

/** Each hidden layer's final ‖∂L/∂z‖, geometric mean over the runs (0 when any run's is exactly 0). */
function finalGradients(runs: readonly RaceRun[]): number[] {
  const per = runs.map((r) => {
    const layers = r.rows.filter(isRow("layer"));
    const last = layers.at(-1)?.step;
    return layers.filter((l) => l.step === last && l.activation !== "none").map((l) => l.gradNormZ);
  });
  const depth = Math.max(0, ...per.map((p) => p.length));
  return Array.from({ length: depth }, (_, i) => {
    const xs = per.map((p) => p[i]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (!xs.length) return NaN;
    return xs.some((v) => v <= 0) ? 0 : Math.exp(xs.reduce((s, v) => s + Math.log(v), 0) / xs.length);
  });
}

function classCount(config: RunConfig): number {
  return ({ spiral: 3, moons: 2, circles: 2, xor: 2, blobs: 3, digits: 10 } as Record<string, number>)[config.dataset ?? "spiral"] ?? 0;
}

/** One run's own figures (collapsed at the end of the report). */
function runDetail(r: ReportRun, document: Document): string {
  // the summary of every row (read in one pass); the rows themselves are a decimated subset (readRecording)
  const s: RunSummary = r.summary ?? summarize(r.rows, r.config);
  const alerts = s.alerts.length ? `<ul>${s.alerts.slice(0, 20).map((a) => `<li>step ${a.step} (${escape(a.kind)}): ${escape(a.message)}</li>`).join("")}${s.alertCount > 20 ? `<li>… ${s.alertCount - 20} more</li>` : ""}</ul>` : "";
  const config = r.config ? `<details><summary>config</summary><pre>${escape(JSON.stringify(r.config, null, 2))}</pre></details>` : "";
  const hasLayers = r.rows.some(isRow("layer"));
  const hasAlpha = r.rows.some((row) => row.type === "layer" && typeof row.alpha === "number");
  const bandsOf = (of: string) => r.rows.some((row) => row.type === "bands" && row.of === of);
  const facts = `<p>status ${escape(s.status)}, ${s.steps} steps; final mini-batch loss ${num(s.finalLoss)}, held-out loss ${num(s.evalLoss)}, held-out accuracy ${num(s.evalAccuracy)}; first ÷ last ‖∂L/∂z‖ ${num(s.gradientRatio)}; dead ${pct(avg(s.deadFrac))}, saturated ${pct(avg(s.saturatedFrac))} (mean over layers)</p>`;
  return `${facts}${config}${alerts}
${figure(() => lossCurve(r.rows, { document, title: "Loss" }))}
${hasLayers ? figure(() => gradientFlow(r.rows, { document, title: "Gradient flow (‖∂L/∂z‖ per layer)" })) : ""}
${hasLayers ? figure(() => gradientHeatmap(r.rows, { document, title: "Gradient heatmap (layer × step)" })) : ""}
${hasLayers ? figure(() => saturationOverTime(r.rows, { document, title: "Saturated and dead units over time" })) : ""}
${hasAlpha ? figure(() => preluSlopes(r.rows, { document, title: "Learned PReLU slopes α per layer" })) : ""}
${bandsOf("pre") ? figure(() => distributionBands(r.rows, { document, of: "pre", x: "layer", title: "Pre-activation percentiles across layers (latest step)" })) : ""}
${bandsOf("act") ? figure(() => distributionBands(r.rows, { document, of: "act", x: "layer", title: "Activation percentiles across layers (latest step)" })) : ""}`;
}
