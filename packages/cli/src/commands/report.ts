import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parse, UsageError } from "../args.js";
import { atomicFile, checkOutput } from "../atomicFile.js";
import { progressBar } from "../progress.js";
import { inFile } from "../inFile.js";
import { readRecording, type ReportRun } from "../report/readRecording.js";
import { renderReport } from "../report/renderReport.js";

export const summary = "write a self-contained HTML report of recordings";

export const help = `gradscope report FILE.ndjson | DIR --out report.html [--title TEXT]
  Writes a self-contained HTML report of one recording or of every *.ndjson in DIR (e.g. compare --out),
  answer first: the race's recommendation and compare's table (held-out numbers at the best step and at
  the end with 95 % intervals, ties, kernel cost), its evidence, what happened in words (from the alerts),
  per-activation learning curves with a band across seeds on log loss axes, dead and saturated units and
  gradient flow per layer, then every run's own figures, collapsed. Figures are SVG drawn in Node; the page
  loads nothing and needs no server. Each recording is read once, in bounded memory: the figures draw an
  evenly spread subset of each series (up to 2000 steps, 1000 evaluations, 400 probed steps per layer, each
  series' last row included); the per-run summaries count every row. The output is written to a temporary
  file and renamed; it may not be one of the inputs.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: "string" }, title: { type: "string" } }, true);
  const input = positionals[0];
  if (!input || positionals.length > 1) throw new UsageError("report takes one FILE.ndjson or DIR");
  if (!values.out) throw new UsageError("--out report.html is required");
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
