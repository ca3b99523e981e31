import type { ActivationParams } from "../activation.js";
import { erf } from "../math/erf.js";
import { Cond, Expr, type CompareOp, type ExprOp } from "./expr.js";

/** A generated scalar function: `x` is the input, `p` the parameter object (read as `p.alpha`). */
export type ScalarFn = (x: number, p: ActivationParams) => number;

/** The fused scalar functions generated from one {@link Expr}. */
export interface CompiledExpr {
  /** f(x, p): values only. */
  f: ScalarFn;
  /** ∂f/∂x: values and the tangent in one forward pass. */
  df: ScalarFn;
  /** ∂f/∂param for each learnable parameter, each seeded on that parameter. */
  dparams: Record<string, ScalarFn>;
  /** The generated JavaScript of every function above, for reading and debugging. */
  source: string;
}

/** Options of {@link compileExpr}. */
export interface CompileExprOptions {
  /** Prefix of the generated function names (`swish_f`, `swish_df`). Default `"expr"`. */
  name?: string;
  /** Parameters to generate a ∂f/∂param function for. Default none. */
  learnable?: readonly string[];
}

/**
 * Compiles an expression once into fused scalar JavaScript (via `new Function`) in forward mode.
 * Each node becomes one SSA line (`const v3 = Math.exp(v2);`) and, where its tangent is not an exact
 * zero, one tangent line (`const d3 = v3 * d2;`). Identical sub-expressions share one line (hash-consing
 * on the operation and its operands), tangents of constants and parameters are dropped rather than
 * multiplied by zero, and lines are emitted on demand, so f holds no tangent code and no function holds
 * dead code.
 * @example
 * const { source } = composeActivation("swish", (x) => x.mul(x.sigmoid()));
 * // function swish_df(x, p) {
 * //   const v1 = 1 / (1 + Math.exp(-x));
 * //   const d1 = v1 * (1 - v1);
 * //   return v1 + x * d1;
 * // }
 */
export function compileExpr(expr: Expr, options: CompileExprOptions = {}): CompiledExpr {
  const { name = "expr", learnable = [] } = options;
  const table = new ValueTable();
  const functions: [key: string, source: string][] = [
    ["f", table.function(`${name}_f`, expr, null)],
    ["df", table.function(`${name}_df`, expr, "x")],
    ...learnable.map((k): [string, string] => [k, table.function(`${name}_d_${k}`, expr, k)]),
  ];
  const source = functions.map(([, s]) => s).join("\n");
  const names = functions.map(([key, s]) => `${JSON.stringify(key)}: ${/^function (\w+)/.exec(s)![1]}`);
  const made = new Function("erf", `"use strict";\n${source}\nreturn { ${names.join(", ")} };`)(erf) as Record<
    string,
    ScalarFn
  >;
  const dparams: Record<string, ScalarFn> = {};
  for (const k of learnable) dparams[k] = made[k]!;
  return { f: made.f!, df: made.df!, dparams, source };
}

type Node = Expr | Cond;
/** A tangent: a JavaScript expression, or null for an exact zero (which is then never emitted). */
type Tangent = string | null;

/** What a tangent rule may ask about the node it differentiates. */
interface TangentContext {
  readonly node: Node;
  /** The value of argument i (emitted on first use). */
  v(i: number): string;
  /** The tangent of argument i, an atom or null. */
  d(i: number): Tangent;
  /** The value of this node. */
  readonly self: string;
  /** The value of a derived expression, shared with any identical node (softplus′ = sigmoid). */
  val(e: Expr): string;
}

