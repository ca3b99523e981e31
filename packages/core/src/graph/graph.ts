import type { Activation } from "../activation.js";
import type { ActivationState, Backend } from "../backend/backend.js";
import { jsBackend } from "../backend/js.js";
import { normKernels } from "../backend/normKernels.js";
import { createRng, streamSeed, type Rng } from "../random.js";
import { allocate, checkDType, dtypeOf, shapeString, sizeOf, type DType, type FloatArray } from "../tensor.js";
import type { Parameter } from "./parameter.js";

/** What a node is, as plain serialisable data a notebook can draw. */
export interface GraphNodeInfo {
  id: number;
  name: string;
  /** "input", "labels", "param", "dense", "activation", "softmaxCrossEntropy", … */
  op: string;
  shape: number[];
  inputs: number[];
  /** The activation's name, on activation nodes. */
  activation?: string;
  requiresGrad: boolean;
}

/** A node of a graph: its value buffer and (if it needs one) its gradient buffer, both allocated once. */
export interface GraphNode {
  readonly id: number;
  readonly name: string;
  readonly op: string;
  readonly shape: readonly number[];
  readonly inputs: readonly GraphNode[];
  readonly value: FloatArray;
  /** ∂loss/∂value after `backward()`; null when nothing trainable flows into this node. */
  readonly grad: FloatArray | null;
  readonly requiresGrad: boolean;
  readonly activation?: string;
}

/** A labels node: class indices, one per row. */
export interface LabelsNode {
  readonly id: number;
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: Int32Array;
}

/** Options of {@link Graph}. */
export interface GraphOptions {
  /** Element type of every buffer. Default "float32". */
  dtype?: DType;
  /** Kernels. Default the plain TypeScript backend. */
  backend?: Backend;
  /** Seed of stochastic activations (RReLU), drawn from its "graph" stream (see `streamSeed`). Default 1. */
  seed?: number;
}

/** Options of {@link Graph.batchNorm}. */
export interface BatchNormOptions {
  /** Weight of the newest batch in the running estimates (PyTorch's convention). Default 0.1. */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5. */
  epsilon?: number;
  /**
   * The running mean and variance, one value per column; created (mean 0, variance 1) when absent.
   * Pass your own to share them between graphs of different batch sizes (mlp does: its eval graphs
   * read what its training graph estimated).
   */
  runningMean?: FloatArray;
  runningVar?: FloatArray;
  name?: string;
}

/** Options of {@link Graph.layerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance before the square root. Default 1e-5. */
  epsilon?: number;
  name?: string;
}

/** Options of {@link Graph.activation}. */
export interface ActivationNodeOptions {
  /** Learnable parameters' storage, in `act.learnable` order; created (filled with their defaults) when absent. */
  learned?: readonly Parameter[];
  /** With learnable parameters: one value per unit (column) instead of one shared. Default false. */
  perUnit?: boolean;
}

interface Op {
  node: Node;
  forward(): void;
  /** `acc[i]`: whether input i's gradient already holds another consumer's contribution. */
  backward(acc: readonly boolean[]): void;
  acc: boolean[];
  /** On a dense op with a bias: set when the activation right after it took over the bias (see activation()). */
  bias?: { node: Node; fused: boolean };
  /** Taps: run after this op's forward, and before its backward (when its node's gradient is final). */
  afterForward: (() => void)[];
  beforeBackward: (() => void)[];
}

class Node implements GraphNode {
  grad: FloatArray | null = null;
  constructor(
    readonly id: number,
    readonly name: string,
    readonly op: string,
    readonly shape: readonly number[],
    readonly inputs: readonly Node[],
    readonly value: FloatArray,
    readonly requiresGrad: boolean,
    readonly activation?: string,
  ) {}
}

function runTaps(taps: readonly (() => void)[]): void {
  for (let t = 0; t < taps.length; t++) taps[t]!();
}

