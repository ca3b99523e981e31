import type { Activation } from "../activation.js";
import type { FloatArray } from "../tensor.js";
import type { ActivationState } from "./backend.js";

type Forward = (z: FloatArray, a: FloatArray, n: number, cols: number, s: ActivationState) => void;
type Backward = (
  z: FloatArray, a: FloatArray, da: FloatArray, dz: FloatArray, n: number, cols: number, s: ActivationState,
) => void;

/** The fused loops of one activation. */
export interface ActivationKernels {
  forward: Forward;
  forwardTrain: Forward;
  backward: Backward;
  backwardAccumulate: Backward;
  backwardTrain: Backward;
  backwardTrainAccumulate: Backward;
  /**
   * Everything probes want from z and a = f(z), in one pass with f′ inlined: into `out`, the
   * shift z₀ = z[0], Σ(z − z₀), Σ(z − z₀)², min and max of z, then the same five of a, then the
   * count of |f′(z)| < `limit`; and `alive[c]` set to 1 for every column (unit) where some row has
   * f′ ≠ 0. (Shifted sums keep the variance exact-ish when the values sit far from 0 or are equal.)
   */
  probe: Probe;
}

type Probe = (
  z: FloatArray, a: FloatArray, n: number, cols: number, s: ActivationState, limit: number, alive: Uint8Array, out: Float64Array,
) => void;

const cache = new WeakMap<Activation, ActivationKernels>();

/**
 * Compiles an activation's scalar f, f′ and ∂f/∂param into elementwise loops, once per activation.
 * Each loop is a fresh function made with `new Function`, so V8 keeps type feedback per activation
 * and inlines f into the loop; one shared generic loop would see every activation's f at one call
 * site and stay megamorphic (several times slower).
 */
export function activationKernels(act: Activation): ActivationKernels {
  let k = cache.get(act);
  if (!k) {
    k = compile(act);
    cache.set(act, k);
  }
  return k;
}

function compile(act: Activation): ActivationKernels {
  const learn = act.learnable;
  // per learnable parameter j: its values Lj (length 1 = shared, else per column) and gradients Gj
  const setup = learn
    .map((_, j) => `const L${j} = s.learned[${j}], G${j} = s.learnedGrad[${j}], s${j} = L${j}.length === 1 ? 0 : 1;`)
    .join("\n");
  const load = learn.map((name, j) => `q.${name} = L${j}[c * s${j}];`).join(" ");
  const paramGrads = learn.map((_, j) => `G${j}[c * s${j}] += da[i] * dp${j}(x, q, a[i]);`).join(" ");
  const column = learn.length > 0 ? "if (++c === cols) c = 0;" : "";

  const loop = (body: string) => `function (z, a, da, dz, n, cols, s) {
    const q = s.params, noise = s.noise, rng = s.rng; ${setup}
    for (let i = 0, c = 0; i < n; i++) { ${load} const x = z[i]; ${body} ${column} }
  }`;
  const fwd = (body: string) => loop(body).replace("(z, a, da, dz, n, cols, s)", "(z, a, n, cols, s)");

  const t = act.train;
  // forwardTrain stores the noise and reads it back before using it: the buffer has the graph's dtype, so on
  // float32 the forward pass then uses the same rounded u as the backward pass (not u here, fround(u) there).
  const src = `return {
    forward: ${fwd("a[i] = f(x, q);")},
    forwardTrain: ${t ? fwd("noise[i] = tnoise(rng, q); a[i] = tf(x, q, noise[i]);") : fwd("a[i] = f(x, q);")},
    backward: ${loop(`dz[i] = da[i] * df(x, q, a[i]); ${paramGrads}`)},
    backwardAccumulate: ${loop(`dz[i] += da[i] * df(x, q, a[i]); ${paramGrads}`)},
    backwardTrain: ${loop(t ? `dz[i] = da[i] * tdf(x, q, noise[i]);` : `dz[i] = da[i] * df(x, q, a[i]); ${paramGrads}`)},
    backwardTrainAccumulate: ${loop(t ? `dz[i] += da[i] * tdf(x, q, noise[i]);` : `dz[i] += da[i] * df(x, q, a[i]); ${paramGrads}`)},
    probe: function (z, a, n, cols, s, limit, alive, out) {
      const q = s.params; ${setup}
      const z0 = n > 0 ? z[0] : 0, a0 = n > 0 ? a[0] : 0;
      let zs = 0, zs2 = 0, zmin = Infinity, zmax = -Infinity, as = 0, as2 = 0, amin = Infinity, amax = -Infinity, sat = 0;
      for (let i = 0, c = 0; i < n; i++) {
        ${load} const x = z[i], y = a[i], d = df(x, q, y), u = x - z0, v = y - a0;
        zs += u; zs2 += u * u; if (x < zmin) zmin = x; if (x > zmax) zmax = x;
        as += v; as2 += v * v; if (y < amin) amin = y; if (y > amax) amax = y;
        sat += +(Math.abs(d) < limit);
        alive[c] |= +(d !== 0);
        if (++c === cols) c = 0;
      }
      out[0] = z0; out[1] = zs; out[2] = zs2; out[3] = zmin; out[4] = zmax;
      out[5] = a0; out[6] = as; out[7] = as2; out[8] = amin; out[9] = amax; out[10] = sat;
    },
  };`;
  const dps = learn.map((name) => act.dparams?.[name]);
  const names = ["f", "df", "tnoise", "tf", "tdf", ...dps.map((_, j) => `dp${j}`)];
  const values = [act.f, act.df, t?.noise, t?.f, t?.df, ...dps];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- deliberate: see the doc comment
  return new Function(...names, src)(...values) as ActivationKernels;
}
