import { activationColor, initColor, sweepHeatmap } from "@gradscope/views";
import { sig } from "../compare/formatCompare.js";
import type { SweepReading } from "./readSweep.js";
import { reportDocument } from "./renderReport.js";
import { label, metricOf, scoreSweep, type RunCounts, type SweepAxisRace, type SweepMetric, type SweepScore } from "./scoreSweep.js";
import { escapeHtml as escape, reportPage } from "./reportPage.js";

/** Options of {@link renderSweepReport}. */
export interface RenderSweepReportOptions {
  /** What ranks the sweep (default "loss": held-out loss at the best step). */
  metric?: SweepMetric;
  /** The heatmap's two axes, columns then rows (default: the two with the most values, in the sweep file's order). */
  heatmap?: [string, string];
  /** Best grid points listed (default 10). */
  top?: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The metric's words, and how its values print (accuracies in percent). */
function metricWords(metric: SweepMetric) {
  const percent = metric === "accuracy";
  return {
    name: percent ? "held-out accuracy at the best step" : "held-out loss at the best step",
    short: percent ? "held-out accuracy" : "held-out loss",
    better: percent ? "higher is better" : "lower is better",
    format: (v: number) => (percent ? `${sig(100 * v, 3)} %` : sig(v)),
    percent,
  };
}

/** An axis value, coloured as every chart colours it when it is an activation or an initialisation. */
function valueCell(axis: string, name: string): string {
  const color = axis === "activation" ? activationColor(name) : axis === "init" ? initColor(name) : undefined;
  return color ? `<span class="swatch" style="background:${color}"></span>${escape(name)}` : escape(name);
}

/** The heatmap's axes: the two with the most values (earlier in the file on a tie), in the file's order. */
export function heatmapAxes(sweep: SweepReading, chosen?: [string, string]): [string, string] | null {
  const names = sweep.axes.map((a) => a.name);
  if (chosen) {
    for (const a of chosen) if (!names.includes(a)) throw new RangeError(`--heatmap: ${a} is not an axis of this sweep (axes: ${names.join(", ")})`);
    if (chosen[0] === chosen[1]) throw new RangeError(`--heatmap: two different axes needed, got ${chosen[0]} twice`);
    return chosen;
  }
  if (sweep.axes.length < 2) return null;
  const top = [...sweep.axes].map((a, i) => ({ a, i })).sort((p, q) => q.a.values.length - p.a.values.length || p.i - q.i).slice(0, 2);
  top.sort((p, q) => p.i - q.i);
  return [top[0]!.a.name, top[1]!.a.name];
}

function countsWords(c: RunCounts): string {
  const parts = [`${c.finished} of ${c.planned} finished`];
  if (c.diverged) parts.push(`${c.diverged} of them diverged`);
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.unfinished) parts.push(`${c.unfinished} unfinished`);
  if (c.missing) parts.push(`${c.missing} missing`);
  return parts.join(", ");
}

/**
 * The HTML report of a sweep directory, answer first: the best grid point with its interval and range,
 * each axis' verdict, the best points' table; then a heatmap of the metric over two axes, one race table
 * per axis (the race protocol over seeds and the other axes), and every run that did not finish. Static,
 * self-contained, offline (inline SVG, no script).
 * @example
 * writeFileSync("sweep.html", renderSweepReport(await readSweep("runs"), "act-depth", { metric: "loss" }));
 */
