import { createRng, identity, probeKernels, type ActivationState, type FloatArray, type Trainer } from "@gradscope/core";
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
 * allocated here, once; a probe pass then only runs the backend's probe reductions (see
 * `probeKernels`: WebAssembly SIMD on the wasm backend) and builds the rows it returns.
 * Call `beforeUpdate()` between `computeGradients()` and `applyUpdate()` (to measure ΔW), then
 * `layerRows(step)` after the update.
 */
export function createProbes(trainer: Pick<Trainer, "network">, options: ProbesOptions) {
  const { run, epsilon = 0.05, bins = 30 } = options;
  const layers = trainer.network.layers;
  // the reductions run where the buffers live (WebAssembly for the wasm backend), so the weight
  // snapshot is allocated there too
  const backend = trainer.network.graph.backend;
  const k = probeKernels(backend);
  const before = layers.map((l) => backend.allocate(l.weight.value instanceof Float64Array ? "float64" : "float32", l.weight.value.length));
  const largest = Math.max(...layers.map((l) => l.pre.value.length));
  const upd = new Float64Array(6), sums = new Float64Array(12);
  const sorted = new Float64Array(largest);
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

  return {
    /** Remembers the weights so the update can be measured. */
    beforeUpdate(): void {
      layers.forEach((l, i) => k.copy(l.weight.value, before[i]!, l.weight.value.length));
    },

    /** One row per dense layer, input side first. */
    layerRows(step: number): LayerRow[] {
      return layers.map((layer, i) => {
        const act = layer.activation, state = slopeStates[i]!;
        const fanIn = layer.fanIn, fanOut = layer.fanOut;
        const W = layer.weight.value;
        k.probeUpdate(W, before[i]!, layer.weight.grad, fanIn, fanOut, upd);
        const [dw2, w02, w2, g2, agreeSum, moved] = upd as unknown as [number, number, number, number, number, number];
        const z = layer.pre.value, n = z.length;
        k.probeActivation(state, z, layer.post.value, n / fanOut, fanOut, epsilon * state.act.maxSlope, sums);
        const pre = moments(sums, 0, n), post = moments(sums, 5, n);
        const saturatedFrac = sums[10]! / n, dead = sums[11]!;
        const gW = Math.sqrt(g2);
        const gB = Math.sqrt(k.sumSquares(layer.bias.grad, layer.bias.grad.length));
        const gZ = Math.sqrt(k.sumSquares(layer.pre.grad!, n));
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
  const at = (p: number) => {
    // linear interpolation between order statistics
    const pos = (p / 100) * (s.length - 1), lo = Math.floor(pos), hi = Math.min(lo + 1, s.length - 1);
    return s[lo]! + (pos - lo) * (s[hi]! - s[lo]!);
  };
  const [p0, p7, p16, p31, p50, p69, p84, p93, p100] = PERCENTILES.map(at) as [number, number, number, number, number, number, number, number, number];
  return { type: "bands", run, step, layer, of, p0, p7, p16, p31, p50, p69, p84, p93, p100 };
}