/**
 * A computation graph built once, then run forward and backward as often as needed with no
 * allocation: every buffer is allocated when its node is created, and shapes are checked then.
 * Build order is a topological order, so running is a walk over a flat list.
 * @example
 * const g = new Graph({ dtype: "float64" });
 * const x = g.input("x", [4, 2]);
 * const W = g.param(parameter("W", [2, 3], "float64"));
 * const b = g.param(parameter("b", [3], "float64"));
 * const y = g.labels("y", 4);
 * const loss = g.softmaxCrossEntropy(g.activation(g.dense(x, W, b), tanh), y);
 * g.forward(); g.backward(); // W's gradient is now in W.grad
 */
export class Graph {
  readonly dtype: DType;
  readonly backend: Backend;
  /**
   * The graph's one train / eval switch. Training (default): stochastic activations (RReLU) draw
   * their noise and batch normalisation uses and updates batch statistics. Eval: RReLU uses its
   * mean slope, batch normalisation its running estimates.
   */
  training = true;
  /** Every parameter the graph uses, in creation order. */
  readonly parameters: Parameter[] = [];
  private readonly list: Node[] = [];
  private readonly ops: Op[] = [];
  private readonly labelNodes: LabelsNode[] = [];
  private readonly paramNodes = new Map<Parameter, Node>();
  private probs: FloatArray | undefined;
  private readonly rng: Rng;
  private lossNode: Node | null = null;
  private compiled = false;
  private lastLoss = NaN;

  constructor(options: GraphOptions = {}) {
    this.dtype = options.dtype ?? "float32";
    checkDType(this.dtype);
    this.backend = options.backend ?? jsBackend;
    // the graph's noise (RReLU's slopes) draws from the seed's "graph" stream, independent of the data,
    // the weights and the batches made with the same seed
    this.rng = createRng(streamSeed(options.seed ?? 1, "graph"));
  }

  // ── building ────────────────────────────────────────────────────────────────────────────

  /** A data input of a fixed shape; write into its `value` before `forward()`. */
  input(name: string, shape: readonly number[]): GraphNode {
    return this.node(name, "input", shape, [], false);
  }

  /** Class labels, one per row. */
  labels(name: string, rows: number): LabelsNode {
    sizeOf([rows]);
    // labels hold integers, not floats: they live beside the node list, with negative ids
    const node: LabelsNode = { id: -1 - this.labelNodes.length, name, shape: [rows], value: new Int32Array(rows) };
    this.labelNodes.push(node);
    return node;
  }

  /** A trainable parameter; its value and gradient are the Parameter's own buffers. */
  param(p: Parameter): GraphNode {
    const existing = this.paramNodes.get(p);
    if (existing) return existing; // one node per parameter, so its gradient has one owner
    if (p.value.length !== sizeOf(p.shape)) throw new RangeError(`parameter ${p.name}: value length ${p.value.length} does not match shape ${shapeString(p.shape)}`);
    if (dtypeOf(p.value) !== this.dtype) {
      throw new TypeError(`parameter ${p.name} is ${dtypeOf(p.value)} but the graph is ${this.dtype}`);
    }
    const node = new Node(this.list.length, p.name, "param", p.shape, [], p.value, true);
    node.grad = p.grad;
    this.list.push(node);
    this.paramNodes.set(p, node);
    this.parameters.push(p);
    return node;
  }

