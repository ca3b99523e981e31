import type { Activation } from "../activation.js";
import type { Backend } from "../backend/backend.js";
import { Graph, type GraphNode, type LabelsNode } from "../graph/graph.js";
import { parameter, type Parameter } from "../graph/parameter.js";
import { createRng, streamSeed } from "../random.js";
import { allocate } from "../tensor.js";
import type { DType, FloatArray } from "../tensor.js";
import { resolveInitializer, type Initializer, type InitializerName } from "./init.js";

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Input features. */
  inputs: number;
  /** Output classes (logits). */
  outputs: number;
  /** Hidden layers (≥ 1). */
  depth: number;
  /** Units per hidden layer. */
  width: number;
  /** One activation for every hidden layer, or one per layer (length = depth). */
  activation: Activation | readonly Activation[];
  /** Weight initialiser: a name, a function, or a number for a constant. Default "glorot". */
  init?: InitializerName | Initializer | number;
  /** Bias initialiser; a negative constant starts ReLUs dead. Default 0. */
  biasInit?: InitializerName | Initializer | number;
  /** Learnable activation parameters (PReLU α) one per unit instead of one per layer. Default false. */
  perUnit?: boolean;
  /** Default "float32". */
  dtype?: DType;
  /** Seed of the initial weights (drawn from its "init" stream, see `streamSeed`). Default 1. */
  seed?: number;
  /** Backend whose memory holds the parameters, and the default of `build`. Default the js backend. */
  backend?: Backend;
  /**
   * Normalisation of every hidden layer, between the dense product and the activation as in Ioffe
   * & Szegedy 2015: "batch" (statistics over the batch's rows in training, running estimates in
   * eval; PyTorch's BatchNorm1d, momentum 0.1, ε = 1e-5), "layer" (over each example's units, Ba
   * et al. 2016) or "none". A normalised layer's dense product has no bias: normalising subtracts
   * the mean, so a bias there would cancel; β, the normalisation's shift (initialised to
   * `biasInit`), takes its place and is the layer's `bias`; γ starts at 1. The output layer is never
   * normalised. Default "none".
   */
  norm?: NormKind;
  /**
   * Identity skip connections: every hidden block after the first outputs its input plus its
   * activation, h ← h + f(norm(h·W)), so the gradient has a path that no layer multiplies. The first
   * block changes the width (inputs → width), so it has no skip; all later blocks are width → width
   * and need no projection. This is the forward-Euler block of Haber & Ruthotto 2017, not He et al.
   * 2016's, whose branch ends in a weight layer (or batch normalisation) and so adds a zero-mean term
   * at initialisation: ours adds f's output, and a sigmoid's is ≈ ½, so h grows by ≈ ½ a unit per
   * block and deep layers' inputs spread out (the README's `gradscope run --residual`). Default false.
   */
  residual?: boolean;
}

/** Normalisation of a hidden layer: see {@link MlpOptions.norm}. */
export type NormKind = "none" | "batch" | "layer";

/** The normalisations {@link mlp} accepts. */
export const normKinds: readonly NormKind[] = ["none", "batch", "layer"];

/** One dense layer of an MLP and the parameters it owns. */
export interface MlpLayer {
  /** 0 at the input side; the output layer is last. */
  readonly index: number;
  /** "hidden0", …, "output". */
  readonly name: string;
  /** The hidden layer's activation; null on the output layer (its logits feed the loss). */
  readonly activation: Activation | null;
  readonly weight: Parameter;
  /** The dense bias; on a normalised layer β, the normalisation's shift, which takes its role. */
  readonly bias: Parameter;
  /** The layer's normalisation ("none" on the output layer). */
  readonly norm: NormKind;
  /** γ, the normalisation's scale (initialised to 1); null without normalisation. */
  readonly gamma: Parameter | null;
  /** Batch normalisation's running mean and (unbiased) variance, shared by every graph built; else null. */
  readonly runningMean: FloatArray | null;
  readonly runningVar: FloatArray | null;
  /** Whether the layer's output is its input plus its activation (a residual block). */
  readonly residual: boolean;
  /** Learnable activation parameters (PReLU α), in `activation.learnable` order. */
  readonly learned: readonly Parameter[];
  readonly fanIn: number;
  readonly fanOut: number;
}

/** A layer's live buffers in a network built for one batch size. */
export interface NetworkLayer extends MlpLayer {
  /**
   * z, the activation's input: x·W + b, or the normalised product γ ⊙ x̂ + β on a normalised layer;
   * and its gradient ∂L/∂z (what vanishes).
   */
  readonly pre: GraphNode;
  /** a = f(z); the same node as `pre` on the output layer. */
  readonly post: GraphNode;
  /** The dense product x·W (+ b): the same node as `pre` without normalisation. */
  readonly product: GraphNode;
  /** What the next layer reads: `post`, or input + `post` on a residual block. */
  readonly output: GraphNode;
}

/** An MLP's graph for one batch size: fill `x` and `y`, then `graph.forward()` / `graph.backward()`. */
export interface Network {
  readonly graph: Graph;
  readonly batchSize: number;
  readonly x: GraphNode;
  readonly y: LabelsNode;
  readonly logits: GraphNode;
  readonly loss: GraphNode;
  readonly layers: readonly NetworkLayer[];
}

/** A multilayer perceptron's parameters; `build` makes graphs over them for a batch size. */
export interface Mlp {
  readonly options: Readonly<MlpOptions>;
  readonly dtype: DType;
  readonly layers: readonly MlpLayer[];
  /** Every trainable parameter: weights, biases and learnable activation parameters. */
  readonly parameters: readonly Parameter[];
  /** A graph over these parameters for `batchSize` rows, with softmax cross-entropy loss. */
  build(batchSize: number, options?: { backend?: Backend; seed?: number }): Network;
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`mlp: ${name} must be a positive integer, got ${value}`);
}

