import {
  activationNamed, createTrainer, createWasmBackend, dataset, dtypes, jsBackend, datasets, trainTestSplit, defaultInit, mlp, normKinds, optimizer, optimizerNames, resolveInitializer,
  type Activation, type NormKind, type Backend, type Dataset, type DType, type InitializerName, type Trainer, type WasmBackend,
} from "@gradscope/core";
import type { DetectAlertsOptions } from "./operators/detectAlerts.js";
import { formatBytes, RUN_MEMORY_BUDGET, runMemoryBytes } from "./runMemory.js";
import { validateRunConfig } from "./validateRunConfig.js";
import { probeSchedules, type ProbeSchedule } from "./probeSchedule.js";

/** What the probes measure and how often. */
export interface ProbeOptions {
  /** Layer rows every N steps (1 = every step). 0 turns them off. Default 1. */
  every?: number;
  /**
   * "every" (default): step 1 and every `every`-th step. "log": dense early, sparse later — every `every`-th
   * step below 1,000, ten times sparser per decade after, and the last step (see `probeDue`); what
   * `gradscope run` records by default, so a 1M-step recording stays a few hundred MB.
   */
  schedule?: ProbeSchedule;
  /** Histogram or band rows every N steps; 0 = never. Default 0. */
  distributionsEvery?: number;
  /** "bins" (fixed-width histogram between min and max) or "bands" (percentiles). Default "bands". */
  distributions?: "bins" | "bands";
  /** Histogram bins. Default 30. */
  bins?: number;
  /** Saturation threshold ε: |f′(z)| < ε·max|f′| counts as saturated. Default 0.05. */
  epsilon?: number;
  /** Decision-boundary rows (2-D data sets only) every N steps and at the end; 0 = never. Default 0. */
  boundaryEvery?: number;
  /** Grid cells per axis of boundary rows. Default 40. */
  boundaryResolution?: number;
}

/**
 * A training run as plain, serialisable data (it goes into recordings' headers and to workers).
 * Every field has a default; see {@link resolveRunConfig}.
 */
export interface RunConfig {
  /** Name stamped on every row. Default: the activation's name. */
  run?: string;
  /** spiral (default), moons, circles, xor, blobs, or digits (needs a data loader: see TrainOverrides). */
  dataset?: string;
  /**
   * Where a worker run fetches the "digits" data set: the URL of an `encodeDigits` binary (absolute, since a
   * worker resolves relative URLs against its own script). The run draws `n` / 10 examples per digit from it,
   * seeded. Only with `dataset: "digits"`; the way browser workers get real digits.
   */
  digitsUrl?: string;
  /** Examples in the 2-D data sets (their own default when absent); for "digits", examples in all (default 2000). */
  n?: number;
  /** Noise of the 2-D data sets. */
  noise?: number;
  /** Activation name (default "relu"); see `activationNames`. */
  activation?: string;
  /** Changed activation parameters, e.g. { alpha: 0.2 }. */
  params?: Record<string, number>;
  /** Hidden layers. Default 4. */
  depth?: number;
  /** Units per hidden layer. Default 32. */
  width?: number;
  /** Initialiser name or a constant. Default: defaultInit(activation). */
  init?: string | number;
  /** Constant bias initial value. Default 0. */
  biasInit?: number;
  /** Learnable activation parameters per unit instead of per layer. Default false. */
  perUnit?: boolean;
  /**
   * Normalisation of every hidden layer between its dense product and its activation: "none"
   * (default), "batch" or "layer" (see `mlp`'s `norm`: the dense bias is dropped there, β replaces it).
   */
  norm?: NormKind;
  /** Identity skip connections around every hidden block after the first (see `mlp`). Default false. */
  residual?: boolean;
  /** sgd, momentum, nesterov or adam (default). */
  optimizer?: string;
  /** Default 0.01 for adam, 0.1 otherwise. */
  lr?: number;
  /** Default 32 (or the data set's size if smaller). */
  batchSize?: number;
  /** Steps to run; Infinity runs until stopped. Default 500. */
  steps?: number;
  /** Seed of data, weights, batches and stochastic activations. Default 1. */
  seed?: number;
  /** float32 (default) or float64. */
  precision?: DType;
  /**
   * Kernels: "auto" (default: a fresh WebAssembly SIMD backend per run for float32 where it loads,
   * the TypeScript one otherwise and for float64), "wasm" (fails if unavailable) or "js".
   */
  backend?: "auto" | "wasm" | "js";
  /**
   * 2: the wasm backend computes large matrix products (≥ 2¹⁸ multiply-adds, e.g. width ≥ 64 at
   * batch 64) on two threads, a helper worker on its shared memory (see createWasmBackend). Needs
   * float32 and shared memory; where memory cannot be shared the run uses one thread. Default 1.
   */
  threads?: 1 | 2;
  /** Held-out evaluation every N steps (and at the end); 0 = only at the end. Default 50. */
  evalEvery?: number;
  probes?: ProbeOptions;
  /** Alert thresholds (see detectAlerts), or false for no alerts. Default: detectAlerts' defaults. */
  alerts?: DetectAlertsOptions | false;
}

