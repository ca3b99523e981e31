import { createRng, mlp, type Activation, type Initializer, type InitializerName } from "@gradscope/core";
import { secondMoment, variance } from "./stats.js";
import { mean } from "@gradscope/stream";

/** Options of {@link initStats}. */
export interface InitStatsOptions {
  activation: Activation;
  init: InitializerName | Initializer;
  /** Hidden layers. */
  depth: number;
  /** Units per hidden layer, and the input dimension. */
  width: number;
  batch: number;
  seed: number;
  /** Input mean and standard deviation (inputs are i.i.d. normal). Default 0 and 1. */
  inputMean?: number;
  inputStd?: number;
}

/** Per-hidden-layer statistics of one random net at initialisation, on one random batch. */
export interface LayerStats {
  /** E[x²] of the input. */
  input2: number;
  /** E[z²], E[a²], mean and variance of a = f(z), per hidden layer. */
  pre2: number[];
  act2: number[];
  actMean: number[];
  actVar: number[];
  /** E[(∂L/∂z)²] and E[(∂L/∂a)²] per hidden layer (L: softmax cross-entropy on random labels). */
  gradZ2: number[];
  gradA2: number[];
  /** E[f′(z)²] per hidden layer. */
  slope2: number[];
}

/**
 * Builds a float64 MLP (inputs = width, 10 outputs) with the library's own `mlp`, runs one forward
 * and backward pass over a batch of normal inputs with random labels, and reads every hidden layer's
 * buffers: what the init experiments measure.
 */
export function initStats(o: InitStatsOptions): LayerStats {
  const model = mlp({ inputs: o.width, outputs: 10, depth: o.depth, width: o.width, activation: o.activation, init: o.init, dtype: "float64", seed: o.seed });
  const net = model.build(o.batch, { seed: o.seed });
  const rng = createRng(o.seed + 7919);
  const x = net.x.value;
  for (let i = 0; i < x.length; i++) x[i] = rng.normal(o.inputMean ?? 0, o.inputStd ?? 1);
  for (let i = 0; i < net.y.value.length; i++) net.y.value[i] = rng.int(10);
  net.graph.forward();
  net.graph.backward();
  const hidden = net.layers.filter((l) => l.activation !== null);
  return {
    input2: secondMoment(x),
    pre2: hidden.map((l) => secondMoment(l.pre.value)),
    act2: hidden.map((l) => secondMoment(l.post.value)),
    actMean: hidden.map((l) => mean(l.post.value)),
    actVar: hidden.map((l) => variance(l.post.value)),
    gradZ2: hidden.map((l) => secondMoment(l.pre.grad!)),
    gradA2: hidden.map((l) => secondMoment(l.post.grad!)),
    slope2: hidden.map((l) => secondMoment(Array.from(l.pre.value, (z) => o.activation.df(z, o.activation.params, o.activation.f(z, o.activation.params))))),
  };
}

/** Zero-mean normal weights with Var[W] = c / fanIn. */
export const normalInit = (c: number): Initializer => (data, fanIn, _fanOut, rng) => {
  const s = Math.sqrt(c / fanIn);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, s);
};
