import { createRng, dtypeOf, identity, probeKernels, type ActivationState, type FloatArray, type Trainer } from "@gradscope/core";
import type { BandsRow, Distribution, HistogramRow, LayerRow } from "./rows.js";
import { percentilesInPlace } from "./internal/percentilesInPlace.js";

/** Options of {@link createProbes}. */
export interface ProbesOptions {
  run: string;
  /** Saturation threshold ε (|f′| < ε·max|f′|). Default 0.05. */
  epsilon?: number;
  /** Histogram bins. Default 30. */
  bins?: number;
}

/**
 * Reads a trainer's buffers after a step and summarises them as rows. Everything it needs is
 * allocated here, once; a probe pass then only runs the backend's probe reductions (see
 * `probeKernels`: WebAssembly SIMD on the wasm backend) and builds the rows it returns.
 * Call `beforeUpdate()` between `computeGradients()` and `applyUpdate()` (to measure ΔW), then
 * `layerRows(step)` after the update.
 */
export function createProbes(trainer: Pick<Trainer, "network"> & Partial<Pick<Trainer, "optimizer">>, options: ProbesOptions) {
  const { run, epsilon = 0.05, bins = 30 } = options;
  const layers = trainer.network.layers;
  // the reductions run where the buffers live (WebAssembly for the wasm backend), so the weight
  // snapshot is allocated there too
  const backend = trainer.network.graph.backend;
  const k = probeKernels(backend);
  // weight snapshots, made on first need: an optimiser that measures its own updates needs none
  const before: (FloatArray | null)[] = layers.map(() => null);
  const snapshotOf = (i: number): FloatArray => {
    const W = layers[i]!.weight.value;
    return (before[i] ??= backend.allocate(dtypeOf(W), W.length));
  };
  const largest = Math.max(...layers.map((l) => l.pre.value.length));
  const sorted = new Float64Array(largest);
  // preShift: each layer's z percentiles (16, 50, 84) at the previous layer row, and this row's
  const shiftBefore = layers.map(() => new Float64Array(3).fill(NaN));
  const shiftNow = new Float64Array(3);
  // f′ comes from the activation (a layer without one is the identity: f′ = 1), with scratch
  // gradients so probing never touches the trainer's
  const slopeStates = layers.map((l): ActivationState => {
    const act = l.activation ?? identity;
    return {
      act,
      params: { ...act.params },
      learned: l.learned.map((p) => p.value),
      learnedGrad: l.learned.map((p) => new Float64Array(p.value.length)),
      noise: new Float64Array(0),
      rng: createRng(0),
    };
  });
  // per layer: probeActivation's 12 summaries, then ‖∂L/∂z‖² and ‖∂L/∂b‖²; and probeUpdate's 6
  const acts = layers.map(() => new Float64Array(14)), updates = layers.map(() => new Float64Array(6));
  let activationsRead = false;
  // per layer: whether the optimiser measures its next update itself (no snapshot, no second pass)
  const measured = layers.map(() => false);

  /** Summaries of layer i's z and a = f(z). */
  const readValues = (i: number) => {
    const l = layers[i]!, state = slopeStates[i]!, n = l.pre.value.length;
    k.probeActivation(state, l.pre.value, l.post.value, n / l.fanOut, l.fanOut, epsilon * state.act.maxSlope, acts[i]!);
  };
  /** ‖∂L/∂z‖² of layer i. */
  const readGradient = (i: number) => {
    const l = layers[i]!;
    acts[i]![12] = k.sumSquares(l.pre.grad!, l.pre.value.length);
  };
  /** ‖∂L/∂b‖² of every layer (fanOut values each: cheap wherever they are). */
  const readBiasGradients = () => {
    for (let i = 0; i < layers.length; i++) acts[i]![13] = k.sumSquares(layers[i]!.bias.grad, layers[i]!.bias.grad.length);
  };
  /** Summaries of z, a = f(z), ∂L/∂z and ∂L/∂b (the update changes none of them). */
  const readActivations = () => {
    for (let i = 0; i < layers.length; i++) {
      readValues(i);
      readGradient(i);
    }
    readBiasGradients();
  };

  // Armed (see arm()), the graph's taps read each layer's z and a right after its forward pass and
  // ∂L/∂z as soon as backward has finished it, while they are in cache: after the whole step they
  // are not (on W1 that made the probes ~1.2 ms of a 10 ms step, mostly memory traffic).
  // the taps' milliseconds live in a typed array: a double in a closure variable is boxed, so
  // adding to one on every tap would allocate
  let armed = false;
  const tapMs = new Float64Array(1);
  const graph = trainer.network.graph;
  const timed = (read: (i: number) => void, i: number) => () => {
    if (!armed) return;
    const t = performance.now();
    read(i);
    tapMs[0]! += performance.now() - t;
  };
  const untaps = layers.flatMap((l, i) => [graph.tap(l.post, "forward", timed(readValues, i)), graph.tap(l.pre, "gradient", timed(readGradient, i))]);

  return {
    /**
     * Call before the forward pass of a step you will probe: its z, a and ∂L/∂z are then read during
     * that pass, while in cache. Optional: without it `beforeUpdate` reads them after backward.
     */
    arm(): void {
      armed = untaps.length > 0; // not after dispose()
    },

    /**
     * Remembers the weights so the update can be measured (or asks the optimiser to measure it), and
     * reads the activations and their gradients unless the armed taps already have (the update
     * changes none of them).
     */
    beforeUpdate(): void {
      // armed, the taps have read this step's z, a and ∂L/∂z during the passes
      if (armed) readBiasGradients();
      else readActivations();
      armed = false;
      activationsRead = true;
      const opt = trainer.optimizer;
      for (let i = 0; i < layers.length; i++) {
        const l = layers[i]!;
        // the update measures itself in the pass that applies it; otherwise snapshot W to compare after
        updates[i]!.fill(0);
        measured[i] = opt?.measureNext?.(l.weight, l.fanOut, updates[i]!) ?? false;
        if (!measured[i]) k.copy(l.weight.value, snapshotOf(i), l.weight.value.length);
      }
    },

    /** Milliseconds the armed taps spent inside the passes since the last call (a step's probe time). */
    takeTapMs(): number {
      const ms = tapMs[0]!;
      tapMs[0] = 0;
      return ms;
    },

    /** Removes the graph taps (the probes' buffers are then unused). */
    dispose(): void {
      for (const untap of untaps) untap();
      untaps.length = 0;
      armed = false;
    },

    /** One row per dense layer, input side first. */
    layerRows(step: number): LayerRow[] {
      if (!activationsRead) readActivations();
      activationsRead = armed = false;
      // output side first: the optimiser touched those weights last, so they are still in cache
      for (let i = layers.length - 1; i >= 0; i--) {
        const l = layers[i]!;
        if (measured[i]) measured[i] = false;
        else k.probeUpdate(l.weight.value, snapshotOf(i), l.weight.grad, l.fanIn, l.fanOut, updates[i]!);
      }
      return layers.map((layer, i) => {
        const act = layer.activation, a = acts[i]!, fanOut = layer.fanOut;
        const [dw2, w02, w2, g2, agreeSum, moved] = updates[i]! as unknown as [number, number, number, number, number, number];
        const n = layer.pre.value.length, W = layer.weight.value;
        const pre = moments(a, 0, n), post = moments(a, 5, n);
        const saturatedFrac = a[10]! / n, dead = a[11]!;
        const gW = Math.sqrt(g2), gZ = Math.sqrt(a[12]!), gB = Math.sqrt(a[13]!);
        const row: LayerRow = {
          type: "layer", run, step, layer: i, name: layer.name, activation: act ? act.name : "none",
          gradNormW: gW, gradRmsW: gW / Math.sqrt(W.length),
          gradNormB: gB, gradRmsB: gB / Math.sqrt(layer.bias.grad.length),
          gradNormZ: gZ, gradRmsZ: gZ / Math.sqrt(n),
          weightNorm: Math.sqrt(w2),
          updateRatio: w02 > 0 ? Math.sqrt(dw2 / w02) : 0,
          preMean: pre.mean, preStd: pre.std, preMin: pre.min, preMax: pre.max,
          actMean: post.mean, actStd: post.std, actMin: post.min, actMax: post.max,
          saturatedFrac, deadCount: dead, deadFrac: dead / fanOut,
          signAgreement: moved > 0 ? agreeSum / moved : NaN,
        };
        if (layer.learned.length > 0) row.alpha = mean(layer.learned[0]!.value);
        // absent on the first row (nothing to compare with), so rows stay JSON-exact (NaN is not)
        const shift = preShift(layer.pre.value, fanOut, shiftBefore[i]!, sorted, shiftNow);
        if (!Number.isNaN(shift)) row.preShift = shift;
        if (layer.gamma) {
          const g = stats(layer.gamma.value), b = stats(layer.bias.value);
          row.norm = layer.norm as "batch" | "layer";
          row.gammaMean = g.mean; row.gammaStd = g.std; row.betaMean = b.mean; row.betaStd = b.std;
        }
        return row;
      });
    },

    /** Histogram or percentile-band rows of every layer's pre-activations, activations and ∂L/∂z. */
    distributionRows(step: number, kind: "bins" | "bands"): (HistogramRow | BandsRow)[] {
      const out: (HistogramRow | BandsRow)[] = [];
      layers.forEach((layer, k) => {
        const buffers: [Distribution, FloatArray][] = [["pre", layer.pre.value], ["gradZ", layer.pre.grad!]];
        if (layer.activation) buffers.splice(1, 0, ["act", layer.post.value]);
        for (const [of, data] of buffers) {
          out.push(kind === "bins" ? histogram(run, step, k, of, data, bins) : bands(run, step, k, of, data, sorted));
        }
      });
      return out;
    },
  };
}

