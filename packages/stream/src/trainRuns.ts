import { merge, type Observable } from "rxjs";
import { resolveRunConfig, type RunConfig } from "./runConfig.js";
import type { Row } from "./rows.js";
import { train, type TrainOptions } from "./train.js";

/**
 * Several runs side by side: their rows merged into one stream, told apart by `run`. The runs
 * interleave slice by slice on one thread (each yields to the event loop), and one control (in
 * `options`) drives them all. Run names must be unique.
 * @example
 * trainRuns(compareConfigs({ depth: 10, steps: 300 }, ["relu", "elu", "sigmoid"])).subscribe(render);
 */
export function trainRuns(configs: readonly RunConfig[], options: TrainOptions = {}): Observable<Row> {
  if (configs.length === 0) throw new RangeError("trainRuns needs at least one config");
  const names = configs.map((c) => resolveRunConfig(c).run);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new RangeError(`run name "${twice}" is used twice; give each config a distinct run`);
  return merge(...configs.map((c) => train(c, options)));
}

/**
 * Merges already-made runs (e.g. several `trainInWorker` runs, one worker each) into one stream of
 * rows, told apart by `run`; unsubscribing stops them all. For notebooks, which import no rxjs.
 * @example liveRun(mergeRuns(["relu", "elu"].map((a) => trainInWorker({ activation: a, run: a }))))
 */
export function mergeRuns(runs: readonly Observable<Row>[]): Observable<Row> {
  if (runs.length === 0) throw new RangeError("mergeRuns needs at least one run");
  return merge(...runs);
}

/**
 * One config per activation, identical otherwise (same data, seed, depth, optimiser), each named
 * after its activation. If `base.init` is set every run uses it; otherwise each activation gets the
 * initialiser its literature pairs it with (He for ReLUs, LeCun for SELU, Glorot otherwise).
 */
export function compareConfigs(base: RunConfig, activations: readonly string[]): RunConfig[] {
  return activations.map((activation) => ({ ...base, activation, run: activation }));
}
