import { availableParallelism } from "node:os";
import { activationNamed } from "@gradscope/core";
import { raceJobs, resolveRunConfig, type RunConfig } from "@gradscope/stream";
import { numberFlag, numberList, parse, UsageError } from "../args.js";
import { summarizeRace } from "../compare/aggregate.js";
import { runPool, type CompareJob } from "../compare/compareRuns.js";
import { pm, sig } from "../compare/formatCompare.js";

export const help = `gradscope advise [--datasets spiral,moons,circles,xor,digits] [--depths 4,10] [--activations LIST] [--seeds 5] [--steps 2000] [--width 32] [--jobs N] [--json]
  Runs compare's race (same step budget, --seeds seeds each, held-out numbers at the best step, paired
  comparisons, kernel cost) for every (data set, depth) and prints what the advisor recommends and why,
  as the Markdown table in the README. Default activations: relu,leakyRelu,elu,prelu,rrelu,sigmoid.
  --json prints [{dataset, depth, activation, tiedWith, tieGroups, reasons, contenders: [{activation,
  bestTestLoss, bestTestAccuracy, testLoss, deadFrac, log10GradientRatio, kernelNs}]}].`;

/** One row of the advisor's table. */
export interface AdviceRow {
  dataset: string;
  depth: number;
  activation: string | null;
  tiedWith: string[];
  tieGroups: string[][];
  reasons: string[];
  contenders: { activation: string; bestTestLoss: number | null; bestTestLossHalfWidth: number | null; bestTestAccuracy: number | null; testLoss: number | null; deadFrac: number | null; log10GradientRatio: number | null; kernelNs: number | null }[];
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    datasets: { type: "string" }, depths: { type: "string" }, activations: { type: "string" }, seeds: { type: "string" },
    steps: { type: "string" }, width: { type: "string" }, jobs: { type: "string" }, json: { type: "boolean" },
  });
  const datasets = (values.datasets ?? "spiral,moons,circles,xor,digits").split(",").map((s) => s.trim()).filter(Boolean);
  const depths = numberList("depths", values.depths ?? "4,10");
  const names = (values.activations ?? "relu,leakyRelu,elu,prelu,rrelu,sigmoid").split(",").map((s) => s.trim()).filter(Boolean);
  if (!datasets.length || !names.length) throw new UsageError("--datasets and --activations must name at least one each");
  for (const name of names) activationNamed(name);
  const seeds = numberFlag("seeds", values.seeds, 5, { integer: true, min: 1 });
  const steps = numberFlag("steps", values.steps, 2000, { integer: true, min: 1 });
  const width = numberFlag("width", values.width, 32, { integer: true, min: 1 });
  const jobs = numberFlag("jobs", values.jobs, Math.max(1, availableParallelism()), { integer: true, min: 1 });
  const configs: RunConfig[] = datasets.flatMap((dataset) => depths.map((depth) => ({ dataset, depth, width, steps })));
  for (const c of configs) resolveRunConfig(c); // a bad data set or depth is a usage error before any run

  const rows: AdviceRow[] = [];
  for (const base of configs) {
    process.stderr.write(`advise: ${base.dataset}, depth ${base.depth}: ${names.length} activations × ${seeds} seeds\n`);
    const list: CompareJob[] = raceJobs(base, names, { seeds }).map((job) => ({ ...job, activation: job.contender }));
    const runs = await runPool(list, { concurrency: jobs });
    for (const r of runs) if (r.error) process.stderr.write(`advise: ${r.job.config.run} failed: ${r.error}\n`);
    const race = summarizeRace(runs.filter((r) => !r.error), names, { config: base, targetLoss: 0.5, targetAccuracy: null, patience: 5 });
    const rec = race.recommendation;
    rows.push({
      dataset: base.dataset!, depth: base.depth!, activation: rec.activation, tiedWith: rec.tiedWith, tieGroups: rec.tieGroups, reasons: rec.reasons,
      contenders: race.activations.map((s) => ({
        activation: s.activation, bestTestLoss: s.bestTestLoss?.mean ?? null, bestTestLossHalfWidth: s.bestTestLoss?.halfWidth ?? null,
        bestTestAccuracy: s.bestTestAccuracy?.mean ?? null, testLoss: s.testLoss?.mean ?? null, deadFrac: s.deadFrac?.mean ?? null,
        log10GradientRatio: s.log10GradientRatio?.mean ?? null, kernelNs: s.kernelNs,
      })),
    });
    if (!values.json) process.stdout.write(rows.length === 1 ? `${tableHeader()}\n${tableRow(rows.at(-1)!, race.activations)}\n` : `${tableRow(rows.at(-1)!, race.activations)}\n`);
  }
  if (values.json) process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
  else process.stdout.write(`\n${seeds} seeds, ${steps} steps, width ${width}, Adam lr 0.01, batch 32; held-out loss at the best step (early stopping, patience 5), mean ± 95 % half-width; tie = the paired comparison over seeds cannot separate them.\n`);
  return 0;
}

function tableHeader(): string {
  return "| data set | depth | recommended | tied with it | why | held-out loss at best step (recommended) | passed over |\n|---|---|---|---|---|---|---|";
}

function tableRow(row: AdviceRow, summaries: ReturnType<typeof summarizeRace>["activations"]): string {
  const pick = summaries.find((s) => s.activation === row.activation);
  const rrelu = row.reasons.find((r) => / overfits and rrelu, which ties with it, does not/.test(r));
  const why = rrelu ? `tie, and ${rrelu.split(" ")[0]} overfits where rrelu does not`
    : row.tiedWith.length ? "tie; the cheapest of the tied (kernel cost)" : "the seeds separate it from every other";
  const leaders = new Set(row.tieGroups[0] ?? []);
  const passedOver = summaries.filter((s) => s.activation !== row.activation && !row.tiedWith.includes(s.activation))
    .map((s) => {
      const flags: string[] = [];
      if (s.log10GradientRatio && s.log10GradientRatio.mean < -3) flags.push(`vanishing 10^${s.log10GradientRatio.mean.toFixed(1)}`);
      if (s.deadFrac && s.deadFrac.mean > 0.5) flags.push(`${sig(100 * s.deadFrac.mean, 2)} % dead`);
      if (!flags.length) flags.push(leaders.has(s.activation) ? "tied but dearer" : `loses: ${s.bestTestLoss ? sig(s.bestTestLoss.mean, 2) : "–"}`);
      return `${s.activation} (${flags.join(", ")})`;
    });
  const acc = pick?.bestTestAccuracy ? `, ${pm(pick.bestTestAccuracy, 100)} % accurate` : "";
  return `| ${row.dataset} | ${row.depth} | **${row.activation ?? "none"}** | ${row.tiedWith.join(", ") || "–"} | ${why} | ${pick ? pm(pick.bestTestLoss) : "–"}${acc} | ${passedOver.join("; ") || "–"} |`;
}