/** Values of z the preShift percentiles are estimated from: whole rows of the batch, at least this many. */
const SHIFT_SAMPLE = 512;

const SHIFT_PERCENTILES = [16, 50, 84] as const;

/**
 * See LayerRow.preShift: the mean |Δ| of z's 16th, 50th and 84th percentiles since `before` (which
 * it then overwrites), over (p84 − p16)/2 now; percentiles of the batch's first rows. It runs on
 * every probed step, so it selects (expected O(n)) in preallocated buffers instead of sorting a copy.
 */
function preShift(z: FloatArray, cols: number, before: Float64Array, scratch: Float64Array, now: Float64Array): number {
  const m = Math.min(z.length, cols * Math.max(1, Math.ceil(SHIFT_SAMPLE / cols)));
  for (let i = 0; i < m; i++) scratch[i] = z[i]!;
  percentilesInPlace(scratch, m, SHIFT_PERCENTILES, now);
  const p16 = now[0]!, p50 = now[1]!, p84 = now[2]!;
  const moved = (Math.abs(p16 - before[0]!) + Math.abs(p50 - before[1]!) + Math.abs(p84 - before[2]!)) / 3;
  before[0] = p16; before[1] = p50; before[2] = p84;
  const spread = (p84 - p16) / 2;
  // a distribution collapsed to one value: no move is no shift, any move is an infinite one
  return spread > 0 ? moved / spread : moved === 0 ? 0 : moved > 0 ? Infinity : NaN;
}

