import type { Activation } from "../activation.js";
import type { Backend } from "../backend/backend.js";
import { Graph, type GraphNode, type LabelsNode } from "../graph/graph.js";
import { parameter, type Parameter } from "../graph/parameter.js";
import { createRng } from "../random.js";
import type { DType } from "../tensor.js";
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
  /** Seed of the initial weights. Default 1. */
  seed?: number;
  /** Backend whose memory holds the parameters, and the default of `build`. Default the js backend. */
  backend?: Backend;
}

/** One dense layer of an MLP and the parameters it owns. */
export interface MlpLayer {
  /** 0 at the input side; the output layer is last. */
  readonly index: number;
  /** "hidden0", …, "output". */
  readonly name: string;
  /** The hidden layer's activation; null on the output layer (its logits feed the loss). */
  readonly activation: Activation | null;
  readonly weight: Parameter;
  readonly bias: Parameter;
  /** Learnable activation parameters (PReLU α), in `activation.learnable` order. */
  readonly learned: readonly Parameter[];
  readonly fanIn: number;
  readonly fanOut: number;
}

/** A layer's live buffers in a network built for one batch size. */
export interface NetworkLayer extends MlpLayer {
  /** z = x·W + b: the pre-activation, and its gradient ∂L/∂z (what vanishes). */
  readonly pre: GraphNode;
  /** a = f(z); the same node as `pre` on the output layer. */
  readonly post: GraphNode;
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
  const { inputs, outputs, depth, width, init = "glorot", biasInit = 0, perUnit = false, dtype = "float32", seed = 1 } = options;
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
  const rng = createRng(seed);
  const backend = options.backend;
  const alloc = backend ? (d: DType, n: number) => backend.allocate(d, n) : undefined;

  const layers: MlpLayer[] = [];
  for (let i = 0; i <= depth; i++) {
    const fanIn = i === 0 ? inputs : width;
    const fanOut = i === depth ? outputs : width;
    const name = i === depth ? "output" : `hidden${i}`;
    const act = i === depth ? null : acts[i]!;
    const weight = parameter(`${name}.W`, [fanIn, fanOut], dtype, alloc);
    const bias = parameter(`${name}.b`, [fanOut], dtype, alloc);
    weightInit(weight.value, fanIn, fanOut, rng);
    biasFill(bias.value, fanIn, fanOut, rng);
    const learned = (act?.learnable ?? []).map((key) => {
      const p = parameter(`${name}.${key}`, [perUnit ? fanOut : 1], dtype, alloc);
      p.value.fill(act!.params[key] as number);
      return p;
    });
    layers.push({ index: i, name, activation: act, weight, bias, learned, fanIn, fanOut });
  }
  const parameters = layers.flatMap((l) => [l.weight, l.bias, ...l.learned]);

  const build = (batchSize: number, buildOptions: { backend?: Backend; seed?: number } = {}): Network => {
    positiveInteger("batch size", batchSize);
    const graph = new Graph({ dtype, backend: buildOptions.backend ?? options.backend, seed: buildOptions.seed ?? seed });
    const x = graph.input("x", [batchSize, inputs]);
    const y = graph.labels("y", batchSize);
    let h = x;
    const built: NetworkLayer[] = [];
    for (const layer of layers) {
      const pre = graph.dense(h, graph.param(layer.weight), graph.param(layer.bias), `${layer.name}.z`);
      const post = layer.activation ? graph.activation(pre, layer.activation, { learned: layer.learned }) : pre;
      built.push({ ...layer, pre, post });
      h = post;
    }
    const loss = graph.softmaxCrossEntropy(h, y);
    return { graph, batchSize, x, y, logits: h, loss, layers: built };
  };

  return { options: { ...options }, dtype, layers, parameters, build };
}
