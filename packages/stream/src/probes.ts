import type { Activation, FloatArray, NetworkLayer, Trainer } from "@gradscope/core";
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

  /** f′(z) for every element into `slope`, with learnable parameters per unit where they are. */
  const slopes = (layer: NetworkLayer, act: Activation): void => {
    const z = layer.pre.value, a = layer.post.value, cols = layer.fanOut;
    const q: Record<string, number> = { ...act.params };
    const learned = layer.learned;
    for (let i = 0, c = 0; i < z.length; i++) {
      for (let j = 0; j < learned.length; j++) {
        const v = learned[j]!.value;
        q[act.learnable[j]!] = v.length === 1 ? v[0]! : v[c]!;
      }
      slope[i] = act.df(z[i]!, q, a[i]!);
      if (++c === cols) c = 0;
    }
  };

  return {
    /** Remembers the weights so the update can be measured. */
    beforeUpdate(): void {
      layers.forEach((l, k) => before[k]!.set(l.weight.value));
    },

    /** One row per dense layer, input side first. */
    layerRows(step: number): LayerRow[] {
      return layers.map((layer, k) => {
        const act = layer.activation;
        const W = layer.weight.value, W0 = before[k]!;
        const fanIn = layer.fanIn, fanOut = layer.fanOut;
        // update size and the sign agreement of each unit's incoming updates
        let dw2 = 0, w02 = 0, agreement = 0, moved = 0;
        for (let j = 0; j < fanOut; j++) {
          let up = 0, down = 0;
          for (let i = 0; i < fanIn; i++) {
            const idx = i * fanOut + j, d = W[idx]! - W0[idx]!;
            dw2 += d * d;
            w02 += W0[idx]! * W0[idx]!;
            if (d > 0) up++;
            else if (d < 0) down++;
          }
          if (up + down > 0) {
            agreement += Math.max(up, down) / (up + down);
            moved++;
          }
        }
        const pre = stats(layer.pre.value), post = act ? stats(layer.post.value) : pre;
        let saturated = 0, dead = 0;
        const rows = layer.pre.value.length / fanOut;
        if (act) {
          slopes(layer, act);
          const limit = epsilon * act.maxSlope;
          const n = layer.pre.value.length;
          for (let i = 0; i < n; i++) if (Math.abs(slope[i]!) < limit) saturated++;
          for (let j = 0; j < fanOut; j++) {
            let alive = false;
            for (let r = 0; r < rows && !alive; r++) alive = slope[r * fanOut + j] !== 0;
            if (!alive) dead++;
          }
          saturated /= n;
        }
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
          saturatedFrac: saturated, deadCount: dead, deadFrac: dead / fanOut,
          signAgreement: moved > 0 ? agreement / moved : NaN,
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
