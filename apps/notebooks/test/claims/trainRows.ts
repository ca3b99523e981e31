/**
 * Helpers for the notebooks' claims tests: train a notebook's own run configuration in Node (the wasm
 * backend, as in the browser's workers) and keep its rows.
 */
import { loadDigits } from "@gradscope/core/node";
import { train, type EvalRow, type LayerRow, type Row, type RunConfig, type StatusRow, type StepRow, type TrainOptions } from "@gradscope/stream";

/**
 * Claims tests train for seconds of CPU; on a busy 2-core machine the wall clock can stretch that many
 * times over. They wait for the runs to finish (an event), so the only deadline is a hang guard.
 */
export const CLAIM_TIMEOUT = 15 * 60_000;

/** Every claim is checked on these seeds. */
export const seeds = [1, 2, 3] as const;

/**
 * All rows of a run, alerts off (they are another test's business). `steps` shortens the run where a
 * claim is about its early part; the notebook's text then says what happens by that step.
 */
export function trainRows(config: RunConfig, options: TrainOptions & { steps?: number } = {}): Promise<Row[]> {
  const { steps, ...rest } = options;
  const rows: Row[] = [];
  const run = train({ ...config, alerts: false, ...(steps === undefined ? {} : { steps }) }, { loadDigits, sliceMs: 1000, ...rest });
  return new Promise((resolve, reject) =>
    run.subscribe({ next: (r) => rows.push(r), error: reject, complete: () => resolve(rows) }),
  );
}

/** The same run over every seed, one after another (CI has two cores for everything). */
export async function overSeeds<T>(f: (seed: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const seed of seeds) out.push(await f(seed));
  return out;
}

export const layers = (rows: Row[]) => rows.filter((r): r is LayerRow => r.type === "layer");
export const hiddenLayers = (rows: Row[]) => layers(rows).filter((r) => r.activation !== "none");
export const evals = (rows: Row[]) => rows.filter((r): r is EvalRow => r.type === "eval");
export const stepRows = (rows: Row[]) => rows.filter((r): r is StepRow => r.type === "step");
export const status = (rows: Row[]) => rows.find((r): r is StatusRow => r.type === "status")!;
/** Hidden layers' rows at one probed step, input side first. */
export const hiddenAt = (rows: Row[], step: number) => hiddenLayers(rows).filter((r) => r.step === step);
export { mean } from "@gradscope/stream";

/** Prints what a claim measured on each seed, so CI logs and reviews can quote the numbers. */
export function measured(claim: string, values: readonly (number | string)[], over = `seeds ${seeds.join(", ")}`): void {
  const show = (v: number | string) => (typeof v === "number" ? (Math.abs(v) >= 1e-3 || v === 0 ? +v.toFixed(3) : v.toExponential(2)) : v);
  console.log(`[claim] ${claim}: ${values.map(show).join(" | ")} (${over})`);
}