/** Forward (value from operand atoms) and tangent of one operation, side by side. */
interface Rule {
  value(a: readonly string[]): string;
  /** Only called when some operand has a non-zero tangent. */
  tangent(t: TangentContext): Tangent;
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

const rules: Record<Exclude<ExprOp, "x" | "const" | "param"> | CompareOp, Rule> = {
  neg: { value: ([a]) => `-${a}`, tangent: (t) => negate(t.d(0)) },
  // abs′(0) = 0 (sign(0)): the subgradient in the middle of [−1, 1]
  abs: { value: ([a]) => `Math.abs(${a})`, tangent: (t) => times(t.d(0), () => `Math.sign(${t.v(0)})`) },
  exp: { value: ([a]) => `Math.exp(${a})`, tangent: (t) => times(t.d(0), () => t.self) },
  log: { value: ([a]) => `Math.log(${a})`, tangent: (t) => over(t.d(0), t.v(0)) },
  log1p: { value: ([a]) => `Math.log1p(${a})`, tangent: (t) => over(t.d(0), `(1 + ${t.v(0)})`) },
  // e^a rather than v + 1, which loses the digits of a small e^a (ELU's left tail)
  expm1: { value: ([a]) => `Math.expm1(${a})`, tangent: (t) => times(t.d(0), () => t.val(arg(t.node, 0).exp())) },
  sqrt: { value: ([a]) => `Math.sqrt(${a})`, tangent: (t) => over(t.d(0), `(2 * ${t.self})`) },
  tanh: { value: ([a]) => `Math.tanh(${a})`, tangent: (t) => times(t.d(0), () => `1 - ${t.self} * ${t.self}`) },
  erf: {
    value: ([a]) => `erf(${a})`,
    tangent: (t) => times(t.d(0), () => `${TWO_OVER_SQRT_PI} * Math.exp(-${t.v(0)} * ${t.v(0)})`),
  },
  sigmoid: {
    value: ([a]) => `1 / (1 + Math.exp(-${a}))`,
    tangent: (t) => times(t.d(0), () => `${t.self} * (1 - ${t.self})`),
  },
  // log(1 + e^a) overflows for a > 709; this form never does
  softplus: {
    value: ([a]) => `Math.max(${a}, 0) + Math.log1p(Math.exp(-Math.abs(${a})))`,
    tangent: (t) => times(t.d(0), () => t.val(arg(t.node, 0).sigmoid())),
  },
  square: { value: ([a]) => `${a} * ${a}`, tangent: (t) => times(t.d(0), () => `2 * ${t.v(0)}`) },
  add: { value: ([a, b]) => `${a} + ${b}`, tangent: (t) => plus(t.d(0), t.d(1)) },
  sub: { value: ([a, b]) => `${a} - ${b}`, tangent: (t) => minus(t.d(0), t.d(1)) },
  mul: {
    value: ([a, b]) => `${a} * ${b}`,
    tangent: (t) => plus(times(t.d(0), () => t.v(1)), times(t.d(1), () => t.v(0))),
  },
  // (a/b)′ = (a′ − (a/b)·b′) / b
  div: {
    value: ([a, b]) => `${a} / ${b}`,
    tangent: (t) => over(minus(t.d(0), times(t.d(1), () => t.self)), t.v(1)),
  },
  // (a^b)′ = b·a^(b−1)·a′ + a^b·ln(a)·b′; a constant exponent skips the log, so a < 0 stays finite
  pow: {
    value: ([a, b]) => `${a} ** ${b}`,
    tangent: (t) => plus(times(t.d(0), () => powerRule(t)), times(t.d(1), () => `${t.self} * Math.log(${t.v(0)})`)),
  },
  // at a tie both take b's tangent: x.max(0) and x.min(0) have slope 0 at 0, as relu does
  max: { value: ([a, b]) => `Math.max(${a}, ${b})`, tangent: (t) => select(`${t.v(0)} > ${t.v(1)}`, t.d(0), t.d(1)) },
  min: { value: ([a, b]) => `Math.min(${a}, ${b})`, tangent: (t) => select(`${t.v(0)} < ${t.v(1)}`, t.d(0), t.d(1)) },
  // a select, not cond·a′ + (1 − cond)·b′: a NaN tangent in the branch not taken must not leak
  where: { value: ([c, a, b]) => `${c} ? ${a} : ${b}`, tangent: (t) => select(t.v(0), t.d(1), t.d(2)) },
  gt: { value: ([a, b]) => `${a} > ${b}`, tangent: () => null },
  ge: { value: ([a, b]) => `${a} >= ${b}`, tangent: () => null },
  lt: { value: ([a, b]) => `${a} < ${b}`, tangent: () => null },
  le: { value: ([a, b]) => `${a} <= ${b}`, tangent: () => null },
};

/** b·a^(b−1), with the exponent folded when it is a constant (x^0 has derivative 0 even at x = 0). */
function powerRule(t: TangentContext): string {
  const b = arg(t.node, 1);
  if (b.op !== "const") return `${t.v(1)} * ${t.v(0)} ** (${t.v(1)} - 1)`;
  if (b.value === 0) return "0";
  if (b.value === 2) return `2 * ${t.v(0)}`;
  return `${literal(b.value)} * ${t.v(0)} ** ${literal(b.value - 1)}`;
}

function arg(node: Node, i: number): Expr {
  return node.args[i] as Expr;
}

// Tangent algebra on JavaScript source, folding exact zeros (null) and ones.
function times(d: Tangent, coefficient: () => string): Tangent {
  if (d === null) return null;
  const c = coefficient();
  if (c === "0") return null;
  if (d === "1") return c;
  return c === "1" ? d : `${paren(c)} * ${d}`;
}

function plus(a: Tangent, b: Tangent): Tangent {
  if (a === null) return b;
  return b === null ? a : `${a} + ${b}`;
}

function minus(a: Tangent, b: Tangent): Tangent {
  if (b === null) return a;
  return a === null ? negate(b) : `${a} - ${paren(b)}`;
}

function negate(a: Tangent): Tangent {
  return a === null ? null : `-${paren(a)}`;
}

function over(a: Tangent, denominator: string): Tangent {
  return a === null ? null : `${paren(a)} / ${denominator}`;
}

function select(cond: string, a: Tangent, b: Tangent): Tangent {
  if (a === b) return a;
  return `${cond} ? ${a ?? 0} : ${b ?? 0}`;
}

const atom = /^(?:[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?|\d[\d.]*(?:e[+-]?\d+)?|\(-[\d.]+(?:e[+-]?\d+)?\))$/;

const numeric = /^(?:\d[\d.]*(?:e[+-]?\d+)?|\(-[\d.]+(?:e[+-]?\d+)?\))$/;
/** Source built from numeric literals and + − × ÷ only. */
const arithmetic = /^[-+*/() .\de]+$/;

/** Evaluates generated source that reads no variables. */
function run(code: string): number {
  return new Function("erf", `"use strict"; return ${code};`)(erf) as number;
}

function paren(s: string): string {
  return atom.test(s) ? s : `(${s})`;
}

/** A number as JavaScript source; negative numbers in parentheses so `a - (-2)` and `(-2) ** a` parse. */
function literal(v: number): string {
  if (Object.is(v, -0)) return "(-0)";
  return v < 0 ? `(${v})` : String(v);
}

/** One SSA value line, shared by every generated function. */
interface Entry {
  readonly node: Node;
  readonly code: string;
  /** The value names this line reads. */
  readonly deps: readonly string[];
}

/**
 * Numbers each distinct (operation, operands) pair once, so identical sub-expressions share one
 * value name across f, df and the dparams functions; each function then emits the lines it uses.
 */
class ValueTable {
  private readonly entries = new Map<string, Entry>(); // value name → line
  private readonly byKey = new Map<string, string>(); // "mul(x,v1)" → value name
  private readonly byNode = new Map<Node, string>(); // memo, so a shared subtree is hashed once

  /** The atom naming e's value: `x`, a literal, `p.alpha`, or `v3`. */
  atom(e: Node): string {
    const known = this.byNode.get(e);
    if (known !== undefined) return known;
    let name: string;
    if (e instanceof Expr && e.op === "x") name = "x";
    else if (e instanceof Expr && e.op === "const") name = literal(e.value);
    else if (e instanceof Expr && e.op === "param") name = `p.${e.name}`;
    else {
      const operands = e.args.map((a) => this.atom(a));
      const rule = rules[e.op as keyof typeof rules];
      // an operation on constants only is a constant: evaluated here, bit for bit as it would be at run time
      if (e instanceof Expr && operands.every((o) => numeric.test(o))) {
        name = literal(run(rule.value(operands)));
        this.byNode.set(e, name);
        return name;
      }
      // a + b and a * b are exactly commutative in floating point, so both orders share a line
      const key = `${e.op}(${(e.op === "add" || e.op === "mul" ? [...operands].sort() : operands).join(",")})`;
      name = this.byKey.get(key) ?? `v${this.entries.size + 1}`;
      if (!this.byKey.has(key)) {
        this.entries.set(name, { node: e, code: rule.value(operands), deps: operands.filter((o) => this.entries.has(o)) });
        this.byKey.set(key, name);
      }
    }
    this.byNode.set(e, name);
    return name;
  }

  /**
   * The source of one function returning the value of `root` (`wrt` null) or its tangent with respect
   * to `x` or a parameter name.
   */
  function(fnName: string, root: Expr, wrt: string | null): string {
    const lines: string[] = [];
    const emitted = new Set<string>();
    const tangents = new Map<string, Tangent>();

    const value = (e: Node): string => {
      const name = this.atom(e);
      emit(name);
      return name;
    };
    const emit = (name: string): void => {
      const entry = this.entries.get(name);
      if (!entry || emitted.has(name)) return;
      entry.deps.forEach(emit);
      emitted.add(name);
      lines.push(`const ${name} = ${entry.code};`);
    };
    const tangent = (e: Node): Tangent => {
      const name = this.atom(e);
      if (tangents.has(name)) return tangents.get(name)!;
      let d: Tangent;
      if (e instanceof Cond) d = null;
      else if (e.op === "x") d = wrt === "x" ? "1" : null;
      else if (e.op === "param") d = wrt === e.name ? "1" : null;
      else if (e.op === "const") d = null;
      else d = differentiate(e, name);
      tangents.set(name, d);
      return d;
    };
    const differentiate = (e: Expr, name: string): Tangent => {
      const ds = e.args.map(tangent);
      if (ds.every((d) => d === null)) return null;
      const d = rules[e.op as keyof typeof rules].tangent({
        node: e,
        v: (i) => value(e.args[i]!),
        d: (i) => ds[i] ?? null,
        get self() {
          return value(e);
        },
        val: value,
      });
      if (d === null || atom.test(d)) return d;
      if (arithmetic.test(d)) return literal(run(d)); // a constant tangent, as in (x / c)′ = 1 / c
      const dName = `d${name.slice(1)}`;
      lines.push(`const ${dName} = ${d};`);
      return dName;
    };

    const result = wrt === null ? value(root) : (tangent(root) ?? "0");
    // the last line's expression is returned directly rather than through a name
    const last = lines[lines.length - 1];
    const tail = `const ${result} = `;
    const body = last?.startsWith(tail) ? [...lines.slice(0, -1), `return ${last.slice(tail.length)}`] : [...lines, `return ${result};`];
    return `function ${fnName}(x, p) {\n${body.map((l) => `  ${l}`).join("\n")}\n}`;
  }
}