export function renderSweepReport(sweep: SweepReading, title: string, options: RenderSweepReportOptions = {}): string {
  const metric = options.metric ?? "loss";
  const words = metricWords(metric);
  const scored = scoreSweep(sweep, { metric });
  const { spec } = sweep;
  const counts = scored.counts;
  const top = scored.configs.slice(0, options.top ?? 10);
  const best = scored.configs[0];

  // context: what was swept, and how far it got
  const base = spec.base as Record<string, unknown>;
  const context = [
    `sweep ${spec.name}: ${sweep.axes.map((a) => `${a.name} (${a.values.length})`).join(" × ")} × ${plural(spec.seeds.length, "seed")} = ${plural(counts.planned, "run")}`,
    base.dataset ? `data set ${String(base.dataset)}` : "",
    `${spec.steps ?? base.steps ?? 500} steps each`,
  ].filter(Boolean).join("; ");
  const incomplete = counts.missing + counts.unfinished;
  const progress = `${countsWords(counts)}.${incomplete ? ` <b>${incomplete} of ${counts.planned} recordings are missing or unfinished</b> (the sweep is still running or was interrupted): this report covers the runs that are there.` : ""}`;

  // the answer
  const tiedWithBest = scored.configs.filter((c) => c.versusBest?.verdict === "tie").map((c) => label(c.point));
  const answer = best?.metric
    ? `Best configuration: <b>${escape(label(best.point))}</b>: ${words.short} ${words.format(best.metric.mean)}` +
      spread(best.metric, words.format) +
      ` <small>(${best.metric.n > 1 ? "95 % interval, " : ""}${plural(best.metric.n, "seed")}; range ${words.format(best.min)}–${words.format(best.max)})</small>` +
      (tiedWithBest.length ? `<br><span class="tie">tied with ${escape(tiedWithBest.slice(0, 4).join("; "))}${tiedWithBest.length > 4 ? ` and ${tiedWithBest.length - 4} more` : ""}: the seeds do not separate them</span>` : "")
    : "No finished run has a held-out evaluation yet: nothing to rank.";
  const verdicts = scored.axes.map((a) => `<li>${axisVerdict(a)}</li>`).join("");

  // best configurations
  const axisNames = sweep.axes.map((a) => a.name);
  const configRows = top.map((c, i) => {
    const m = c.metric;
    const vs = !c.versusBest ? (m ? "best" : "–") : c.versusBest.verdict === "tie" ? "tie" : "worse";
    const failed = c.counts.failed + c.counts.missing + c.counts.unfinished;
    return `<tr data-point="${escape(JSON.stringify(c.point))}" data-mean="${m ? m.mean : ""}" data-n="${m?.n ?? 0}"${i === 0 && m ? ' class="pick"' : ""}>` +
      `<td>${i + 1}</td>${axisNames.map((a) => `<td class="l">${valueCell(a, String(c.point[a]))}</td>`).join("")}` +
      `<td>${m ? words.format(m.mean) + spread(m, words.format) : "–"}</td><td>${m ? `${words.format(c.min)}–${words.format(c.max)}` : "–"}</td>` +
      `<td>${m?.n ?? 0} of ${c.counts.planned}</td><td>${c.counts.diverged || ""}</td><td>${failed || ""}</td>` +
      `<td class="l" title="${escape(c.versusBest?.because ?? "")}">${vs}</td></tr>`;
  }).join("");
  const configTable = `<table class="configs"><thead><tr><th>#</th>${axisNames.map((a) => `<th class="l">${escape(a)}</th>`).join("")}` +
    `<th>${escape(words.short)}<br><small>mean ± 95 %</small></th><th>range<br><small>min–max</small></th><th>seeds</th><th>diverged</th><th>failed / missing</th><th class="l">vs best</th></tr></thead><tbody>${configRows}</tbody></table>`;

  // heatmap
  const pair = heatmapAxes(sweep, options.heatmap);
  const heatmap = pair ? heatmapSection(sweep, scored, pair, words) : `<p>One axis: no heatmap (the race table below is the whole picture).</p>`;

  const axisTables = scored.axes.map((a) => axisSection(a, spec.stop.targetLoss, words)).join("\n");
  const notFinished = notFinishedSection(sweep);
  const strays = sweep.strays.length ? `<p class="note">${plural(sweep.strays.length, "recording")} in the directory ${sweep.strays.length === 1 ? "is" : "are"} no run of this sweep and ${sweep.strays.length === 1 ? "was" : "were"} left out: ${escape(sweep.strays.slice(0, 10).join(", "))}${sweep.strays.length > 10 ? " …" : ""}</p>` : "";

  return reportPage(title, `
body { font: 14px/1.45 system-ui, sans-serif; max-width: 1180px; margin: 1.2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin: 0 0 0.2em; } .context { color: #555; margin: 0 0 0.6em; }
.answer { font-size: 1.3em; margin: 0.3em 0 0.4em; padding: 0.4em 0.7em; background: #f3f7ee; border-left: 4px solid #59a14f; }
.answer small { font-size: 0.7em; color: #555; } .answer .tie { font-size: 0.72em; color: #555; }
ul.verdicts { margin: 0.2em 0 0.6em; padding-left: 1.2em; }
table { border-collapse: collapse; font-size: 13px; } th, td { border-bottom: 1px solid #ddd; padding: 2px 7px; text-align: right; }
th { font-weight: 600; vertical-align: bottom; } .l { text-align: left; } tr.pick td { background: #f3f7ee; font-weight: 600; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.35em; vertical-align: -0.05em; }
section { margin: 1.4em 0; } small { color: #777; font-weight: normal; } figure { margin: 0.6em 0; } .note { color: #555; }
h2 { font-size: 1.15em; margin: 0.8em 0 0.3em; } .legend { color: #555; font-size: 12px; }
`, `
<h1>${escape(title)}</h1>
<p class="context">${escape(context)}. ${progress}</p>
<section id="answer" style="margin-top:0">
<p class="answer">${answer}</p>
<ul class="verdicts">${verdicts}</ul>
<h2>Best configurations <small>(top ${top.length} of ${plural(scored.configs.length, "grid point")}, by ${escape(words.name)}, ${words.better}; each over its seeds)</small></h2>
${configTable}
<p class="legend">${escape(words.name)}: each run's held-out ${metric} at the step early stopping keeps (patience ${5} evaluations); mean over the seeds with a 95 % Student-t interval, and the lowest and highest seed. "vs best": the point against the best one, seed by seed – a tie when the 95 % interval of the difference contains 0 or the difference is under 2 % of the best value.</p>
</section>
${heatmap}
<section><h2>Each axis raced <small>(over the seeds and every other axis; runs paired when they share the seed and the other axes' values)</small></h2>
${axisTables}
</section>
${notFinished}
${strays}
`);
}