/** A run config with every default filled in. */
export type ResolvedRunConfig = Required<Omit<RunConfig, "n" | "noise" | "digitsUrl" | "probes" | "alerts">> &
  Pick<RunConfig, "n" | "noise" | "digitsUrl"> & { probes: Required<ProbeOptions>; alerts: DetectAlertsOptions | false };

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}
const isInt = (v: number, min: number) => Number.isInteger(v) && v >= min;
const isOneOf = (v: unknown, known: readonly unknown[]) => known.includes(v);
/** ["a", "b", "c"] → 'a, b or c' (quoted: '"a", "b" or "c"'), for messages. */
const orList = (known: readonly string[], quote = false) => {
  const w = known.map((k) => (quote ? `"${k}"` : k));
  return w.length > 1 ? `${w.slice(0, -1).join(", ")} or ${w.at(-1)!}` : w.join("");
};

/**
 * Fills in defaults and checks every field, naming the field and the bad value; an unknown key or a value
 * of the wrong type is an error too (see {@link validateRunConfig}).
 */
export function resolveRunConfig(config: RunConfig = {}): ResolvedRunConfig {
  validateRunConfig(config);
  const activation = config.activation ?? "relu";
  activationNamed(activation, config.params ?? {}); // throws on an unknown name or parameter
  const opt = config.optimizer ?? "adam";
  check((optimizerNames as readonly string[]).includes(opt), `unknown optimizer "${opt}" (known: ${optimizerNames.join(", ")})`);
  const ds = config.dataset ?? "spiral";
  check(ds === "digits" || Object.hasOwn(datasets, ds), `unknown dataset "${ds}" (known: ${[...Object.keys(datasets), "digits"].join(", ")})`);
  const init = config.init ?? defaultInit(activation);
  if (typeof init === "string") resolveInitializer(init as InitializerName);
  const p = config.probes ?? {};
  const r: ResolvedRunConfig = {
    run: config.run ?? activation,
    dataset: ds,
    activation,
    params: { ...(config.params ?? {}) },
    depth: config.depth ?? 4,
    width: config.width ?? 32,
    init,
    biasInit: config.biasInit ?? 0,
    perUnit: config.perUnit ?? false,
    norm: config.norm ?? "none",
    residual: config.residual ?? false,
    optimizer: opt,
    lr: config.lr ?? (opt === "adam" ? 0.01 : 0.1),
    batchSize: config.batchSize ?? 32,
    steps: config.steps ?? 500,
    seed: config.seed ?? 1,
    precision: config.precision ?? "float32",
    backend: config.backend ?? "auto",
    threads: config.threads ?? 1,
    evalEvery: config.evalEvery ?? 50,
    alerts: config.alerts ?? {},
    probes: {
      every: p.every ?? 1,
      schedule: p.schedule ?? "every",
      distributionsEvery: p.distributionsEvery ?? 0,
      distributions: p.distributions ?? "bands",
      bins: p.bins ?? 30,
      epsilon: p.epsilon ?? 0.05,
      boundaryEvery: p.boundaryEvery ?? 0,
      boundaryResolution: p.boundaryResolution ?? 40,
    },
  };
  if (config.n !== undefined) r.n = config.n;
  if (config.noise !== undefined) r.noise = config.noise;
  if (config.digitsUrl !== undefined) {
    const url: unknown = config.digitsUrl;
    check(typeof url === "string" && url.length > 0, `digitsUrl must be a non-empty string (a URL), got ${JSON.stringify(url)}`);
    check(ds === "digits", `digitsUrl is only used with dataset "digits", got dataset "${ds}"`);
    r.digitsUrl = url as string;
  }
  check(isInt(r.depth, 1), `depth must be a positive integer, got ${r.depth}`);
  check(normKinds.includes(r.norm), `norm must be one of ${normKinds.join(", ")}, got ${JSON.stringify(r.norm)}`);
  check(isInt(r.width, 1), `width must be a positive integer, got ${r.width}`);
  check(isInt(r.batchSize, 1), `batchSize must be a positive integer, got ${r.batchSize}`);
  check(r.norm !== "batch" || r.batchSize >= 2, `norm "batch" needs batchSize ≥ 2 (a batch's variance), got ${r.batchSize}`);
  check(r.steps === Infinity || isInt(r.steps, 0), `steps must be a non-negative integer or Infinity, got ${r.steps}`);
  check(Number.isFinite(r.seed), `seed must be a finite number, got ${r.seed}`);
  check(Number.isFinite(r.lr) && r.lr > 0, `lr must be a positive number, got ${r.lr}`);
  check(Number.isFinite(r.biasInit), `biasInit must be a finite number, got ${r.biasInit}`);
  check(isOneOf(r.precision, dtypes), `precision must be ${orList(dtypes)}, got ${r.precision}`);
  check(["auto", "wasm", "js"].includes(r.backend), `backend must be "auto", "wasm" or "js", got ${r.backend}`);
  check(!(r.backend === "wasm" && r.precision === "float64"), "backend wasm runs float32 only; use precision float32 or backend js");
  check(r.threads === 1 || r.threads === 2, `threads must be 1 or 2, got ${r.threads}`);
  check(!(r.threads === 2 && (r.backend === "js" || r.precision === "float64")), "threads 2 needs the wasm backend: precision float32 and backend auto or wasm");
  if (r.n !== undefined) check(isInt(r.n, 1), `n must be a positive integer, got ${r.n}`);
  if (r.noise !== undefined) check(Number.isFinite(r.noise) && r.noise >= 0, `noise must be a finite number ≥ 0, got ${r.noise}`);
  if (typeof r.init === "number") check(Number.isFinite(r.init), `init must be an initialiser name or a finite number, got ${r.init}`);
  const bytes = runMemoryBytes(r);
  check(bytes <= RUN_MEMORY_BUDGET, `the model is too large: depth ${r.depth} × width ${r.width} (batch size ${r.batchSize}${r.n !== undefined ? `, n ${r.n}` : ""}) needs about ${formatBytes(bytes)} for parameters, buffers and data, over the budget of ${formatBytes(RUN_MEMORY_BUDGET)}; use a smaller depth or width`);
  check(isInt(r.evalEvery, 0), `evalEvery must be a non-negative integer, got ${r.evalEvery}`);
  check(isOneOf(r.probes.schedule, probeSchedules), `probes.schedule must be ${orList(probeSchedules, true)}, got ${r.probes.schedule}`);
  check(isInt(r.probes.every, 0), `probes.every must be a non-negative integer, got ${r.probes.every}`);
  check(isInt(r.probes.distributionsEvery, 0), `probes.distributionsEvery must be a non-negative integer, got ${r.probes.distributionsEvery}`);
  check(r.probes.distributions === "bins" || r.probes.distributions === "bands", `probes.distributions must be "bins" or "bands", got ${r.probes.distributions}`);
  check(isInt(r.probes.bins, 1), `probes.bins must be a positive integer, got ${r.probes.bins}`);
  check(r.probes.epsilon >= 0 && r.probes.epsilon < 1, `probes.epsilon must be in [0, 1), got ${r.probes.epsilon}`);
  check(isInt(r.probes.boundaryEvery, 0), `probes.boundaryEvery must be a non-negative integer, got ${r.probes.boundaryEvery}`);
  check(isInt(r.probes.boundaryResolution, 2) && r.probes.boundaryResolution <= 200, `probes.boundaryResolution must be an integer in [2, 200], got ${r.probes.boundaryResolution}`);
  return r;
}

