import { availableParallelism } from "node:os";
import { activationNamed } from "@gradscope/core";
import { resolveRunConfig, type RunConfig } from "@gradscope/stream";
import { numberFlag, parse, UsageError } from "../args.js";
import { aggregate, type ActivationSummary, type Spread } from "../compare/aggregate.js";
import { runPool, type CompareJob } from "../compare/compareRuns.js";
import { multiProgress } from "../compare/multiProgress.js";
import { recommend, thresholds, type Recommendation } from "../compare/recommend.js";
import { runConfigFromFlags, trainFlags, trainFlagsHelp } from "../config.js";
import { fmt } from "../reproduce/experiment.js";

export const summary = "race activations over seeds in parallel; table and recommendation";

export const help = `gradscope compare --activations relu,leakyRelu,elu,… [training flags] [--seeds N] [--jobs N] [--target-loss X] [--json] [--out DIR]
  Trains every (activation, seed) in parallel, one worker thread per run (trainInWorker), and prints
  per activation, as mean ± spread (sample standard deviation) over seeds: training loss and accuracy
  (mean mini-batch over the last 10 % of steps), held-out loss and accuracy (the final evaluation),
  steps until the 20-step moving average of the loss reaches --target-loss, ms per step, dead and
  saturated fractions (mean over hidden layers, last step), and the first/last hidden-layer ‖∂L/∂z‖
  ratio (geometric mean, spread in decades). Then a ranking by held-out loss and a recommendation.
  Ctrl-C stops the runs and reports the finished ones. Exit status 1 when every run failed.
  --activations LIST  comma-separated activation names (required)
  --seeds N           seeds 1…N per activation (default 3)
  --jobs N            runs at once (default: the machine's cores)
  --target-loss X     default 0.5
  --json              the result as JSON (the same numbers as the table, unrounded)
  --out DIR           keep every run's NDJSON as DIR/<activation>-seed<seed>.ndjson
${trainFlagsHelp}`;

/** What `compare --json` prints. */
export interface CompareResult {
  config: RunConfig;
  seeds: number[];
  targetLoss: number;
  thresholds: typeof thresholds;
  activations: ActivationSummary[];
  recommendation: Recommendation;
  /** Runs that threw, with their message. */
  failed: { activation: string; seed: number; error: string }[];
  /** True when Ctrl-C stopped the comparison: only finished runs are in. */
  interrupted: boolean;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    ...trainFlags, activations: { type: "string" }, seeds: { type: "string" }, jobs: { type: "string" },
    "target-loss": { type: "string" }, json: { type: "boolean" }, out: { type: "string" },
  });
  if (!values.activations) throw new UsageError("--activations is required, e.g. --activations relu,leakyRelu,elu");
  if (values.activation !== undefined) throw new UsageError("compare takes --activations (a list), not --activation");
  const names = values.activations.split(",").map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`--activations named no activation (got "${values.activations}"), e.g. --activations relu,leakyRelu,elu`);
  for (const name of names) activationNamed(name); // unknown names fail before any run starts
  const seedCount = numberFlag("seeds", values.seeds, 3, { integer: true, min: 1 });
  const jobs = numberFlag("jobs", values.jobs, Math.max(1, availableParallelism()), { integer: true, min: 1 });
  const targetLoss = numberFlag("target-loss", values["target-loss"], 0.5, { min: 0, exclusiveMin: true });
  const base = runConfigFromFlags(values);
  const seeds = Array.from({ length: seedCount }, (_, i) => (base.seed ?? 1) + i);
  const list: CompareJob[] = names.flatMap((activation) => seeds.map((seed) => {
    const config: RunConfig = { ...base, activation, seed, run: `${activation}-seed${seed}` };
    resolveRunConfig(config); // check it here: a bad flag is a usage error, not a worker failure
    return { activation, seed, config };
  }));
  const steps = resolveRunConfig(base).steps;

  const abort = new AbortController();
  const onSigint = () => {
    process.stderr.write("\ninterrupted: stopping the runs, reporting the finished ones\n");
    abort.abort();
  };
  process.once("SIGINT", onSigint);
  const bars = multiProgress(list.map((j) => j.config.run!), steps);
  let runs;
  try {
    runs = await runPool(list, {
      concurrency: jobs, signal: abort.signal,
      ...(values.out ? { outDir: values.out } : {}),
      onProgress: (i, step) => bars.update(i, step),
      onFinished: (i, r) => bars.finish(i, r.error ? `failed: ${r.error}` : "done"),
    });
  } finally {
    bars.close();
    process.off("SIGINT", onSigint);
  }
  const summaries = aggregate(runs, names, targetLoss);
  const result: CompareResult = {
    config: base, seeds, targetLoss, thresholds, activations: summaries, recommendation: recommend(summaries),
    failed: runs.filter((r) => r.error).map((r) => ({ activation: r.job.activation, seed: r.job.seed, error: r.error! })),
    interrupted: abort.signal.aborted,
  };
  process.stdout.write(values.json ? JSON.stringify(result, null, 2) + "\n" : formatCompare(result));
  if (runs.length > 0 && result.failed.length === runs.length) {
    process.stderr.write(`gradscope compare: every run failed (${result.failed.length} of ${list.length}); the first: ${result.failed[0]!.error}\n`);
    return 1;
  }
  return 0;
}

const cell = (s: Spread | null, scale = 1) => (s ? `${fmt(s.mean * scale)} ± ${fmt(s.spread * scale)}` : "–");

/** The table and the recommendation as text; every number is `fmt` of the JSON's. */
export function formatCompare(r: CompareResult): string {
  const header = ["activation", "seeds", "train loss", "train acc", "test loss", "test acc", "steps to target", "ms/step", "dead", "saturated", "log10 grad ratio"];
  const rows = r.activations.map((s) => [
    s.activation, String(s.seeds.length), cell(s.trainLoss), cell(s.trainAccuracy), cell(s.testLoss), cell(s.testAccuracy),
    s.stepsToTarget ? `${cell(s.stepsToTarget)} (${s.reached}/${s.runs.length})` : `never (0/${s.runs.length})`,
    cell(s.msPerStep), cell(s.deadFrac), cell(s.saturatedFrac), cell(s.log10GradientRatio),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const rec = r.recommendation;
  return [
    r.interrupted ? "interrupted: finished runs only\n" : "",
    line(header),
    line(widths.map((w) => "─".repeat(w))),
    ...rows.map(line),
    "",
    `target loss ${r.targetLoss}; mean ± sample standard deviation over seeds`,
    `ranking by held-out loss: ${rec.ranking.map((a) => `${a}${rec.flags[a]!.length ? ` [${rec.flags[a]!.join(", ")}]` : ""}`).join(" < ")}`,
    ...r.failed.map((f) => `failed: ${f.activation} seed ${f.seed}: ${f.error}`),
    "",
    `recommendation: ${rec.activation ?? "none"}`,
    ...rec.reasons.map((reason) => `  - ${reason}`),
  ].join("\n") + "\n";
}
