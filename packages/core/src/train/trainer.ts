import type { Backend } from "../backend/backend.js";
import { createBatcher, type Batcher } from "../data/batcher.js";
import type { Dataset } from "../data/dataset.js";
import type { Mlp, Network } from "../nn/mlp.js";
import type { Optimizer } from "../optim/optimizer.js";
import { sgd } from "../optim/sgd.js";
import type { FloatArray } from "../tensor.js";

/** Options of {@link createTrainer}. */
export interface TrainerOptions {
  model: Mlp;
  /** Training data; its features and classes must match the model's inputs and outputs. */
  data: Dataset;
  /** Examples per step. Default min(32, data.n). */
  batchSize?: number;
  /** Default sgd({ lr: 0.1 }). */
  optimizer?: Optimizer;
  /** Seed of the batch order and of stochastic activations. Default 1. */
  seed?: number;
  backend?: Backend;
}

/** Loss and accuracy over a data set. */
export interface Evaluation {
  loss: number;
  accuracy: number;
}

/**
 * A synchronous training loop: each `step()` loads a mini-batch, runs forward and backward and
 * updates every parameter, without allocating. After a step every node's value and gradient can be
 * read from `network` (probes do).
 */
export interface Trainer {
  readonly model: Mlp;
  readonly network: Network;
  readonly optimizer: Optimizer;
  readonly batcher: Batcher;
  /** Steps taken so far. */
  readonly steps: number;
  /** Loss of the last step's mini-batch (before its update). */
  readonly loss: number;
  /** Accuracy of the last step's mini-batch. */
  readonly accuracy: number;
  /** True once a step produced a NaN or infinite loss; further steps throw. */
  readonly diverged: boolean;
  /** One full step; returns its loss. */
  step(): number;
  /** The first half of a step: load a batch, forward, backward. Returns the loss. */
  computeGradients(): number;
  /** The second half: the optimiser's update. */
  applyUpdate(): void;
  /** Loss and accuracy on a data set in eval mode (batched, parameters untouched). */
  evaluate(data: Dataset): Evaluation;
  /** Predicted class of each of `n` rows of features. */
  predict(x: Float64Array, n: number, out?: Int32Array): Int32Array;
}

/** Thrown by `step()` after a run has diverged. */
export class DivergenceError extends Error {
  constructor(readonly step: number, readonly loss: number) {
    super(`training diverged at step ${step}: loss is ${loss}`);
    this.name = "DivergenceError";
  }
}

/**
 * Creates a trainer.
 * @example
 * const trainer = createTrainer({ model: net, data: spiral(), optimizer: adam({ lr: 0.01 }) });
 * for (let i = 0; i < 500; i++) trainer.step();
 */
export function createTrainer(options: TrainerOptions): Trainer {
  const { model, data, seed = 1, backend } = options;
  const batchSize = options.batchSize ?? Math.min(32, data.n);
  if (data.features !== model.options.inputs) {
    throw new RangeError(`data set "${data.name}" has ${data.features} features but the model takes ${model.options.inputs} inputs`);
  }
  if (data.classes > model.options.outputs) {
    throw new RangeError(`data set "${data.name}" has ${data.classes} classes but the model has ${model.options.outputs} outputs`);
  }
  const batcher = createBatcher(data, { batchSize, seed });
  const network = model.build(batchSize, { backend, seed });
  const optimizer = options.optimizer ?? sgd({ lr: 0.1 });
  optimizer.attach(model.parameters, network.graph.backend);
  const evalNets = new Map<number, Network>();
  const evalNet = (rows: number): Network => {
    let net = evalNets.get(rows);
    if (!net) {
      net = model.build(rows, { backend, seed });
      net.graph.training = false;
      evalNets.set(rows, net);
    }
    return net;
  };

  let steps = 0, diverged = false;
  // loss and accuracy live in a typed array: a double in a closure variable is a boxed heap number,
  // so writing one every step would allocate
  const last = Float64Array.of(NaN, NaN);
  const classes = model.options.outputs;

  const trainer: Trainer = {
    model, network, optimizer, batcher,
    get steps() { return steps; },
    get loss() { return last[0]!; },
    get accuracy() { return last[1]!; },
    get diverged() { return diverged; },
    computeGradients() {
      if (diverged) throw new DivergenceError(steps, last[0]!);
      batcher.next(network.x.value, network.y.value);
      const loss = (last[0] = network.graph.forward());
      last[1] = countCorrect(network.graph.probabilities!, network.y.value, batchSize, classes) / batchSize;
      if (!Number.isFinite(loss)) {
        diverged = true;
        steps++;
        return loss;
      }
      network.graph.backward();
      return loss;
    },
    applyUpdate() {
      if (diverged) return;
      optimizer.step();
      steps++;
    },
    step() {
      trainer.computeGradients();
      trainer.applyUpdate();
      return last[0]!;
    },
    evaluate(ds) {
      const chunk = Math.min(ds.n, 256);
      let total = 0, correct = 0;
      for (let start = 0; start < ds.n; start += chunk) {
        const rows = Math.min(chunk, ds.n - start);
        const net = evalNet(rows);
        copyRows(ds.x, start * ds.features, net.x.value, rows * ds.features);
        net.y.value.set(ds.y.subarray(start, start + rows));
        total += net.graph.forward() * rows;
        correct += countCorrect(net.graph.probabilities!, net.y.value, rows, classes);
      }
      return { loss: total / ds.n, accuracy: correct / ds.n };
    },
    predict(x, n, out = new Int32Array(n)) {
      const features = model.options.inputs;
      if (x.length < n * features) throw new RangeError(`predict: ${n} rows need ${n * features} values, got ${x.length}`);
      const chunk = Math.min(n, 256);
      for (let start = 0; start < n; start += chunk) {
        const rows = Math.min(chunk, n - start);
        const net = evalNet(rows);
        copyRows(x, start * features, net.x.value, rows * features);
        net.y.value.fill(0);
        net.graph.forward();
        argmaxRows(net.graph.probabilities!, rows, classes, out, start);
      }
      return out;
    },
  };
  return trainer;
}

function copyRows(src: Float64Array, offset: number, dst: FloatArray, length: number): void {
  for (let i = 0; i < length; i++) dst[i] = src[offset + i]!;
}

/** Index of the largest of `cols` values from `o` (the first on ties). */
function argmax(probs: FloatArray, o: number, cols: number): number {
  let best = 0;
  for (let c = 1; c < cols; c++) if (probs[o + c]! > probs[o + best]!) best = c;
  return best;
}

function countCorrect(probs: FloatArray, labels: Int32Array, rows: number, cols: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) correct += +(argmax(probs, r * cols, cols) === labels[r]);
  return correct;
}

function argmaxRows(probs: FloatArray, rows: number, cols: number, out: Int32Array, at: number): void {
  for (let r = 0; r < rows; r++) out[at + r] = argmax(probs, r * cols, cols);
}