  /** x·W + b for x [rows, in], W [in, out], b [out]: a dense layer's pre-activation. */
  dense(x: GraphNode, W: GraphNode, b: GraphNode | null, name = "dense"): GraphNode {
    const [rows, inner] = this.matrix(x, "dense input");
    const [wIn, out] = this.matrix(W, "dense weight");
    if (wIn !== inner) {
      throw new RangeError(`${name}: input ${shapeString(x.shape)} cannot multiply weight ${shapeString(W.shape)} (${inner} ≠ ${wIn})`);
    }
    if (b && (b.shape.length !== 1 || b.shape[0] !== out)) {
      throw new RangeError(`${name}: bias shape ${shapeString(b.shape)} should be [${out}]`);
    }
    const inputs = b ? [x, W, b] : [x, W];
    const z = this.node(name, "dense", [rows, out], inputs);
    const be = this.backend;
    const [xn, wn, bn] = [x as Node, W as Node, b as Node | null];
    const bias = bn ? { node: bn, fused: false } : undefined;
    this.op(z, () => {
      be.matmul(xn.value, wn.value, z.value, rows, inner, out, false);
      if (bn && !bias!.fused) be.addBias(z.value, bn.value, rows, out);
    }, (acc) => {
      const dz = z.grad!;
      if (xn.grad) be.matmulBT(dz, wn.value, xn.grad, rows, out, inner, acc[0]!);
      if (wn.grad) be.matmulAT(xn.value, dz, wn.grad, inner, rows, out, acc[1]!);
      if (bn?.grad && !bias!.fused) be.sumRows(dz, bn.grad, rows, out, acc[2]!);
    });
    this.ops[this.ops.length - 1]!.bias = bias;
    return z;
  }

  /** f(z) elementwise, for any activation: built-in, defined or composed. */
  activation(z: GraphNode, act: Activation, options: ActivationNodeOptions = {}): GraphNode {
    const cols = z.shape[z.shape.length - 1] ?? 1;
    const rows = sizeOf(z.shape) / Math.max(cols, 1);
    const learnedParams = options.learned ?? act.learnable.map((key) => {
      const len = options.perUnit ? cols : 1;
      const p: Parameter = { name: `${z.name}.${act.name}.${key}`, shape: [len], value: this.backend.allocate(this.dtype, len), grad: this.backend.allocate(this.dtype, len) };
      p.value.fill(act.params[key] as number);
      return p;
    });
    if (learnedParams.length !== act.learnable.length) {
      throw new RangeError(`activation ${act.name} has ${act.learnable.length} learnable parameters, got ${learnedParams.length}`);
    }
    for (const p of learnedParams) {
      if (p.value.length !== 1 && p.value.length !== cols) {
        throw new RangeError(`${act.name} parameter ${p.name} has ${p.value.length} values; it needs 1 (shared) or ${cols} (one per unit)`);
      }
    }
    const paramNodes = learnedParams.map((p) => this.param(p) as Node);
    const zn = z as Node;
    const a = this.node(`${z.name}.${act.name}`, "activation", z.shape, [zn, ...paramNodes], undefined, act.name);
    const state: ActivationState = {
      act,
      params: { ...act.params },
      learned: paramNodes.map((n) => n.value),
      learnedGrad: paramNodes.map((n) => n.grad!),
      noise: act.train ? this.backend.allocate(this.dtype, sizeOf(z.shape)) : this.backend.allocate(this.dtype, 0),
      rng: this.rng.fork(),
    };
    const be = this.backend;
    // the backward kernel computes dz and the parameters' gradients in one pass; when z needs no
    // gradient but parameters do, dz goes to a scratch buffer
    const dz = zn.grad ?? (paramNodes.length > 0 ? this.backend.allocate(this.dtype, zn.value.length) : null);
    const fused = this.fuseBias(zn);
    if (fused) {
      // the dense op before this one leaves its bias to us: bias + f in one pass forward, f′ + the
      // bias gradient in one pass backward. Nothing runs between the two ops forward, and every
      // other consumer of z runs its backward before ours, so we sum the final dz.
      const { bias, denseOp } = fused, dbias = bias.grad!;
      this.op(a, () => be.biasActivationForward!(state, zn.value, bias.value, a.value, rows, cols, this.training), (acc) => {
        for (let j = 0; j < paramNodes.length; j++) if (!acc[j + 1]) state.learnedGrad[j]!.fill(0);
        be.activationBackwardBias!(state, zn.value, a.value, a.grad!, zn.grad!, dbias, rows, cols, this.training, acc[0]!, denseOp.acc[2]!);
      });
      return a;
    }
    this.op(a, () => be.activationForward(state, zn.value, a.value, rows, cols, this.training), (acc) => {
      // learnable parameters' gradients are accumulated by the kernel: clear them first when we own them
      for (let j = 0; j < paramNodes.length; j++) if (!acc[j + 1]) state.learnedGrad[j]!.fill(0);
      if (dz) be.activationBackward(state, zn.value, a.value, a.grad!, dz, rows, cols, this.training, zn.grad ? acc[0]! : false);
    });
    return a;
  }

