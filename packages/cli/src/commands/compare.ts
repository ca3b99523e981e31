import { availableParallelism } from "node:os";
import { activationNamed } from "@gradscope/core";
import { raceJobs, resolveRunConfig, type KernelCost, type RunConfig } from "@gradscope/stream";
import { numberFlag, parse, UsageError } from "../args.js";
import { summarizeRace, thresholds, type ActivationSummary, type Recommendation } from "../compare/aggregate.js";
import { runPool, type CompareJob } from "../compare/compareRuns.js";
import { formatCompare } from "../compare/formatCompare.js";
import { multiProgress } from "../compare/multiProgress.js";
import { runConfigFromFlags, trainFlags, trainFlagsHelp } from "../config.js";

export const help = `gradscope compare --activations relu,leakyRelu,elu,… [training flags] [--seeds N] [--jobs N] [--patience N] [--target-loss X] [--target-accuracy X] [--json] [--out DIR]
  A race (the protocol of @gradscope/stream's scoreRace): every activation trains the same number of steps
  on the same seeds, in parallel worker threads (trainInWorker). Held-out loss and accuracy are read at the
  best held-out step early stopping keeps (--patience evaluations without improvement) and at the end; each
  is shown as the mean over seeds ± the half-width of its 95 % t-interval. Activations whose seed-by-seed
  differences the interval cannot separate are a tie. Cost is the activation's kernels' ns per element,
  timed in isolation here, × elements per step (µs/step), beside the measured wall time per step.
  The recommendation follows the tutorial: ReLU first; Leaky ReLU or ELU when ReLU loses by a margin the
  seeds support or its units die; the cheapest of a tie; PReLU with plenty of data; RReLU against
  overfitting – with its evidence. Ctrl-C stops the runs and reports the finished ones.
  Exit status 1 when every run failed.
  --activations LIST   comma-separated activation names (required)
  --seeds N            seeds per activation, from --seed (default 1) on (default 5)
  --jobs N             runs at once (default: the machine's cores)
  --patience N         early stopping's patience in held-out evaluations (default 5; ~40 per run)
  --target-loss X      steps until the 20-step moving average of the mini-batch loss ≤ X (default 0.5)
  --target-accuracy X  steps until held-out accuracy ≥ X (0–1; default: not measured)
  --json               the result as JSON (the same numbers as the table, unrounded)
  --out DIR            keep every run's NDJSON as DIR/<activation>-seed<seed>.ndjson (for gradscope report DIR)
${trainFlagsHelp}`;

/** What `compare --json` prints. Fields are only ever added. */
export interface CompareResult {
  config: RunConfig;
  seeds: number[];
  targetLoss: number;
  /** --target-accuracy, or null. */
  targetAccuracy: number | null;
  thresholds: typeof thresholds;
  /** The race's settings: early stopping's patience, the interval's level, the tie margin. */
  protocol: { patience: number; level: number; relativeMargin: number; evalEvery: number };
  activations: ActivationSummary[];
  recommendation: Recommendation;
  /** Kernel cost per activation (ns per element, forward and backward), measured in this process. */
  kernelCost: KernelCost[];
  /** Runs that threw, with their message. */
  failed: { activation: string; seed: number; error: string }[];
  /** True when Ctrl-C stopped the comparison: only finished runs are in. */
  interrupted: boolean;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    ...trainFlags, activations: { type: "string" }, seeds: { type: "string" }, jobs: { type: "string" },
    "target-loss": { type: "string" }, "target-accuracy": { type: "string" }, patience: { type: "string" },
    json: { type: "boolean" }, out: { type: "string" },
  });
  if (!values.activations) throw new UsageError("--activations is required, e.g. --activations relu,leakyRelu,elu");
  if (values.activation !== undefined) throw new UsageError("compare takes --activations (a list), not --activation");
  const names = values.activations.split(",").map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`--activations named no activation (got "${values.activations}"), e.g. --activations relu,leakyRelu,elu`);
  for (const name of names) activationNamed(name); // unknown names fail before any run starts
  const seedCount = numberFlag("seeds", values.seeds, 5, { integer: true, min: 1 });
  const jobs = numberFlag("jobs", values.jobs, Math.max(1, availableParallelism()), { integer: true, min: 1 });
  const targetLoss = numberFlag("target-loss", values["target-loss"], 0.5, { min: 0, exclusiveMin: true });
  const targetAccuracy = values["target-accuracy"] === undefined ? null : numberFlag("target-accuracy", values["target-accuracy"], 0, { min: 0 });
  if (targetAccuracy !== null && targetAccuracy > 1) throw new UsageError(`--target-accuracy is a fraction in [0, 1], got "${values["target-accuracy"]}"`);
  const patience = numberFlag("patience", values.patience, 5, { integer: true, min: 1 });
  const base = runConfigFromFlags(values);
  const seeds = Array.from({ length: seedCount }, (_, i) => (base.seed ?? 1) + i);
  // every config is checked here: a bad flag is a usage error, not a worker failure
  const list: CompareJob[] = raceJobs(base, names, { seeds: seedCount }).map((job) => ({ ...job, activation: job.contender }));
  const steps = resolveRunConfig(base).steps;

  const abort = new AbortController();
  const onSigint = () => {
    process.stderr.write("\ninterrupted: stopping the runs, reporting the finished ones\n");
    abort.abort();
  };
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint); // a polite kill also reports the finished runs
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
    process.off("SIGTERM", onSigint);
  }
  const race = summarizeRace(runs.filter((r) => !r.error), names, { config: base, targetLoss, targetAccuracy, patience });
  const result: CompareResult = {
    config: base, seeds, targetLoss, targetAccuracy, thresholds,
    protocol: { patience, level: 0.95, relativeMargin: 0.02, evalEvery: list[0]?.config.evalEvery ?? 0 },
    ...race,
    failed: runs.filter((r) => r.error).map((r) => ({ activation: r.job.contender, seed: r.job.seed, error: r.error! })),
    interrupted: abort.signal.aborted,
  };
  process.stdout.write(values.json ? JSON.stringify(result, null, 2) + "\n" : formatCompare(result));
  if (runs.length > 0 && result.failed.length === runs.length) {
    process.stderr.write(`gradscope compare: every run failed (${result.failed.length} of ${list.length}); the first: ${result.failed[0]!.error}\n`);
    return 1;
  }
  return 0;
}

export { formatCompare };