/**
 * A multilayer perceptron: `depth` hidden dense layers of `width` units with activations, then a
 * dense output layer of logits.
 * @example
 * const net = mlp({ inputs: 2, outputs: 3, depth: 4, width: 32, activation: relu, init: "he" });
 * const train = net.build(64);
 */
export function mlp(options: MlpOptions): Mlp {
  const { inputs, outputs, depth, width, init = "glorot", biasInit = 0, perUnit = false, dtype = "float32", seed = 1, norm = "none", residual = false } = options;
  if (!normKinds.includes(norm)) throw new RangeError(`mlp: norm must be one of ${normKinds.join(", ")}, got ${JSON.stringify(norm)}`);
  if (typeof residual !== "boolean") throw new TypeError(`mlp: residual must be true or false, got ${JSON.stringify(residual)}`);
  positiveInteger("inputs", inputs);
  positiveInteger("outputs", outputs);
  positiveInteger("depth", depth);
  positiveInteger("width", width);
  const acts = Array.isArray(options.activation) ? (options.activation as readonly Activation[]) : Array<Activation>(depth).fill(options.activation as Activation);
  if (acts.length !== depth) throw new RangeError(`mlp: ${acts.length} activations given for depth ${depth}`);
  acts.forEach((a, i) => {
    if (!a || typeof a.f !== "function") throw new TypeError(`mlp: activation ${i} is not an activation`);
  });
  const weightInit = resolveInitializer(init);
  const biasFill = resolveInitializer(biasInit);
  // the weights draw from the seed's "init" stream: with the seed itself they would be the very uniforms
  // that placed and jittered a data set made with the same seed
  const rng = createRng(streamSeed(seed, "init"));
  const backend = options.backend;
  const alloc = backend ? (d: DType, n: number) => backend.allocate(d, n) : undefined;

  const layers: MlpLayer[] = [];
  for (let i = 0; i <= depth; i++) {
    const fanIn = i === 0 ? inputs : width;
    const fanOut = i === depth ? outputs : width;
    const name = i === depth ? "output" : `hidden${i}`;
    const act = i === depth ? null : acts[i]!;
    const layerNorm: NormKind = act ? norm : "none";
    const weight = parameter(`${name}.W`, [fanIn, fanOut], dtype, alloc);
    const bias = parameter(layerNorm === "none" ? `${name}.b` : `${name}.beta`, [fanOut], dtype, alloc);
    weightInit(weight.value, fanIn, fanOut, rng);
    biasFill(bias.value, fanIn, fanOut, rng);
    const gamma = layerNorm === "none" ? null : parameter(`${name}.gamma`, [fanOut], dtype, alloc);
    gamma?.value.fill(1);
    const batch = layerNorm === "batch";
    const runningMean = batch ? (alloc ?? allocate)(dtype, fanOut) : null;
    const runningVar = batch ? (alloc ?? allocate)(dtype, fanOut).fill(1) : null;
    const learned = (act?.learnable ?? []).map((key) => {
      const p = parameter(`${name}.${key}`, [perUnit ? fanOut : 1], dtype, alloc);
      p.value.fill(act!.params[key] as number);
      return p;
    });
    const skip = residual && act !== null && i > 0;
    layers.push({ index: i, name, activation: act, weight, bias, learned, fanIn, fanOut, norm: layerNorm, gamma, runningMean, runningVar, residual: skip });
  }
  const parameters = layers.flatMap((l) => [l.weight, l.bias, ...(l.gamma ? [l.gamma] : []), ...l.learned]);

  const build = (batchSize: number, buildOptions: { backend?: Backend; seed?: number } = {}): Network => {
    positiveInteger("batch size", batchSize);
    const graph = new Graph({ dtype, backend: buildOptions.backend ?? options.backend, seed: buildOptions.seed ?? seed });
    const x = graph.input("x", [batchSize, inputs]);
    const y = graph.labels("y", batchSize);
    let h = x;
    const built: NetworkLayer[] = [];
    for (const layer of layers) {
      const normed = layer.norm !== "none";
      const product = graph.dense(h, graph.param(layer.weight), normed ? null : graph.param(layer.bias), normed ? `${layer.name}.xW` : `${layer.name}.z`);
      const pre = normalise(graph, layer, product);
      const post = layer.activation ? graph.activation(pre, layer.activation, { learned: layer.learned }) : pre;
      const output = layer.residual ? graph.add(h, post, `${layer.name}.out`) : post;
      built.push({ ...layer, pre, post, product, output });
      h = output;
    }
    const loss = graph.softmaxCrossEntropy(h, y);
    return { graph, batchSize, x, y, logits: h, loss, layers: built };
  };

  return { options: { ...options }, dtype, layers, parameters, build };
}

/** The layer's normalisation node over its dense product (named `<layer>.z`, the activation's input), or the product itself. */
function normalise(graph: Graph, layer: MlpLayer, product: GraphNode): GraphNode {
  if (layer.norm === "none") return product;
  const gamma = graph.param(layer.gamma!), beta = graph.param(layer.bias), name = `${layer.name}.z`;
  if (layer.norm === "layer") return graph.layerNorm(product, gamma, beta, { name });
  return graph.batchNorm(product, gamma, beta, { name, runningMean: layer.runningMean!, runningVar: layer.runningVar! });
}
