import {
  activationNamed, createTrainer, dataset, datasets, defaultInit, mlp, optimizer, optimizerNames, resolveInitializer,
  type Dataset, type DType, type InitializerName, type Trainer,
} from "@gradscope/core";
import { loadDigits } from "@gradscope/core/node";
import { numberFlag, paramFlags, UsageError } from "./args.js";

/** The flags every training command shares. */
export const trainFlags = {
  dataset: { type: "string" },
  activation: { type: "string" },
  param: { type: "string", multiple: true },
  depth: { type: "string" },
  width: { type: "string" },
  steps: { type: "string" },
  seed: { type: "string" },
  lr: { type: "string" },
  optimizer: { type: "string" },
  "batch-size": { type: "string" },
  init: { type: "string" },
  "bias-init": { type: "string" },
  precision: { type: "string" },
  n: { type: "string" },
  noise: { type: "string" },
} as const;

export const trainFlagsHelp = `  --dataset NAME      spiral (default), moons, circles, xor, blobs, digits (MNIST-style, offline)
  --activation NAME   relu (default) or any of \`gradscope activations\`; --param name=value to change its parameters
  --depth N --width N hidden layers (default 4) × units (default 32)
  --steps N --seed N  training steps (default 500), seed of data, weights and batches (default 1)
  --lr X --optimizer  learning rate (default 0.01 for adam, 0.1 otherwise); sgd, momentum, nesterov, adam (default)
  --batch-size N      default 32
  --init NAME         standard, glorot, glorotNormal, he, heNormal, lecun, zeros, or a number; default: he for
                      the ReLU family, lecun for selu, glorot otherwise
  --bias-init C       constant bias (default 0); a negative one starts ReLUs dead
  --precision P       float32 (default) or float64 (shows gradients float32 cannot hold)
  --n N --noise X     size and noise of the 2-D data sets`;

/** A training configuration: plain data, serialisable into a recording's header. */
export interface TrainConfig {
  dataset: string;
  activation: string;
  params: Record<string, number>;
  depth: number;
  width: number;
  steps: number;
  seed: number;
  lr: number;
  optimizer: string;
  batchSize: number;
  init: string;
  biasInit: number;
  precision: DType;
  n?: number;
  noise?: number;
}

type Values = { [K in keyof typeof trainFlags]?: (typeof trainFlags)[K] extends { multiple: true } ? string[] : string };

/** Reads and checks the training flags. */
export function trainConfig(values: Values, defaults: Partial<TrainConfig> = {}): TrainConfig {
  const activation = values.activation ?? defaults.activation ?? "relu";
  const params = paramFlags(values.param);
  activationNamed(activation, params); // validates name and parameters now, with its own message
  const opt = values.optimizer ?? defaults.optimizer ?? "adam";
  if (!(optimizerNames as readonly string[]).includes(opt)) throw new UsageError(`unknown optimizer "${opt}" (known: ${optimizerNames.join(", ")})`);
  const init = values.init ?? defaults.init ?? defaultInit(activation);
  if (Number.isNaN(Number(init))) resolveInitializer(init as InitializerName);
  const precision = values.precision ?? defaults.precision ?? "float32";
  if (precision !== "float32" && precision !== "float64") throw new UsageError(`--precision must be float32 or float64, got "${precision}"`);
  const config: TrainConfig = {
    dataset: values.dataset ?? defaults.dataset ?? "spiral",
    activation,
    params,
    depth: numberFlag("depth", values.depth, defaults.depth ?? 4, { integer: true, min: 1 }),
    width: numberFlag("width", values.width, defaults.width ?? 32, { integer: true, min: 1 }),
    steps: numberFlag("steps", values.steps, defaults.steps ?? 500, { integer: true, min: 0 }),
    seed: numberFlag("seed", values.seed, defaults.seed ?? 1, { integer: true }),
    lr: numberFlag("lr", values.lr, defaults.lr ?? (opt === "adam" ? 0.01 : 0.1), { min: 0, exclusiveMin: true }),
    optimizer: opt,
    batchSize: numberFlag("batch-size", values["batch-size"], defaults.batchSize ?? 32, { integer: true, min: 1 }),
    init,
    biasInit: numberFlag("bias-init", values["bias-init"], defaults.biasInit ?? 0),
    precision,
  };
  if (values.n !== undefined) config.n = numberFlag("n", values.n, 0, { integer: true, min: 1 });
  if (values.noise !== undefined) config.noise = numberFlag("noise", values.noise, 0, { min: 0 });
  return config;
}

/** The data set a config names: the train set and a held-out test set. */
export function loadData(config: TrainConfig): { train: Dataset; test: Dataset } {
  if (config.dataset !== "digits" && !Object.hasOwn(datasets, config.dataset)) {
    throw new UsageError(`unknown dataset "${config.dataset}" (known: ${[...Object.keys(datasets), "digits"].join(", ")})`);
  }
  if (config.dataset === "digits") {
    const all = loadDigits({ perClass: Math.ceil((config.n ?? 2000) / 10), seed: config.seed });
    return splitHalf(all, 0.2);
  }
  const opts: Record<string, number> = { seed: config.seed };
  if (config.n !== undefined) opts.n = config.n;
  if (config.noise !== undefined) opts.noise = config.noise;
  const train = dataset(config.dataset, opts);
  // the test set: same distribution, another seed
  const test = dataset(config.dataset, { ...opts, seed: config.seed + 1_000_003 });
  return { train, test };
}

function splitHalf(ds: Dataset, testFraction: number): { train: Dataset; test: Dataset } {
  const nTest = Math.max(1, Math.round(ds.n * testFraction));
  const nTrain = ds.n - nTest;
  const part = (name: string, from: number, to: number): Dataset => ({
    name, n: to - from, features: ds.features, classes: ds.classes,
    x: ds.x.slice(from * ds.features, to * ds.features), y: ds.y.slice(from, to),
  });
  return { train: part(ds.name, 0, nTrain), test: part(`${ds.name}-test`, nTrain, ds.n) };
}

/** A trainer for a config. */
export function makeTrainer(config: TrainConfig, train: Dataset): Trainer {
  const act = activationNamed(config.activation, config.params);
  const init = Number.isNaN(Number(config.init)) ? (config.init as InitializerName) : Number(config.init);
  const model = mlp({
    inputs: train.features, outputs: train.classes, depth: config.depth, width: config.width, activation: act,
    init, biasInit: config.biasInit, dtype: config.precision, seed: config.seed,
  });
  return createTrainer({ model, data: train, batchSize: config.batchSize, optimizer: optimizer(config.optimizer, config.lr), seed: config.seed });
}
