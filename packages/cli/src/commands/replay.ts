import { finalHiddenLayers, gradientRatio, isRow, type LayerRow, type Row } from "@gradscope/stream";
import { replayFile } from "@gradscope/stream/node";
import { lastValueFrom, toArray } from "rxjs";
import { parse, UsageError } from "../args.js";
import { gradientStrip } from "../gradientStrip.js";

export const summary = "replay a recording, or summarise it";

export const help = `gradscope replay FILE.ndjson [--summary] [--json] [--realtime] [--speed X]
  Replays a recording: one line per step with its loss and gradient-flow strip, alerts, and the
  final status; --realtime paces it as it was recorded (× --speed). With --summary, a summary
  instead (--json for it as JSON): config, steps, final loss and accuracy, held-out accuracy,
  first/last hidden layer ‖∂L/∂z‖ ratio, dead and saturated fractions, alerts, status.
  A malformed line is an error naming its line number; a truncated last line (a crash mid-write)
  is reported and the rest kept.`;

/** What `replay --summary --json` prints. */
export interface RunSummary {
  run: string;
  config: Record<string, unknown> | null;
  steps: number;
  finalLoss: number;
  finalAccuracy: number;
  evalLoss: number | null;
  evalAccuracy: number | null;
  gradientRatio: number | null;
  deadFrac: number[];
  saturatedFrac: number[];
  alerts: { step: number; kind: string; message: string }[];
  status: string;
}

/** Summarises a run's rows. */
export function summarize(rows: Row[], config: Record<string, unknown> | null): RunSummary {
  const steps = rows.filter(isRow("step"));
  const last = steps.at(-1);
  const evals = rows.filter(isRow("eval"));
  const finalLayers = finalHiddenLayers(rows);
  const status = rows.filter(isRow("status")).at(-1);
  return {
    run: rows.find((r) => r.type !== "header")?.run ?? "",
    config,
    steps: last?.step ?? 0,
    finalLoss: last?.loss ?? NaN,
    finalAccuracy: last?.accuracy ?? NaN,
    evalLoss: evals.at(-1)?.loss ?? null,
    evalAccuracy: evals.at(-1)?.accuracy ?? null,
    gradientRatio: gradientRatio(finalLayers),
    deadFrac: finalLayers.map((l) => l.deadFrac),
    saturatedFrac: finalLayers.map((l) => l.saturatedFrac),
    alerts: rows.filter(isRow("alert")).map(({ step, kind, message }) => ({ step, kind, message })),
    status: status?.status ?? "incomplete (no status row: the run did not finish)",
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { summary: { type: "boolean" }, json: { type: "boolean" }, realtime: { type: "boolean" }, speed: { type: "string" } }, true);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError("replay takes one FILE.ndjson");
  let config: Record<string, unknown> | null = null;
  const warn = (w: string) => process.stderr.write(`gradscope replay: warning: ${w}\n`);
  const rows$ = replayFile(file, {
    realtime: values.realtime ?? false,
    speed: values.speed ? Number(values.speed) : 1,
    onHeader: (h) => { config = h.config; },
    onWarning: warn,
  });
  if (values.summary) {
    const rows = await lastValueFrom(rows$.pipe(toArray()), { defaultValue: [] as Row[] });
    const s = summarize(rows, config);
    if (values.json) process.stdout.write(JSON.stringify(s, null, 2) + "\n");
    else {
      const fmt = (v: number | null) => (v === null ? "–" : v.toPrecision(4));
      process.stdout.write([
        `run ${s.run}: ${s.status} after ${s.steps} steps`,
        `final mini-batch loss ${fmt(s.finalLoss)}, accuracy ${fmt(s.finalAccuracy)}; held-out loss ${fmt(s.evalLoss)}, accuracy ${fmt(s.evalAccuracy)}`,
        `first/last hidden layer ‖∂L/∂z‖ ratio ${s.gradientRatio === null ? "–" : s.gradientRatio.toExponential(2)}`,
        `dead fraction per layer ${s.deadFrac.map((v) => v.toFixed(2)).join(" ")}`,
        `saturated fraction per layer ${s.saturatedFrac.map((v) => v.toFixed(2)).join(" ")}`,
        ...s.alerts.map((a) => `alert at step ${a.step} (${a.kind}): ${a.message}`),
      ].join("\n") + "\n");
    }
    return 0;
  }
  let pending: LayerRow[] = [];
  await new Promise<void>((resolve, reject) => {
    rows$.subscribe({
      next(row) {
        if (row.type === "layer") {
          pending.push(row);
          if (row.activation === "none") {
            process.stdout.write(`  ∂L/∂z ${gradientStrip(pending.map((l) => l.gradNormZ))}\n`);
            pending = [];
          }
        } else if (row.type === "step") process.stdout.write(`step ${row.step} loss ${row.loss.toFixed(4)} accuracy ${row.accuracy.toFixed(3)}`);
        else if (row.type === "alert") process.stdout.write(`\nalert (${row.kind}): ${row.message}\n`);
        else if (row.type === "status") process.stdout.write(`\n${row.status} at step ${row.step}\n`);
        else if (row.type === "eval") process.stdout.write(`\neval at step ${row.step}: loss ${row.loss.toFixed(4)} accuracy ${row.accuracy.toFixed(3)}\n`);
      },
      error: reject,
      complete: resolve,
    });
  });
  return 0;
}
