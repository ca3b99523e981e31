import { alertLine, type LayerRow } from "@gradscope/stream";
import { readNdjson, replayFile } from "@gradscope/stream/node";
import { numberFlag, parse, UsageError } from "../args.js";
import { gradientStrip } from "../gradientStrip.js";
import { inFile } from "../inFile.js";
import { RunSummarizer } from "../runSummary.js";

export const help = `gradscope replay FILE.ndjson [--summary] [--json] [--realtime] [--speed X]
  Replays a recording: one line per step with its loss and gradient-flow strip, alerts, and the
  final status; --realtime paces it as it was recorded (× --speed). With --summary, a summary
  instead (--json for it as JSON): config, steps, final loss and accuracy, held-out accuracy,
  first/last hidden layer ‖∂L/∂z‖ ratio, dead and saturated fractions, alerts, status.
  The summary reads the file once in constant memory (a recording of any length); it lists the first
  1000 alerts and counts them all (alertCount). A malformed line, or a row with a missing or wrongly
  typed field, is an error naming the file, line and field (exit 2), as is a recording with no rows;
  a truncated last line (a crash mid-write) is reported and the rest kept. A UTF-8 BOM is accepted.`;

export { summarize, type RunSummary } from "../runSummary.js";

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { summary: { type: "boolean" }, json: { type: "boolean" }, realtime: { type: "boolean" }, speed: { type: "string" } }, true);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError("replay takes one FILE.ndjson");
  let config: Record<string, unknown> | null = null;
  const warn = (w: string) => process.stderr.write(`gradscope replay: ${file}: warning: ${w}\n`);
  if (values.summary) {
    const summarizer = new RunSummarizer();
    await inFile(file, async () => {
      for await (const row of readNdjson(file, { onHeader: (h) => { config = h.config; }, onWarning: warn })) summarizer.add(row);
    });
    const s = summarizer.summary(config);
    if (values.json) process.stdout.write(JSON.stringify(s, null, 2) + "\n");
    else {
      const fmt = (v: number | null) => (v === null ? "–" : v.toPrecision(4));
      process.stdout.write([
        `run ${s.run}: ${s.status} after ${s.steps} steps`,
        `final mini-batch loss ${fmt(s.finalLoss)}, accuracy ${fmt(s.finalAccuracy)}; held-out loss ${fmt(s.evalLoss)}, accuracy ${fmt(s.evalAccuracy)}`,
        `first/last hidden layer ‖∂L/∂z‖ ratio ${s.gradientRatio === null ? "–" : s.gradientRatio.toExponential(2)}`,
        `dead fraction per layer ${s.deadFrac.map((v) => v.toFixed(2)).join(" ")}`,
        `saturated fraction per layer ${s.saturatedFrac.map((v) => v.toFixed(2)).join(" ")}`,
        ...s.alerts.map(alertLine),
        ...(s.alertCount > s.alerts.length ? [`… and ${s.alertCount - s.alerts.length} more alerts`] : []),
      ].join("\n") + "\n");
    }
    return 0;
  }
  const rows$ = replayFile(file, {
    realtime: values.realtime ?? false,
    speed: numberFlag("speed", values.speed, 1, { min: 0, exclusiveMin: true }),
    onWarning: warn,
  });
  let pending: LayerRow[] = [];
  let open = false; // a step line waits for its gradient strip; a step without layer rows ends it at the next row
  const line = (text: string, continued = false) => {
    if (open && !continued) process.stdout.write("\n");
    process.stdout.write(text);
    open = !text.endsWith("\n");
  };
  await inFile(file, () => new Promise<void>((resolve, reject) => {
    rows$.subscribe({
      next(row) {
        if (row.type === "layer") {
          pending.push(row);
          if (row.activation === "none") {
            line(`  ∂L/∂z ${gradientStrip(pending.map((l) => l.gradNormZ))}\n`, true);
            pending = [];
          }
        } else if (row.type === "step") line(`step ${row.step} loss ${row.loss.toFixed(4)} accuracy ${row.accuracy.toFixed(3)}`);
        else if (row.type === "alert") line(`${alertLine(row)}\n`);
        else if (row.type === "status") line(`${row.status} at step ${row.step}\n`);
        else if (row.type === "eval") line(`eval at step ${row.step}: loss ${row.loss.toFixed(4)} accuracy ${row.accuracy.toFixed(3)}\n`);
      },
      error: reject,
      complete: () => {
        if (open) process.stdout.write("\n");
        resolve();
      },
    });
  }));
  return 0;
}
