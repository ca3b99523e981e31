import { activationKernels, createRng, type ActivationState, type FloatArray, type Trainer } from "@gradscope/core";
import type { BandsRow, Distribution, HistogramRow, LayerRow } from "./rows.js";

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
 * allocated here, once; a probe pass then only reads buffers and builds the rows it returns.
 * Call `beforeUpdate()` between `computeGradients()` and `applyUpdate()` (to measure ΔW), then
 * `layerRows(step)` after the update.
 */
export function createProbes(trainer: Trainer, options: ProbesOptions) {
  const { run, epsilon = 0.05, bins = 30 } = options;
  const layers = trainer.network.layers;
  const before = layers.map((l) => new Float64Array(l.weight.value.length));
  const largest = Math.max(...layers.map((l) => l.pre.value.length));
  const slope = new Float64Array(largest);
  const sorted = new Float64Array(largest);
  const widest = Math.max(...layers.map((l) => l.fanOut));
  const up = new Int32Array(widest), down = new Int32Array(widest), alive = new Uint8Array(widest);
  // f′ comes from the activation's compiled kernel (inlined f′, learnable values per unit), with
  // scratch gradients so probing never touches the trainer's
  const slopeStates = layers.map((l): ActivationState | null => l.activation && {
    act: l.activation,
    params: { ...l.activation.params },
    learned: l.learned.map((p) => p.value),
    learnedGrad: l.learned.map((p) => new Float64Array(p.value.length)),
    noise: new Float64Array(0),
    rng: createRng(0),
  });

  return {
    /** Remembers the weights so the update can be measured. */
    beforeUpdate(): void {
      layers.forEach((l, k) => before[k]!.set(l.weight.value));
    },

    /** One row per dense layer, input side first. */
    layerRows(step: number): LayerRow[] {
      return layers.map((layer, k) => {
        const act = layer.activation;
        const fanIn = layer.fanIn, fanOut = layer.fanOut;
        const { dw2, w02, agreement } = updateStats(layer.weight.value, before[k]!, fanIn, fanOut, up, down);
        const pre = stats(layer.pre.value), post = act ? stats(layer.post.value) : pre;
        let saturatedFrac = 0, dead = 0;
        if (act) {
          const z = layer.pre.value, n = z.length;
          activationKernels(act).slope(z, layer.post.value, z, slope, n, fanOut, slopeStates[k]!);
          ({ saturatedFrac, dead } = slopeStats(slope, n, fanOut, epsilon * act.maxSlope, alive));
        }
        const W = layer.weight.value;
        const gW = norm(layer.weight.grad), gB = norm(layer.bias.grad), gZ = norm(layer.pre.grad!);
        const row: LayerRow = {
          type: "layer", run, step, layer: k, name: layer.name, activation: act ? act.name : "none",
          gradNormW: gW, gradRmsW: gW / Math.sqrt(W.length),
          gradNormB: gB, gradRmsB: gB / Math.sqrt(layer.bias.grad.length),
          gradNormZ: gZ, gradRmsZ: gZ / Math.sqrt(layer.pre.value.length),
          weightNorm: norm(W),
          updateRatio: w02 > 0 ? Math.sqrt(dw2 / w02) : 0,
          preMean: pre.mean, preStd: pre.std, preMin: pre.min, preMax: pre.max,
          actMean: post.mean, actStd: post.std, actMin: post.min, actMax: post.max,
          saturatedFrac, deadCount: dead, deadFrac: dead / fanOut,
          signAgreement: agreement,
        };
        if (layer.learned.length > 0) row.alpha = mean(layer.learned[0]!.value);
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

/**
 * ‖ΔW‖², ‖W₀‖² and the sign agreement in one row-major pass over W [fanIn, fanOut]: per unit j
 * (column), count its incoming weights that moved up and down.
 */
function updateStats(W: FloatArray, W0: Float64Array, fanIn: number, fanOut: number, up: Int32Array, down: Int32Array) {
  up.fill(0, 0, fanOut);
  down.fill(0, 0, fanOut);
  let dw2 = 0, w02 = 0;
  for (let i = 0, idx = 0; i < fanIn; i++) {
    for (let j = 0; j < fanOut; j++, idx++) {
      const w0 = W0[idx]!, d = W[idx]! - w0;
      dw2 += d * d;
      w02 += w0 * w0;
      up[j]! += +(d > 0);
      down[j]! += +(d < 0);
    }
  }
  let sum = 0, moved = 0;
  for (let j = 0; j < fanOut; j++) {
    const u = up[j]!, v = down[j]!;
    if (u + v > 0) {
      sum += Math.max(u, v) / (u + v);
      moved++;
    }
  }
  return { dw2, w02, agreement: moved > 0 ? sum / moved : NaN };
}

/** Saturated fraction (|f′| < limit) and dead units (f′ = 0 on every row) in one row-major pass. */
function slopeStats(slope: Float64Array, n: number, cols: number, limit: number, alive: Uint8Array) {
  alive.fill(0, 0, cols);
  let saturated = 0;
  for (let i = 0, c = 0; i < n; i++) {
    const s = slope[i]!;
    saturated += +(Math.abs(s) < limit);
    alive[c]! |= +(s !== 0);
    if (++c === cols) c = 0;
  }
  let dead = 0;
  for (let j = 0; j < cols; j++) dead += 1 - alive[j]!;
  return { saturatedFrac: saturated / n, dead };
}

/** Probes of one trainer. */
export type Probes = ReturnType<typeof createProbes>;

function norm(v: FloatArray): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

function mean(v: FloatArray): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
}

/** Mean, standard deviation, min and max in one pass (Welford, so float32 buffers keep their precision). */
function stats(v: FloatArray): { mean: number; std: number; min: number; max: number } {
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
  const at = (p: number) => {
    // linear interpolation between order statistics
    const pos = (p / 100) * (s.length - 1), lo = Math.floor(pos), hi = Math.min(lo + 1, s.length - 1);
    return s[lo]! + (pos - lo) * (s[hi]! - s[lo]!);
  };
  const [p0, p7, p16, p31, p50, p69, p84, p93, p100] = PERCENTILES.map(at) as [number, number, number, number, number, number, number, number, number];
  return { type: "bands", run, step, layer, of, p0, p7, p16, p31, p50, p69, p84, p93, p100 };
}