/** The p-th percentile of sorted values, interpolated linearly between order statistics. */
function percentile(sorted: Float64Array, p: number): number {
  const pos = (p / 100) * (sorted.length - 1), lo = Math.floor(pos), hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Probes of one trainer. */
export type Probes = ReturnType<typeof createProbes>;

function mean(v: FloatArray): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
}

interface Moments {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Moments from shifted sums (shift, Σ(x − shift), Σ(x − shift)², min, max) at `out[at…]`. */
function moments(out: Float64Array, at: number, n: number): Moments {
  const d = out[at + 1]! / n;
  return { mean: out[at]! + d, std: Math.sqrt(Math.max(0, out[at + 2]! / n - d * d)), min: out[at + 3]!, max: out[at + 4]! };
}

/** Mean, standard deviation, min and max in one pass (Welford, so float32 buffers keep their precision). */
function stats(v: FloatArray): Moments {
  let m = 0, s = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!, d = x - m;
    m += d / (i + 1);
    s += d * (x - m);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { mean: m, std: Math.sqrt(s / v.length), min, max };
}

function histogram(run: string, step: number, layer: number, of: Distribution, v: FloatArray, bins: number): HistogramRow {
  const { min, max } = stats(v);
  const width = max > min ? (max - min) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < v.length; i++) {
    const b = Math.min(bins - 1, Math.floor((v[i]! - min) / width));
    counts[b]! += 1;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * width);
  return { type: "histogram", run, step, layer, of, bins: edges, counts };
}

const PERCENTILES = [0, 7, 16, 31, 50, 69, 84, 93, 100] as const;

function bands(run: string, step: number, layer: number, of: Distribution, v: FloatArray, scratch: Float64Array): BandsRow {
  const s = scratch.subarray(0, v.length);
  s.set(v);
  s.sort();
  const [p0, p7, p16, p31, p50, p69, p84, p93, p100] = PERCENTILES.map((p) => percentile(s, p)) as [number, number, number, number, number, number, number, number, number];
  return { type: "bands", run, step, layer, of, p0, p7, p16, p31, p50, p69, p84, p93, p100 };
}