/** What a run can be given besides its plain config (not serialisable, so not for workers). */
export interface TrainOverrides {
  /** Training and held-out data instead of the named data set. */
  data?: { train: Dataset; test?: Dataset };
  /** Loads the "digits" data set (Node: `loadDigits` from @gradscope/core/node). */
  loadDigits?: (options: { perClass: number; seed: number }) => Dataset;
  /** An activation object instead of the named one: a defined or composed custom activation. */
  activation?: Activation;
  backend?: Backend;
}

/** The objects a run trains. */
export interface BuiltRun {
  trainer: Trainer;
  train: Dataset;
  test: Dataset;
  activation: Activation;
  /** Ends what the run started besides its objects (a wasm backend's helper thread); idempotent. */
  dispose(): void;
}

/** Builds data, model, optimiser and trainer for a resolved config. */
export function buildRun(config: ResolvedRunConfig, overrides: TrainOverrides = {}): BuiltRun {
  const { train, test } = overrides.data
    ? { train: overrides.data.train, test: overrides.data.test ?? overrides.data.train }
    : loadData(config, overrides);
  const source = overrides.data ? "given" : `"${config.dataset}"`;
  checkFeatures(train, `the training data (${source})`, config);
  if (test !== train) checkFeatures(test, `the held-out data (${source})`, config);
  const act = overrides.activation ?? activationNamed(config.activation, config.params);
  const init = typeof config.init === "number" ? config.init : (config.init as InitializerName);
  const own = overrides.backend ? null : chooseBackend(config);
  const backend = overrides.backend ?? own!;
  const model = mlp({
    inputs: train.features, outputs: train.classes, depth: config.depth, width: config.width, activation: act,
    init, biasInit: config.biasInit, perUnit: config.perUnit, dtype: config.precision, seed: config.seed, backend,
    norm: config.norm, residual: config.residual,
  });
  const trainer = createTrainer({
    model, data: train, batchSize: config.batchSize, optimizer: optimizer(config.optimizer, config.lr),
    seed: config.seed, backend,
  });
  // a backend given in overrides belongs to the caller: only ours is disposed
  const dispose = () => (own as Partial<WasmBackend> | null)?.dispose?.();
  return { trainer, train, test, activation: act, dispose };
}