  /** Elementwise a + b (same shape). */
  add(a: GraphNode, b: GraphNode, name = "add"): GraphNode {
    this.sameShape(a, b, name);
    const out = this.node(name, "add", a.shape, [a as Node, b as Node]);
    const be = this.backend, n = out.value.length;
    this.op(out, () => be.add(a.value, b.value, out.value, n, false), (acc) => {
      if (a.grad) be.scale(out.grad!, 1, a.grad, n, acc[0]!);
      if (b.grad) be.scale(out.grad!, 1, b.grad, n, acc[1]!);
    });
    return out;
  }

  /** Elementwise a ⊙ b (same shape). */
  mul(a: GraphNode, b: GraphNode, name = "mul"): GraphNode {
    this.sameShape(a, b, name);
    const out = this.node(name, "mul", a.shape, [a as Node, b as Node]);
    const be = this.backend, n = out.value.length;
    this.op(out, () => be.mul(a.value, b.value, out.value, n, false), (acc) => {
      if (a.grad) be.mul(out.grad!, b.value, a.grad, n, acc[0]!);
      if (b.grad) be.mul(out.grad!, a.value, b.grad, n, acc[1]!);
    });
    return out;
  }

  /**
   * Batch normalisation of x [rows, cols] per column (Ioffe & Szegedy 2015), then y = γ ⊙ x̂ + β with
   * γ, β of shape [cols]. In training mode the batch's mean and biased variance normalise and the
   * running estimates move towards the mean and the unbiased variance, as PyTorch's BatchNorm1d; in
   * eval mode the running estimates normalise, so each row's output depends on that row only.
   * Training needs ≥ 2 rows. The gradient couples the rows: x's gradient in each row depends on
   * every row's.
   * @example
   * const g = new Graph({ dtype: "float64" });
   * const x = g.input("x", [60, 100]);
   * const gamma = parameter("gamma", [100], "float64"); gamma.value.fill(1);
   * const y = g.batchNorm(x, g.param(gamma), g.param(parameter("beta", [100], "float64")));
   */
  batchNorm(x: GraphNode, gamma: GraphNode, beta: GraphNode, options: BatchNormOptions = {}): GraphNode {
    const { momentum = 0.1, epsilon = 1e-5, name = "batchNorm" } = options;
    const [rows, cols] = this.normShapes(x, gamma, beta, name);
    if (!(momentum >= 0 && momentum <= 1)) throw new RangeError(`${name}: momentum must be in [0, 1], got ${momentum}`);
    const runMean = options.runningMean ?? this.backend.allocate(this.dtype, cols);
    const runVar = options.runningVar ?? this.backend.allocate(this.dtype, cols).fill(1);
    for (const [what, buf] of [["runningMean", runMean], ["runningVar", runVar]] as const) {
      if (buf.length !== cols || dtypeOf(buf) !== this.dtype) throw new RangeError(`${name}: ${what} must be ${cols} ${this.dtype} values, got ${buf.length} ${dtypeOf(buf)}`);
    }
    if (!(epsilon > 0)) throw new RangeError(`${name}: epsilon must be > 0, got ${epsilon}`);
    const y = this.node(name, "batchNorm", [rows, cols], [x as Node, gamma as Node, beta as Node]);
    const k = normKernels(this.backend);
    const mean = this.backend.allocate(this.dtype, cols), invStd = this.backend.allocate(this.dtype, cols);
    const sums = this.backend.allocate(this.dtype, 2 * cols);
    const grads = this.normGrads(x, gamma, beta, rows * cols, cols);
    this.op(y, () => {
      if (this.training && rows < 2) throw new RangeError(`${name}: training needs at least 2 rows per batch to estimate a variance, got ${rows}`);
      k.batchNormForward(x.value, gamma.value, beta.value, y.value, mean, invStd, runMean, runVar, rows, cols, momentum, epsilon, this.training);
    }, (acc) => {
      k.batchNormBackward(y.grad!, x.value, mean, gamma.value, invStd, sums, grads.dx, grads.dgamma, grads.dbeta, rows, cols, this.training,
        x.grad ? acc[0]! : false, gamma.grad ? acc[1]! : false, beta.grad ? acc[2]! : false);
    });
    return y;
  }