/** "activation: elu best (tied with relu)" */
function axisVerdict(a: SweepAxisRace): string {
  const [first, ...rest] = a.race.tieGroups;
  if (!first || !a.race.contenders.some((c) => c.contender === first[0] && (a.race.options.metric === "accuracy" ? c.bestAccuracy : c.bestLoss))) return `${escape(a.axis)}: no finished runs`;
  if (a.race.contenders.length === 1) return `${escape(a.axis)}: one value (${valueCell(a.axis, first[0]!)})`;
  const lead = `${escape(a.axis)}: <b>${valueCell(a.axis, first[0]!)}</b>`;
  if (first.length > 1) return `${lead} ties with ${first.slice(1).map((n) => valueCell(a.axis, n)).join(", ")} <small>(the paired seeds do not separate them)</small>`;
  return `${lead} best${rest.length ? `, ahead of ${rest.flat().map((n) => valueCell(a.axis, n)).join(", ")}` : ""}`;
}

function axisSection(a: SweepAxisRace, targetLoss: number | undefined, words: ReturnType<typeof metricWords>): string {
  const byName = new Map(a.race.contenders.map((c) => [c.contender, c]));
  const groupOf = new Map(a.race.tieGroups.flatMap((g, i) => g.map((n) => [n, { i, size: g.length }] as const)));
  const fmt = (e: { mean: number; halfWidth: number; n: number } | null, f = words.format) => (e ? f(e.mean) + spread(e, f) : "–");
  const loss = (v: number) => sig(v), pct = (v: number) => `${sig(100 * v, 3)} %`;
  // best first; values without a finished run at the end, in the file's order
  const names = [...a.order, ...a.values.map((v) => v.name).filter((n) => !a.order.includes(n))];
  const rows = names.map((name) => {
    const c = byName.get(name);
    const counts = a.values.find((v) => v.name === name)?.counts;
    const m = c ? (words.percent ? c.bestAccuracy : c.bestLoss) : null;
    const g = groupOf.get(name);
    const verdict = !g || !m ? "–" : g.i === 0 ? (g.size > 1 ? "tied for best" : "best") : g.size > 1 ? `tie group ${g.i + 1}` : `#${g.i + 1}`;
    const notRun = counts ? counts.failed + counts.missing + counts.unfinished : 0;
    return `<tr data-name="${escape(name)}" data-mean="${m ? m.mean : ""}" data-n="${m?.n ?? 0}"${g?.i === 0 && m ? ' class="pick"' : ""}>` +
      `<td class="l">${valueCell(a.axis, name)}</td><td>${m?.n ?? 0} of ${counts?.planned ?? 0}</td><td>${fmt(m)}</td>` +
      `<td>${fmt(c?.bestStep ?? null, (v) => sig(v, 2))}</td><td>${fmt(c?.endLoss ?? null, loss)}</td><td>${fmt(words.percent ? (c?.bestLoss ?? null) : (c?.bestAccuracy ?? null), words.percent ? loss : pct)}</td>` +
      `<td>${c?.stepsToTargetLoss ? `${sig(c.stepsToTargetLoss.mean, 3)} <small>(${c.reachedLoss} of ${c.runs.length})</small>` : c ? `– <small>(0 of ${c.runs.length})</small>` : "–"}</td>` +
      `<td>${counts?.diverged || ""}</td><td>${notRun || ""}</td><td class="l">${verdict}</td></tr>`;
  }).join("");
  const otherWords = words.percent ? "held-out loss at best step" : "held-out accuracy at best step";
  const head = `<tr><th class="l">${escape(a.axis)}</th><th>runs<br><small>with a value</small></th><th>${escape(words.short)}<br><small>at best step, mean ± 95 %</small></th>` +
    `<th>best step<br><small>early stopping</small></th><th>held-out loss<br><small>at the end</small></th><th>${escape(otherWords.replace(" at best step", ""))}<br><small>at best step</small></th>` +
    `<th>steps to loss ${sig(targetLoss ?? 0.5)}<br><small>20-step mean (reached)</small></th><th>diverged</th><th>failed / missing</th><th class="l">verdict</th></tr>`;
  const leader = a.race.tieGroups[0]?.[0];
  const because = a.race.comparisons.filter((c) => leader !== undefined && (c.a === leader || c.b === leader)).map((c) => `<li>${escape(c.because)}: ${c.verdict === "tie" ? "tie" : `${escape(c.verdict === "a" ? c.a : c.b)} better`}</li>`).join("");
  return `<h3 id="axis-${escape(a.axis)}">${escape(a.axis)}</h3>
<table class="axis-race" data-axis="${escape(a.axis)}"><thead>${head}</thead><tbody>${rows}</tbody></table>
${because ? `<details><summary>paired comparisons with the leader</summary><ul class="legend">${because}</ul></details>` : ""}`;
}

