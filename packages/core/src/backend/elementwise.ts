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
  /** out[i] = f′(z[i]) in eval mode (the `dz` argument is the output; `da` is unused): what probes read. */
  slope: Backward;
}

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
  const src = `return {
    forward: ${fwd("a[i] = f(x, q);")},
    forwardTrain: ${t ? fwd("const u = tnoise(rng, q); noise[i] = u; a[i] = tf(x, q, u);") : fwd("a[i] = f(x, q);")},
    backward: ${loop(`dz[i] = da[i] * df(x, q, a[i]); ${paramGrads}`)},
    backwardAccumulate: ${loop(`dz[i] += da[i] * df(x, q, a[i]); ${paramGrads}`)},
    backwardTrain: ${loop(t ? `dz[i] = da[i] * tdf(x, q, noise[i]);` : `dz[i] = da[i] * df(x, q, a[i]); ${paramGrads}`)},
    backwardTrainAccumulate: ${loop(t ? `dz[i] += da[i] * tdf(x, q, noise[i]);` : `dz[i] += da[i] * df(x, q, a[i]); ${paramGrads}`)},
    slope: ${loop("dz[i] = df(x, q, a[i]);")},
  };`;
  const dps = learn.map((name) => act.dparams?.[name]);
  const names = ["f", "df", "tnoise", "tf", "tdf", ...dps.map((_, j) => `dp${j}`)];
  const values = [act.f, act.df, t?.noise, t?.f, t?.df, ...dps];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- deliberate: see the doc comment
  return new Function(...names, src)(...values) as ActivationKernels;
}