  /**
   * Layer normalisation of x [rows, cols] per row (Ba, Kiros & Hinton 2016), then y = γ ⊙ x̂ + β:
   * per-example statistics, the same in training and eval, no dependence on the batch.
   * @example
   * const y = g.layerNorm(x, g.param(gamma), g.param(beta));
   */
  layerNorm(x: GraphNode, gamma: GraphNode, beta: GraphNode, options: LayerNormOptions = {}): GraphNode {
    const { epsilon = 1e-5, name = "layerNorm" } = options;
    const [rows, cols] = this.normShapes(x, gamma, beta, name);
    if (!(epsilon > 0)) throw new RangeError(`${name}: epsilon must be > 0, got ${epsilon}`);
    const y = this.node(name, "layerNorm", [rows, cols], [x as Node, gamma as Node, beta as Node]);
    const k = normKernels(this.backend);
    const mean = this.backend.allocate(this.dtype, rows), invStd = this.backend.allocate(this.dtype, rows);
    const grads = this.normGrads(x, gamma, beta, rows * cols, cols);
    this.op(y, () => k.layerNormForward(x.value, gamma.value, beta.value, y.value, mean, invStd, rows, cols, epsilon), (acc) => {
      k.layerNormBackward(y.grad!, x.value, mean, gamma.value, invStd, grads.dx, grads.dgamma, grads.dbeta, rows, cols,
        x.grad ? acc[0]! : false, gamma.grad ? acc[1]! : false, beta.grad ? acc[2]! : false);
    });
    return y;
  }

  /** Mean softmax cross-entropy of logits [rows, classes] against class labels; the graph's loss. */
  softmaxCrossEntropy(logits: GraphNode, labels: LabelsNode, name = "loss"): GraphNode {
    const [rows, cols] = this.matrix(logits, "softmaxCrossEntropy logits");
    if (labels.shape[0] !== rows) throw new RangeError(`${name}: ${rows} rows of logits but ${labels.shape[0]} labels`);
    const probs = this.backend.allocate(this.dtype, rows * cols);
    const dlogits = this.backend.allocate(this.dtype, rows * cols);
    const loss = this.node(name, "softmaxCrossEntropy", [1], [logits as Node]);
    const be = this.backend, ln = logits as Node;
    this.op(loss, () => {
      loss.value[0] = be.softmaxCrossEntropy(ln.value, labels.value, probs, dlogits, rows, cols);
    }, (acc) => {
      if (ln.grad) be.scale(dlogits, loss.grad![0]!, ln.grad, rows * cols, acc[0]!);
    });
    this.lossNode = loss;
    this.probs = probs;
    return loss;
  }

  /** Mean squared error over all elements; the graph's loss. */
  mse(pred: GraphNode, target: GraphNode, name = "loss"): GraphNode {
    this.sameShape(pred, target, name);
    const n = pred.value.length;
    const loss = this.node(name, "mse", [1], [pred as Node, target as Node]);
    this.op(loss, () => {
      let s = 0;
      for (let i = 0; i < n; i++) { const d = pred.value[i]! - target.value[i]!; s += d * d; }
      loss.value[0] = s / n;
    }, (acc) => {
      const g = (2 * loss.grad![0]!) / n;
      for (const [k, node, sign] of [[0, pred, 1], [1, target, -1]] as const) {
        if (!node.grad) continue;
        for (let i = 0; i < n; i++) {
          const v = sign * g * (pred.value[i]! - target.value[i]!);
          node.grad[i] = acc[k] ? node.grad[i]! + v : v;
        }
      }
    });
    this.lossNode = loss;
    return loss;
  }