function heatmapSection(sweep: SweepReading, scored: SweepScore, [x, y]: [string, string], words: ReturnType<typeof metricWords>): string {
  const document = reportDocument();
  const rows = sweep.runs.filter((r) => r.state === "finished").map((r) => ({ ...r.point, seed: r.seed, value: metricOf(r.score, scored.metric) ?? NaN, status: r.summary?.status }));
  const others = sweep.axes.map((a) => a.name).filter((n) => n !== x && n !== y);
  const domain = (name: string) => sweep.axes.find((a) => a.name === name)!.values;
  let svg: string;
  try {
    svg = sweepHeatmap(rows, {
      document, x, y, value: "value", status: "status", xDomain: domain(x), yDomain: domain(y), label: words.name, lowerIsBetter: !words.percent, percent: words.percent,
      caption: `Each cell: the mean over ${others.length ? `its seeds and every value of ${others.join(", ")}` : "its seeds"} of the finished runs' ${words.name}. "k of n diverged" under a value: runs that diverged – averaged with the value early stopping kept before the divergence (often the untrained net's, at step 0), or left out when they had none.`,
    }).outerHTML;
  } catch (e) {
    svg = `<p class="note">(heatmap not drawn: ${escape((e as Error).message)})</p>`;
  }
  return `<section id="heatmap"><h2>${escape(words.name)} over ${escape(x)} × ${escape(y)}</h2>${svg}</section>`;
}

function notFinishedSection(sweep: SweepReading): string {
  const diverged = sweep.runs.filter((r) => r.state === "finished" && r.summary?.status === "diverged");
  const failed = sweep.runs.filter((r) => r.state === "failed");
  const unfinished = sweep.runs.filter((r) => r.state === "unfinished");
  const missing = sweep.runs.filter((r) => r.state === "missing");
  if (!diverged.length && !failed.length && !unfinished.length && !missing.length) return `<section id="not-finished"><h2>Runs that did not finish</h2><p>None: every run of the sweep finished without diverging.</p></section>`;
  const list = (runs: typeof diverged, why: (r: (typeof diverged)[number]) => string) =>
    `<ul>${runs.slice(0, 50).map((r) => `<li><code>${escape(r.id)}</code>${why(r) ? `: ${escape(why(r))}` : ""}</li>`).join("")}${runs.length > 50 ? `<li>… ${runs.length - 50} more</li>` : ""}</ul>`;
  return `<section id="not-finished"><h2>Runs that did not finish</h2>
${diverged.length ? `<h3>Diverged (${diverged.length}) <small>counted in the tables with the best step they reached, if any</small></h3>${list(diverged, (r) => r.message ?? "")}` : ""}
${failed.length ? `<h3>Failed (${failed.length}) <small>no recording; <code>gradscope sweep FILE --out DIR --retry-failed</code> runs them again</small></h3>${list(failed, (r) => r.message ?? "")}` : ""}
${unfinished.length ? `<h3>Unfinished (${unfinished.length}) <small>a recording without a final status row, left out of the tables</small></h3>${list(unfinished, () => "")}` : ""}
${missing.length ? `<h3>Missing (${missing.length}) <small>not run yet, or still running; running the sweep command again resumes them</small></h3>${list(missing, () => "")}` : ""}
</section>`;
}

/**
 * " ± h" for an estimate over more than one seed; " ± 0" when h is below a millionth of the mean – runs equal
 * but for float rounding printed "± 1.93e-17" – and nothing for one seed.
 */
export function spread(e: { mean: number; halfWidth: number; n: number }, format: (v: number) => string): string {
  if (e.n <= 1) return "";
  return ` ± ${Math.abs(e.halfWidth) <= 1e-6 * Math.abs(e.mean) ? "0" : format(e.halfWidth)}`;
}