/**
 * The run's kernels. A fresh WebAssembly backend per run: its memory (a bump allocator) is freed
 * with the run instead of growing across runs.
 */
function chooseBackend(config: ResolvedRunConfig): Backend {
  if (config.backend === "js" || config.precision === "float64") return jsBackend;
  const options = { threads: config.threads };
  if (config.backend === "wasm") return createWasmBackend(options);
  try {
    return createWasmBackend(options);
  } catch {
    return jsBackend; // no WebAssembly SIMD here
  }
}

/**
 * A NaN or ±Infinity feature (or one float32 cannot hold, in a float32 run) would make the first loss NaN and
 * look like a diverging run: it is bad input, named here before the model is built.
 */
function checkFeatures(ds: Dataset, which: string, config: ResolvedRunConfig): void {
  const held = config.precision === "float32" ? Math.fround : (v: number) => v; // what the run's arrays will hold
  for (let i = 0; i < ds.x.length; i++) {
    const v = ds.x[i]!;
    if (Number.isFinite(held(v))) continue;
    const noise = config.noise !== undefined ? `; noise ${config.noise} is too large` : "";
    throw new RangeError(
      `${which} has feature value ${v}${Number.isFinite(v) ? `, beyond ${config.precision}'s range` : ""} (example ${Math.floor(i / ds.features)}, feature ${i % ds.features})${noise}`,
    );
  }
}

function loadData(config: ResolvedRunConfig, overrides: TrainOverrides): { train: Dataset; test: Dataset } {
  if (config.dataset === "digits") {
    if (!overrides.loadDigits) throw new RangeError('dataset "digits" needs a loader (in Node: loadDigits from "@gradscope/core/node")');
    const all = overrides.loadDigits({ perClass: Math.ceil((config.n ?? 2000) / 10), seed: config.seed });
    return trainTestSplit(all, { testFraction: 0.2, seed: config.seed });
  }
  const opts: Record<string, number> = { seed: config.seed };
  if (config.n !== undefined) opts.n = config.n;
  if (config.noise !== undefined) opts.noise = config.noise;
  // the held-out set: the same distribution drawn with another seed
  return { train: dataset(config.dataset, opts), test: dataset(config.dataset, { ...opts, seed: config.seed + 1_000_003 }) };
}
