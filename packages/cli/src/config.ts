import type { RunConfig } from "@gradscope/stream";
import { numberFlag, paramFlags } from "./args.js";

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
  threads: { type: "string" },
  norm: { type: "string" },
  residual: { type: "boolean" },
} as const;

export const trainFlagsHelp = `  --dataset NAME      spiral (default), moons, circles, xor, blobs, digits (MNIST-style, offline)
  --activation NAME   relu (default) or any of \`gradscope activations\`; --param name=value changes its parameters
  --depth N --width N hidden layers (default 4) × units (default 32)
  --steps N --seed N  training steps (default 500); seed of data, weights and batches (default 1)
  --optimizer NAME    sgd, momentum, nesterov, adam (default)
  --lr X              learning rate (default 0.01 for adam, 0.1 otherwise)
  --batch-size N      default 32
  --init NAME         standard, glorot, glorotNormal, he, heNormal, lecun, zeros, or a number; default: he for
                      the ReLU family, lecun for selu, glorot otherwise
  --bias-init C       constant initial bias (default 0); a negative one starts ReLUs dead
  --precision P       float32 (default) or float64 (keeps gradients float32 cannot hold)
  --n N --noise X     size and noise of the 2-D data sets
  --threads N         1 (default) or 2: large matrix products on two threads (wasm backend, float32)
  --norm KIND         none (default), batch or layer: normalise every hidden layer between its dense
                      product and its activation (the dense bias is dropped there; β replaces it)
  --residual          identity skip connections around every hidden block after the first`;

type Values = {
  [K in keyof typeof trainFlags]?: (typeof trainFlags)[K] extends { multiple: true } ? string[] : (typeof trainFlags)[K] extends { type: "boolean" } ? boolean : string;
};

/** Flags → a run config (checked again, field by field, by resolveRunConfig). */
export function runConfigFromFlags(values: Values): RunConfig {
  const config: RunConfig = {};
  if (values.dataset !== undefined) config.dataset = values.dataset;
  if (values.activation !== undefined) config.activation = values.activation;
  if (values.param) config.params = paramFlags(values.param);
  if (values.depth !== undefined) config.depth = numberFlag("depth", values.depth, 0, { integer: true, min: 1 });
  if (values.width !== undefined) config.width = numberFlag("width", values.width, 0, { integer: true, min: 1 });
  if (values.steps !== undefined) config.steps = numberFlag("steps", values.steps, 0, { integer: true, min: 0 });
  if (values.seed !== undefined) config.seed = numberFlag("seed", values.seed, 0, { integer: true });
  if (values.lr !== undefined) config.lr = numberFlag("lr", values.lr, 0, { min: 0, exclusiveMin: true });
  if (values.optimizer !== undefined) config.optimizer = values.optimizer;
  if (values["batch-size"] !== undefined) config.batchSize = numberFlag("batch-size", values["batch-size"], 0, { integer: true, min: 1 });
  if (values.init !== undefined) config.init = Number.isNaN(Number(values.init)) ? values.init : Number(values.init);
  if (values["bias-init"] !== undefined) config.biasInit = numberFlag("bias-init", values["bias-init"], 0);
  if (values.precision !== undefined) config.precision = values.precision as RunConfig["precision"];
  if (values.n !== undefined) config.n = numberFlag("n", values.n, 0, { integer: true, min: 1 });
  if (values.noise !== undefined) config.noise = numberFlag("noise", values.noise, 0, { min: 0 });
  if (values.threads !== undefined) config.threads = numberFlag("threads", values.threads, 0, { integer: true, min: 1 }) as 1 | 2;
  if (values.norm !== undefined) config.norm = values.norm as RunConfig["norm"];
  if (values.residual !== undefined) config.residual = values.residual;
  return config;
}
