import type { Rng } from "../random.js";
import type { FloatArray } from "../tensor.js";

/** Fills a weight matrix [fanIn, fanOut] (or a bias, fanOut values) from a seeded generator. */
export type Initializer = (data: FloatArray, fanIn: number, fanOut: number, rng: Rng) => void;

const uniform = (limit: (i: number, o: number) => number): Initializer => (data, fanIn, fanOut, rng) => {
  const a = limit(fanIn, fanOut);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-a, a);
};
const normal = (std: (i: number, o: number) => number): Initializer => (data, fanIn, fanOut, rng) => {
  const s = std(fanIn, fanOut);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, s);
};

/**
 * The named initialisers. Variances are what the papers give:
 * - `standard`: U(±1/√n_in), Var = 1/(3 n_in): the "commonly used heuristic" Glorot & Bengio (2010) show saturating sigmoid nets.
 * - `glorot` (uniform) U(±√(6/(n_in + n_out))) and `glorotNormal` N(0, 2/(n_in + n_out)): Glorot & Bengio's normalised init.
 * - `he` (uniform) U(±√(6/n_in)) and `heNormal` N(0, 2/n_in): He et al. (2015), for ReLU.
 * - `lecun` N(0, 1/n_in): LeCun normal, what SELU needs (Klambauer et al. 2017).
 * - `zeros`.
 */
export const initializers = {
  standard: uniform((i) => 1 / Math.sqrt(i)),
  glorot: uniform((i, o) => Math.sqrt(6 / (i + o))),
  glorotNormal: normal((i, o) => Math.sqrt(2 / (i + o))),
  he: uniform((i) => Math.sqrt(6 / i)),
  heNormal: normal((i) => Math.sqrt(2 / i)),
  lecun: normal((i) => Math.sqrt(1 / i)),
  zeros: constant(0),
} satisfies Record<string, Initializer>;

/** Name of a built-in initialiser. */
export type InitializerName = keyof typeof initializers;

/** Every element set to `value` (e.g. a negative bias to kill ReLUs on purpose). */
export function constant(value: number): Initializer {
  if (!Number.isFinite(value)) throw new RangeError(`constant initialiser needs a finite value, got ${value}`);
  return (data) => void data.fill(value);
}

/** Looks up a named initialiser, or passes a function through; a number means `constant(number)`. */
export function resolveInitializer(init: InitializerName | Initializer | number): Initializer {
  if (typeof init === "function") return init;
  if (typeof init === "number") return constant(init);
  const found = (initializers as Record<string, Initializer>)[init];
  if (!found) throw new RangeError(`unknown initialiser "${init}" (known: ${Object.keys(initializers).join(", ")}, or a number for a constant)`);
  return found;
}

const heFamily = new Set(["relu", "leakyRelu", "prelu", "rrelu", "elu", "celu", "gelu", "swish", "silu", "mish"]);

/**
 * The initialiser the literature pairs with an activation: He for the ReLU family (He et al. 2015),
 * LeCun normal for SELU (Klambauer et al. 2017), Glorot otherwise (Glorot & Bengio 2010).
 */
export function defaultInit(activationName: string): InitializerName {
  if (activationName === "selu") return "lecun";
  return heFamily.has(activationName) ? "he" : "glorot";
}
