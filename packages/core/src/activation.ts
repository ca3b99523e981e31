import type { Rng } from "./random.js";

/** Named scalar parameters of an activation, e.g. `{ alpha: 0.01 }`. */
export type ActivationParams = Record<string, number>;

/**
 * Training-mode behaviour of a stochastic activation (RReLU): one noise value `u` is drawn per element
 * in the forward pass, kept, and handed to the backward pass.
 */
export interface TrainBehaviour<P extends ActivationParams> {
  /** Draws the per-element noise (e.g. RReLU's slope). */
  noise(rng: Rng, p: P): number;
  /** f(x) given the element's noise u. */
  f(x: number, p: P, u: number): number;
  /** ∂f/∂x given the element's noise u. */
  df(x: number, p: P, u: number): number;
}

/** ∂f/∂param at x (y = f(x)). */
export type DParam<P> = { bivarianceHack(x: number, p: P, y: number): number }["bivarianceHack"];

/** Everything that defines an activation. Only `name`, `f` and `df` are required. */
export interface ActivationSpec<P extends ActivationParams = ActivationParams> {
  /** Identifier, unique among activations: `leakyRelu`. */
  name: string;
  /** One line on what it is and why one would use it. */
  description?: string;
  /** The formula in plain text: `x > 0 ? x : α·x`. */
  formula?: string;
  /** The derivative in plain text: `x > 0 ? 1 : α`. */
  derivative?: string;
  /** Default parameter values. Names must be JavaScript identifiers. */
  params?: P;
  /** Parameters the optimiser trains (PReLU's `alpha`). */
  learnable?: readonly (keyof P & string)[];
  // f, df and check are declared as methods so that an Activation<{ alpha: number }> is still an Activation
  /** The function, in eval mode. */
  f(x: number, p: P): number;
  /** ∂f/∂x in eval mode; `y` is f(x), so a derivative can reuse it (sigmoid: y(1 − y)). */
  df(x: number, p: P, y: number): number;
  /** ∂f/∂param for every learnable parameter. */
  dparams?: { [K in keyof P]?: DParam<P> };
  /**
   * Points where f is not differentiable; `df` returns the documented one-sided value there.
   * A function when they move with the parameters (hardTanh's min and max).
   */
  kinks?: readonly number[] | ((p: P) => readonly number[]);
  /** Returns a message when a parameter value is out of range (`alpha must be > 0`). */
  check?(p: P): string | undefined;
  /** Training-mode behaviour where it differs from eval (RReLU). */
  train?: TrainBehaviour<P>;
}

/** A ready-to-use activation: its spec with all defaults filled in, plus `with` to change parameters. */
// The default type argument is `any` so that a plain `Activation` accepts every activation
// whatever its parameters (Activation<{ alpha: number }> included), as graphs and lists need.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Activation<P extends ActivationParams = any> extends Omit<ActivationSpec<P>, "kinks"> {
  readonly params: P;
  readonly learnable: readonly (keyof P & string)[];
  readonly kinks: readonly number[];
  /** A copy with some parameters changed; throws on an unknown name or a bad value. */
  with(params: Partial<P>): Activation<P>;
  /** max |f′(x)| over x ∈ [−20, 20] in eval mode: the scale the saturation metric compares against. */
  readonly maxSlope: number;
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function validate<P extends ActivationParams>(name: string, p: P, check?: (p: P) => string | undefined): void {
  for (const [key, value] of Object.entries(p)) {
    if (!identifier.test(key)) throw new TypeError(`activation ${name}: parameter name "${key}" is not an identifier`);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(`activation ${name}: parameter ${key} must be a finite number, got ${String(value)}`);
    }
  }
  const problem = check?.(p);
  if (problem) throw new RangeError(`activation ${name}: ${problem}`);
}

function slopeScale<P extends ActivationParams>(spec: ActivationSpec<P>, p: P): number {
  let max = 0;
  for (let i = 0; i <= 4000; i++) {
    const x = -20 + i / 100;
    const s = Math.abs(spec.df(x, p, spec.f(x, p)));
    if (s > max && Number.isFinite(s)) max = s;
  }
  return max;
}

/**
 * Defines an activation from scalar f and f′. The graph compiles them once into fused elementwise
 * kernels, so a definition is all a new activation needs.
 * @example
 * export const leakyRelu = defineActivation({
 *   name: "leakyRelu",
 *   params: { alpha: 0.01 },
 *   f: (x, { alpha }) => (x > 0 ? x : alpha * x),
 *   df: (x, { alpha }) => (x > 0 ? 1 : alpha), // at 0 we take the left slope
 *   kinks: [0],
 * });
 */
export function defineActivation<P extends ActivationParams = Record<never, number>>(
  spec: ActivationSpec<P>,
): Activation<P> {
  if (!spec.name || !identifier.test(spec.name)) {
    throw new TypeError(`activation name must be an identifier, got "${spec.name}"`);
  }
  const params = Object.freeze({ ...(spec.params ?? ({} as P)) }) as P;
  validate(spec.name, params, spec.check);
  const learnable = spec.learnable ?? [];
  for (const key of learnable) {
    if (!(key in params)) throw new TypeError(`activation ${spec.name}: learnable "${key}" is not a parameter`);
    if (!spec.dparams?.[key]) throw new TypeError(`activation ${spec.name}: learnable "${key}" needs dparams.${key}`);
  }
  let maxSlope: number | undefined;
  const activation: Activation<P> = {
    ...spec,
    params,
    learnable,
    kinks: typeof spec.kinks === "function" ? spec.kinks(params) : (spec.kinks ?? []),
    with(changes) {
      for (const key of Object.keys(changes)) {
        if (!(key in params)) {
          const known = Object.keys(params).join(", ") || "none";
          throw new RangeError(`activation ${spec.name} has no parameter "${key}" (parameters: ${known})`);
        }
      }
      return defineActivation({ ...spec, params: { ...params, ...changes } as P });
    },
    get maxSlope() {
      return (maxSlope ??= slopeScale(spec, params));
    },
  };
  return Object.freeze(activation);
}
