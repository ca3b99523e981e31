import { defineActivation, type Activation, type ActivationParams, type ActivationSpec } from "../activation.js";
import { compileExpr } from "./compileExpr.js";
import { describe, Expr } from "./expr.js";

/** Options of {@link composeActivation}. */
export interface ComposeOptions<P extends ActivationParams> {
  /** Default parameter values; the callback receives an Expr handle for each. Names must be identifiers. */
  params?: P;
  /** Parameters the optimiser trains; a ∂f/∂param function is generated for each. */
  learnable?: readonly NoInfer<keyof P & string>[];
  /**
   * Points where f is not differentiable (where max, min, abs or where switch), skipped by the
   * gradient check. The derivative there follows the conventions of {@link Expr.max} and {@link where}.
   */
  kinks?: readonly number[];
  /** One line on what it is and why one would use it. */
  description?: string;
  /** Returns a message when a parameter value is out of range (`alpha must be > 0`). */
  check?: (p: P) => string | undefined;
}

/** The Expr handles the callback receives, one per parameter: `(x, { alpha }) => …`. */
export type ParamExprs<P extends ActivationParams> = { readonly [K in keyof P]: Expr };

/** An activation made by {@link composeActivation}: a normal Activation plus its expression and code. */
export interface ComposedActivation<P extends ActivationParams = ActivationParams> extends Activation<P> {
  /** The expression the callback built; `String(expr)` is the `formula`. */
  readonly expr: Expr;
  /** The generated JavaScript of f, df and each dparams function. */
  readonly source: string;
  /** ∂f/∂param of every learnable parameter (empty without learnable parameters). */
  readonly dparams: NonNullable<ActivationSpec<P>["dparams"]>;
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Defines an activation as an expression over differentiable primitives; f′ (and ∂f/∂param for
 * learnable parameters) is derived automatically. The expression is compiled once, here, into fused
 * scalar functions (forward mode, shared sub-expressions, see `source`), and the result is an ordinary
 * {@link Activation}, so the graph runs it like any built-in as one elementwise node.
 *
 * Kinks: `a.max(b)` and `a.min(b)` take b's derivative at a tie (so `x.max(0)` has relu's f′(0) = 0),
 * `abs` has derivative 0 at 0, and `where(cond, a, b)` takes the derivative of the branch its
 * comparison picks (`x.gt(0)` is false at 0, so the else branch). List such points in `kinks`.
 * @example
 * export const swish = composeActivation("swish", (x) => x.mul(x.sigmoid()));
 * const leaky = composeActivation("myLeaky", (x, { alpha }) => where(x.gt(0), x, x.mul(alpha)), {
 *   params: { alpha: 0.01 },
 *   kinks: [0],
 * });
 * const learned = composeActivation("myPrelu", (x, { a }) => x.max(0).add(x.min(0).mul(a)), {
 *   params: { a: 0.25 },
 *   learnable: ["a"],
 *   kinks: [0],
 * });
 * learned.dparams.a?.(-2, learned.params, learned.f(-2, learned.params)); // −2
 * console.log(learned.source); // the generated myPrelu_f, myPrelu_df and myPrelu_d_a
 */
export function composeActivation<P extends ActivationParams = Record<never, number>>(
  name: string,
  build: (x: Expr, params: ParamExprs<P>) => Expr,
  options: ComposeOptions<P> = {},
): ComposedActivation<P> {
  if (typeof name !== "string" || !identifier.test(name)) {
    throw new TypeError(`composeActivation: the name must be an identifier, got ${describe(name)}`);
  }
  const problem = (message: string): string => `composeActivation("${name}"): ${message}`;
  const params = options.params ?? ({} as P);
  const learnable = options.learnable ?? [];
  const known = Object.keys(params).join(", ") || "none";
  // Phase 1: check names before they are spliced into generated code as `p.alpha`
  for (const [key, value] of Object.entries(params)) {
    if (!identifier.test(key)) throw new TypeError(problem(`parameter name "${key}" is not an identifier`));
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(problem(`parameter ${key} must be a finite number, got ${describe(value)}`));
    }
  }
  for (const key of learnable) {
    if (!Object.hasOwn(params, key)) {
      throw new TypeError(problem(`learnable "${key}" is not a parameter (parameters: ${known})`));
    }
  }

  // Phase 2: build the expression, naming the activation in any error the callback raises
  const handles = paramHandles(params, (key) => problem(`the callback reads parameter "${key}", which is not in params (parameters: ${known})`));
  let expr: unknown;
  try {
    expr = build(new Expr("x"), handles);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const Kind = error instanceof RangeError ? RangeError : error instanceof TypeError ? TypeError : Error;
    throw new Kind(error.message.startsWith("composeActivation") ? error.message : problem(error.message), { cause: error });
  }
  if (!(expr instanceof Expr)) {
    const hint = expr === undefined ? ' (missing "return"?)' : "";
    throw new TypeError(problem(`the callback must return an Expr, got ${describe(expr)}${hint}`));
  }

  // Phase 3: compile once; the Activation carries the expression and the generated code along
  const compiled = compileExpr(expr, { name, learnable });
  const spec: ActivationSpec<P> & Pick<ComposedActivation<P>, "expr" | "source"> = {
    name,
    formula: expr.toString(),
    params,
    learnable,
    f: compiled.f as ActivationSpec<P>["f"],
    df: compiled.df as ActivationSpec<P>["df"],
    dparams: compiled.dparams as ActivationSpec<P>["dparams"],
    kinks: options.kinks ?? [],
    expr,
    source: compiled.source,
  };
  if (options.description !== undefined) spec.description = options.description;
  if (options.check) spec.check = options.check;
  // defineActivation copies the spec's fields, so expr and source survive it (and `with`)
  return defineActivation(spec) as ComposedActivation<P>;
}

/** One `param` node per parameter; reading an unknown name is an error rather than `undefined`. */
function paramHandles<P extends ActivationParams>(params: P, unknown: (key: string) => string): ParamExprs<P> {
  const handles: Record<string, Expr> = Object.create(null);
  for (const key of Object.keys(params)) handles[key] = new Expr("param", [], 0, key);
  return new Proxy(Object.freeze(handles), {
    get(target, key) {
      if (typeof key === "string" && !(key in target)) throw new TypeError(unknown(key));
      return Reflect.get(target, key);
    },
  }) as ParamExprs<P>;
}