  /**
   * Mean binary cross-entropy of logits against targets in [0, 1] (same shape), computed from
   * logits in the stable form max(z, 0) − z·t + log(1 + e^−|z|); the graph's loss.
   */
  binaryCrossEntropy(logits: GraphNode, target: GraphNode, name = "loss"): GraphNode {
    this.sameShape(logits, target, name);
    const n = logits.value.length;
    const loss = this.node(name, "binaryCrossEntropy", [1], [logits as Node, target as Node]);
    this.op(loss, () => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const z = logits.value[i]!, t = target.value[i]!;
        s += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
      }
      loss.value[0] = s / n;
    }, (acc) => {
      const g = loss.grad![0]! / n;
      if (logits.grad) {
        for (let i = 0; i < n; i++) {
          const v = g * (1 / (1 + Math.exp(-logits.value[i]!)) - target.value[i]!);
          logits.grad[i] = acc[0] ? logits.grad[i]! + v : v;
        }
      }
      if (target.grad) {
        for (let i = 0; i < n; i++) {
          const v = -g * logits.value[i]!;
          target.grad[i] = acc[1] ? target.grad[i]! + v : v;
        }
      }
    });
    this.lossNode = loss;
    return loss;
  }

  // ── running ─────────────────────────────────────────────────────────────────────────────

  /** Runs every op in build order; returns the loss (NaN when the graph has none). */
  forward(): number {
    if (!this.compiled) this.compile();
    const ops = this.ops;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      op.forward();
      // a dense op whose bias the next op adds: its value is complete only after that op
      if (op.bias?.fused) continue;
      if (i > 0 && ops[i - 1]!.bias?.fused) runTaps(ops[i - 1]!.afterForward);
      runTaps(op.afterForward);
    }
    this.lastLoss = this.lossNode ? this.lossNode.value[0]! : NaN;
    return this.lastLoss;
  }

  /** Back-propagates ∂loss/∂loss = 1 into every node's and parameter's gradient. */
  backward(): void {
    if (!this.lossNode) throw new Error("backward() needs a loss: add softmaxCrossEntropy, mse or binaryCrossEntropy");
    if (!this.lossNode.grad) throw new Error("backward(): nothing trainable flows into the loss");
    if (!this.compiled) this.compile();
    this.lossNode.grad[0] = 1;
    const ops = this.ops;
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i]!;
      if (!op.node.grad) continue;
      runTaps(op.beforeBackward);
      op.backward(op.acc);
    }
  }

  /**
   * Calls `fn` during every pass from now on: with "forward", right after `node`'s value is computed;
   * with "gradient", as soon as `node`'s gradient is final in backward (before the op that computed
   * `node` passes it on). Probes read buffers there while they are still in cache. Returns a
   * function that removes the tap. Nodes without an op (inputs, parameters) cannot be tapped.
   * @example
   * const untap = graph.tap(layer.pre, "gradient", () => console.log(norm(layer.pre.grad)));
   */
  tap(node: GraphNode, phase: "forward" | "gradient", fn: () => void): () => void {
    const op = this.ops.find((o) => o.node === node);
    if (!op) throw new RangeError(`graph.tap: node "${node.name}" is not computed by an op (an input or a parameter?)`);
    if (phase === "gradient" && !node.grad) throw new RangeError(`graph.tap: node "${node.name}" has no gradient (nothing trainable flows into it)`);
    const key = phase === "forward" ? "afterForward" : "beforeBackward";
    // new arrays rather than in-place edits, so a tap that adds or removes taps never disturbs a pass
    op[key] = [...op[key], fn];
    return () => {
      op[key] = op[key].filter((f) => f !== fn);
    };
  }

  /** The loss of the last forward pass. */
  get loss(): number {
    return this.lastLoss;
  }

  /** Softmax probabilities of the last forward pass, when the loss is softmax cross-entropy. */
  get probabilities(): FloatArray | undefined {
    return this.probs;
  }

  /** Every node as plain data (ids, names, ops, shapes, edges). */
  nodes(): GraphNodeInfo[] {
    return this.list.map((n) => ({
      id: n.id, name: n.name, op: n.op, shape: [...n.shape], inputs: n.inputs.map((i) => i.id),
      requiresGrad: n.requiresGrad, ...(n.activation ? { activation: n.activation } : {}),
    }));
  }

  /** The live node objects (value and grad buffers), e.g. for probes. */
  get nodeList(): readonly GraphNode[] {
    return this.list;
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────

  private node(name: string, op: string, shape: readonly number[], inputs: Node[], requiresGrad?: boolean, activation?: string): Node {
    if (this.compiled) throw new Error(`cannot add node "${name}": the graph has already run`);
    const grad = requiresGrad ?? inputs.some((i) => i.requiresGrad);
    const node = new Node(this.list.length, name, op, [...shape], inputs, this.backend.allocate(this.dtype, sizeOf(shape)), grad, activation);
    if (grad) node.grad = this.backend.allocate(this.dtype, node.value.length);
    this.list.push(node);
    return node;
  }

  /**
   * When z is the output of the op just added, a dense layer with a trainable bias, and the
   * backend has the fused kernels: marks that op's bias as taken over and returns it.
   */
  private fuseBias(z: Node): { bias: Node; denseOp: Op } | null {
    const denseOp = this.ops[this.ops.length - 1];
    const be = this.backend;
    if (!denseOp || denseOp.node !== z || !denseOp.bias || !z.grad || !denseOp.bias.node.grad) return null;
    if (!be.biasActivationForward || !be.activationBackwardBias) return null;
    denseOp.bias.fused = true;
    return { bias: denseOp.bias.node, denseOp };
  }

  private op(node: Node, forward: () => void, backward: (acc: readonly boolean[]) => void): void {
    this.ops.push({ node, forward, backward, acc: [], afterForward: [], beforeBackward: [] });
  }

  /** Decides, per op input, whether its gradient is overwritten (first writer in backward order) or accumulated. */
  private compile(): void {
    const written = new Set<Node>();
    for (let i = this.ops.length - 1; i >= 0; i--) {
      const op = this.ops[i]!;
      op.acc = op.node.inputs.map((input) => {
        const seen = written.has(input);
        written.add(input);
        return seen;
      });
    }
    this.compiled = true;
  }

  private normShapes(x: GraphNode, gamma: GraphNode, beta: GraphNode, name: string): [number, number] {
    const [rows, cols] = this.matrix(x, `${name} input`);
    for (const [what, p] of [["gamma", gamma], ["beta", beta]] as const) {
      if (p.shape.length !== 1 || p.shape[0] !== cols) throw new RangeError(`${name}: ${what} shape ${shapeString(p.shape)} should be [${cols}]`);
    }
    return [rows, cols];
  }

  /** Gradient buffers a normalisation's backward writes: the nodes' own, or scratch where a node needs none. */
  private normGrads(x: GraphNode, gamma: GraphNode, beta: GraphNode, n: number, cols: number): { dx: FloatArray; dgamma: FloatArray; dbeta: FloatArray } {
    const scratch = (node: GraphNode, len: number) => node.grad ?? this.backend.allocate(this.dtype, len);
    return { dx: scratch(x, n), dgamma: scratch(gamma, cols), dbeta: scratch(beta, cols) };
  }

  private matrix(n: GraphNode, what: string): [number, number] {
    if (n.shape.length !== 2) throw new RangeError(`${what} "${n.name}" must be 2-D [rows, cols], got ${shapeString(n.shape)}`);
    return [n.shape[0]!, n.shape[1]!];
  }

  private sameShape(a: GraphNode, b: GraphNode, what: string): void {
    if (shapeString(a.shape) !== shapeString(b.shape)) {
      throw new RangeError(`${what}: shapes ${shapeString(a.shape)} and ${shapeString(b.shape)} differ`);
    }
  }
}
