import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parse, UsageError } from "../args.js";
import { atomicFile, checkOutput } from "../atomicFile.js";
import { progressBar } from "../progress.js";
import { inFile } from "../inFile.js";
import { readRecording, type ReportRun } from "../report/readRecording.js";
import { renderReport } from "../report/renderReport.js";
import { readSweep } from "../report/readSweep.js";
import { heatmapAxes, renderSweepReport } from "../report/renderSweepReport.js";
import { manifestPath } from "../sweep/sweepManifest.js";

export const help = `gradscope report FILE.ndjson | DIR --out report.html [--title TEXT]
gradscope report SWEEPDIR --out report.html [--metric loss|accuracy] [--heatmap AXIS,AXIS] [--top N]
  Writes a self-contained HTML report of one recording or of every *.ndjson in DIR (e.g. compare --out),
  answer first: the race's recommendation and compare's table (held-out numbers at the best step and at
  the end with 95 % intervals, ties, kernel cost), its evidence, what happened in words (from the alerts),
  per-activation learning curves with a band across seeds on log loss axes, dead and saturated units and
  gradient flow per layer, then every run's own figures, collapsed. Figures are SVG drawn in Node; the page
  loads nothing and needs no server. Each recording is read once, in bounded memory: the figures draw an
  evenly spread subset of each series (up to 2000 steps, 1000 evaluations, 400 probed steps per layer, each
  series' last row included); the per-run summaries count every row. The output is written to a temporary
  file and renamed; it may not be one of the inputs.
  A sweep's directory (gradscope sweep --out DIR: it holds sweep.json) gets a sweep report: the best grid
  point with its 95 % interval and range over the seeds, each axis' verdict, the best points' table, a
  heatmap of the metric over two axes, a race table per axis (the race protocol over the seeds and the
  other axes, ties named) and every run that diverged, failed or is missing. Each recording is read once
  and only its scores kept, so hundreds of runs fit; a sweep still running is reported as far as it got.
  --metric loss|accuracy   held-out loss (default) or accuracy at each run's best step
  --heatmap X,Y            the heatmap's column and row axes (default: the two with the most values)
  --top N                  best grid points listed (default 10)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    out: { type: "string" }, title: { type: "string" }, metric: { type: "string" }, heatmap: { type: "string" }, top: { type: "string" },
  }, true);
  const input = positionals[0];
  if (!input || positionals.length > 1) throw new UsageError("report takes one FILE.ndjson or DIR");
  if (!values.out) throw new UsageError("--out report.html is required");
  if (statSync(input).isDirectory() && existsSync(manifestPath(input))) return sweepReport(input, values.out, values);
  for (const flag of ["metric", "heatmap", "top"] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} is for a sweep's directory (one with sweep.json)`);
  const files = statSync(input).isDirectory()
    ? readdirSync(input).filter((f) => f.endsWith(".ndjson")).sort().map((f) => join(input, f))
    : [input];
  if (files.length === 0) throw new UsageError(`no .ndjson files in ${input}`);
  checkOutput(values.out, { inputs: files }); // before reading: never write over a recording
  const bar = progressBar({ total: files.length, label: "reading " });
  const runs: ReportRun[] = [];
  for (const file of files) {
    // one pass, bounded memory: decimated series and a streaming summary (a 1M-step recording fits in ~1 GB)
    const warn = (w: string) => process.stderr.write(`gradscope report: ${file}: warning: ${w}\n`);
    runs.push(await inFile(file, () => readRecording(file, basename(file), warn)));
    bar.update(runs.length, basename(file));
  }
  bar.done();
  const html = renderReport(runs, values.title ?? `gradscope report: ${basename(input)}`);
  const out = atomicFile(values.out, { inputs: files });
  try {
    out.write(html);
    out.commit();
  } finally {
    out.abort();
  }
  process.stdout.write(`wrote ${values.out} (${runs.length} run${runs.length === 1 ? "" : "s"})\n`);
  return 0;
}

/** `report DIR` for a sweep's directory: scores of every run, read one recording at a time. */
async function sweepReport(dir: string, outPath: string, values: { title?: string; metric?: string; heatmap?: string; top?: string }): Promise<number> {
  const metric = values.metric ?? "loss";
  if (metric !== "loss" && metric !== "accuracy") throw new UsageError(`--metric must be loss or accuracy, got ${JSON.stringify(metric)}`);
  const pair = values.heatmap?.split(",").map((s) => s.trim());
  if (pair && (pair.length !== 2 || !pair[0] || !pair[1])) throw new UsageError(`--heatmap takes two axes, e.g. --heatmap activation,depth; got ${JSON.stringify(values.heatmap)}`);
  const top = values.top === undefined ? 10 : Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer, got ${JSON.stringify(values.top)}`);
  const files = readdirSync(dir).filter((f) => f.endsWith(".ndjson")).map((f) => join(dir, f));
  checkOutput(outPath, { inputs: files });
  let bar: ReturnType<typeof progressBar> | undefined;
  const sweep = await readSweep(dir, {
    onRun: (done, total, id) => (bar ??= progressBar({ total, label: "reading " })).update(done, id),
    onWarning: (w) => process.stderr.write(`gradscope report: ${dir}: warning: ${w}\n`),
  });
  bar?.done();
  try {
    heatmapAxes(sweep, pair as [string, string] | undefined);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const html = renderSweepReport(sweep, values.title ?? `gradscope sweep report: ${sweep.spec.name}`, { metric, top, ...(pair ? { heatmap: pair as [string, string] } : {}) });
  const out = atomicFile(outPath, { inputs: files });
  try {
    out.write(html);
    out.commit();
  } finally {
    out.abort();
  }
  const c = sweep.runs.reduce((n, r) => n + (r.state === "finished" ? 1 : 0), 0);
  const missing = sweep.runs.filter((r) => r.state === "missing" || r.state === "unfinished").length;
  process.stdout.write(`wrote ${outPath} (sweep ${sweep.spec.name}: ${c} of ${sweep.runs.length} runs finished${missing ? `, ${missing} missing` : ""})\n`);
  return 0;
}
