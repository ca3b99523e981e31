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
  const sums = new Float64Array(9);
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
        const W = layer.weight.value;
        const u = updateStats(W, before[k]!, layer.weight.grad, fanIn, fanOut, up, down);
        const z = layer.pre.value, n = z.length;
        let pre: Moments, post: Moments, saturatedFrac = 0, dead = 0;
        if (act) {
          alive.fill(0, 0, fanOut);
          activationKernels(act).probe(z, layer.post.value, n, fanOut, slopeStates[k]!, epsilon * act.maxSlope, alive, sums);
          pre = moments(sums[0]!, sums[1]!, sums[2]!, sums[3]!, n);
          post = moments(sums[4]!, sums[5]!, sums[6]!, sums[7]!, n);
          saturatedFrac = sums[8]! / n;
          for (let j = 0; j < fanOut; j++) dead += 1 - alive[j]!;
        } else {
          pre = post = stats(z);
        }
        const gB = norm(layer.bias.grad), gZ = norm(layer.pre.grad!);
        const row: LayerRow = {
          type: "layer", run, step, layer: k, name: layer.name, activation: act ? act.name : "none",
          gradNormW: u.gradNorm, gradRmsW: u.gradNorm / Math.sqrt(W.length),
          gradNormB: gB, gradRmsB: gB / Math.sqrt(layer.bias.grad.length),
          gradNormZ: gZ, gradRmsZ: gZ / Math.sqrt(n),
          weightNorm: u.weightNorm,
          updateRatio: u.w02 > 0 ? Math.sqrt(u.dw2 / u.w02) : 0,
          preMean: pre.mean, preStd: pre.std, preMin: pre.min, preMax: pre.max,
          actMean: post.mean, actStd: post.std, actMin: post.min, actMax: post.max,
          saturatedFrac, deadCount: dead, deadFrac: dead / fanOut,
          signAgreement: u.agreement,
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
 * In one row-major pass over W [fanIn, fanOut]: ‖ΔW‖², ‖W₀‖², ‖W‖, ‖∂L/∂W‖ and, per unit j
 * (column), how many incoming weights moved up and down (the sign agreement).
 */
function updateStats(W: FloatArray, W0: Float64Array, G: FloatArray, fanIn: number, fanOut: number, up: Int32Array, down: Int32Array) {
  up.fill(0, 0, fanOut);
  down.fill(0, 0, fanOut);
  let dw2 = 0, w02 = 0, w2 = 0, g2 = 0;
  for (let i = 0, idx = 0; i < fanIn; i++) {
    for (let j = 0; j < fanOut; j++, idx++) {
      const w = W[idx]!, w0 = W0[idx]!, d = w - w0, g = G[idx]!;
      dw2 += d * d;
      w02 += w0 * w0;
      w2 += w * w;
      g2 += g * g;
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
  return { dw2, w02, weightNorm: Math.sqrt(w2), gradNorm: Math.sqrt(g2), agreement: moved > 0 ? sum / moved : NaN };
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

interface Moments {
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Moments from sums accumulated in float64 (where E[x²] − E[x]² loses nothing that matters here). */
function moments(sum: number, sum2: number, min: number, max: number, n: number): Moments {
  const m = sum / n;
  return { mean: m, std: Math.sqrt(Math.max(0, sum2 / n - m * m)), min, max };
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
  const at = (p: number) => {
    // linear interpolation between order statistics
    const pos = (p / 100) * (s.length - 1), lo = Math.floor(pos), hi = Math.min(lo + 1, s.length - 1);
    return s[lo]! + (pos - lo) * (s[hi]! - s[lo]!);
  };
  const [p0, p7, p16, p31, p50, p69, p84, p93, p100] = PERCENTILES.map(at) as [number, number, number, number, number, number, number, number, number];
  return { type: "bands", run, step, layer, of, p0, p7, p16, p31, p50, p69, p84, p93, p100 };
}
