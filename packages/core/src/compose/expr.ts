/** Unary operations of an {@link Expr}. */
export type UnaryOp =
  | "neg" | "abs" | "exp" | "log" | "log1p" | "expm1" | "sqrt" | "tanh" | "erf" | "sigmoid" | "softplus" | "square";
/** Binary operations of an {@link Expr}. */
export type BinaryOp = "add" | "sub" | "mul" | "div" | "pow" | "max" | "min";
/** Comparisons, which make a {@link Cond}. */
export type CompareOp = "gt" | "ge" | "lt" | "le";
/** Every node kind of an {@link Expr}: the input, a constant, a parameter, an operation, or a `where`. */
export type ExprOp = "x" | "const" | "param" | UnaryOp | BinaryOp | "where";

/** An {@link Expr} or a plain number, which is lifted to a constant. */
export type ExprLike = Expr | number;

/**
 * A differentiable scalar expression in the input `x` and the activation's parameters. Build it with
 * methods (`x.mul(x.sigmoid())`) or with the free functions of {@link exprOps}; numbers are accepted
 * wherever an Expr is. An Expr is an immutable tree: `composeActivation` compiles it once.
 * @example
 * composeActivation("swish", (x) => x.mul(x.sigmoid()));
 */
export class Expr {
  /** @internal use the callback's `x`, its parameter handles, or numbers */
  constructor(
    readonly op: ExprOp,
    readonly args: readonly (Expr | Cond)[] = [],
    /** The value of a `const` node. */
    readonly value = 0,
    /** The name of a `param` node. */
    readonly name = "",
  ) {}

  neg(): Expr { return unary("neg", this); }
  /** |a|; derivative sign(a), 0 at a = 0. */
  abs(): Expr { return unary("abs", this); }
  exp(): Expr { return unary("exp", this); }
  log(): Expr { return unary("log", this); }
  /** log(1 + a), accurate for small a. */
  log1p(): Expr { return unary("log1p", this); }
  /** e^a − 1, accurate for small a. */
  expm1(): Expr { return unary("expm1", this); }
  sqrt(): Expr { return unary("sqrt", this); }
  tanh(): Expr { return unary("tanh", this); }
  /** The error function; derivative 2/√π·e^(−a²). */
  erf(): Expr { return unary("erf", this); }
  /** 1 / (1 + e^−a). */
  sigmoid(): Expr { return unary("sigmoid", this); }
  /** log(1 + e^a), computed without overflow as max(a, 0) + log1p(e^−|a|). */
  softplus(): Expr { return unary("softplus", this); }
  /** a·a. */
  square(): Expr { return unary("square", this); }

  add(b: ExprLike): Expr { return binary("add", this, b); }
  sub(b: ExprLike): Expr { return binary("sub", this, b); }
  mul(b: ExprLike): Expr { return binary("mul", this, b); }
  div(b: ExprLike): Expr { return binary("div", this, b); }
  /** a^b; differentiable in both the base and the exponent (the latter needs a > 0). */
  pow(b: ExprLike): Expr { return binary("pow", this, b); }
  /** The larger of a and b. At a tie the derivative is b's, so `x.max(0)` has relu's f′(0) = 0. */
  max(b: ExprLike): Expr { return binary("max", this, b); }
  /** The smaller of a and b. At a tie the derivative is b's, so `x.min(0)` has f′(0) = 0. */
  min(b: ExprLike): Expr { return binary("min", this, b); }

  /** a > b, for {@link where}. */
  gt(b: ExprLike): Cond { return compare("gt", this, b); }
  /** a ≥ b, for {@link where}. */
  ge(b: ExprLike): Cond { return compare("ge", this, b); }
  /** a < b, for {@link where}. */
  lt(b: ExprLike): Cond { return compare("lt", this, b); }
  /** a ≤ b, for {@link where}. */
  le(b: ExprLike): Cond { return compare("le", this, b); }

  /** A readable formula: `x * sigmoid(x)`, `x > 0 ? x : alpha * x`. */
  toString(): string {
    return print(this);
  }
}

/** A comparison of two expressions; it has no derivative and is only used by {@link where}. */
export class Cond {
  /** @internal use `a.gt(b)` and friends */
  constructor(
    readonly op: CompareOp,
    readonly args: readonly [Expr, Expr],
  ) {}

  toString(): string {
    return print(this);
  }
}

/**
 * `cond ? a : b`, elementwise. Its derivative is the chosen branch's, so at a tie the comparison
 * decides: `where(x.gt(0), x, x.mul(alpha))` takes the left slope α at 0, `where(x.ge(0), …)` the right.
 * Both branches are evaluated; a NaN in the branch not taken does not leak into f or f′.
 * @example
 * composeActivation("elu", (x, { alpha }) => where(x.gt(0), x, x.expm1().mul(alpha)), { params: { alpha: 1 }, kinks: [0] });
 */
export function where(cond: Cond, a: ExprLike, b: ExprLike): Expr {
  if (!(cond instanceof Cond)) {
    throw new TypeError(`where: the condition must be a comparison such as x.gt(0), got ${describe(cond)}`);
  }
  return new Expr("where", [cond, lift(a, "where"), lift(b, "where")]);
}

/**
 * Turns a number into a constant node and passes an Expr through; anything else, or a non-finite
 * number, is an error that names `context` (the operation being built).
 */
export function lift(v: unknown, context: string): Expr {
  if (v instanceof Expr) return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new RangeError(`${context}: constants must be finite numbers, got ${v}`);
    return new Expr("const", [], v);
  }
  throw new TypeError(`${context}: expected an Expr or a number, got ${describe(v)}`);
}

/** Names a wrong value in an error message. */
export function describe(v: unknown): string {
  if (v instanceof Expr) return `the expression ${print(v)}`;
  if (v instanceof Cond) return `the condition ${print(v)} (use where(cond, a, b) to turn it into a value)`;
  if (typeof v === "string") return `the string "${v}"`;
  if (v === null || v === undefined || typeof v === "number" || typeof v === "boolean") return String(v);
  return typeof v;
}

function unary(op: UnaryOp, a: Expr): Expr {
  return new Expr(op, [a]);
}

function binary(op: BinaryOp, a: ExprLike, b: ExprLike): Expr {
  const base = lift(a, op);
  if (op === "pow" && typeof b === "number" && !Number.isFinite(b)) {
    throw new RangeError(`pow: the exponent must be a finite number, got ${b}`);
  }
  return new Expr(op, [base, lift(b, op)]);
}

function compare(op: CompareOp, a: ExprLike, b: ExprLike): Cond {
  return new Cond(op, [lift(a, op), lift(b, op)]);
}

// Printing: each node has a precedence; an operand is parenthesised when it binds more loosely.
const infix: Partial<Record<BinaryOp | CompareOp, [symbol: string, precedence: number]>> = {
  add: ["+", 3], sub: ["-", 3], mul: ["*", 4], div: ["/", 4], pow: ["^", 6],
  gt: [">", 2], ge: [">=", 2], lt: ["<", 2], le: ["<=", 2],
};

function precedence(e: Expr | Cond): number {
  if (e.op === "where") return 1;
  if (e.op === "neg" || (e instanceof Expr && e.op === "const" && e.value < 0)) return 5;
  return infix[e.op as BinaryOp]?.[1] ?? 7;
}

function print(e: Expr | Cond): string {
  if (e instanceof Expr) {
    if (e.op === "x") return "x";
    if (e.op === "param") return e.name;
    if (e.op === "const") return Object.is(e.value, -0) ? "-0" : String(e.value);
  }
  const [a, b, c] = e.args as (Expr | Cond)[];
  if (e.op === "where") return `${wrap(a!, 2)} ? ${wrap(b!, 1)} : ${wrap(c!, 1)}`;
  if (e.op === "neg") return `-${wrap(a!, 6)}`;
  const op = infix[e.op as BinaryOp];
  if (op) {
    const [symbol, p] = op;
    // left-associative operators: the right operand needs parentheses at equal precedence (a - (b - c))
    return p === 6 ? `${wrap(a!, 7)} ^ ${wrap(b!, 6)}` : `${wrap(a!, p)} ${symbol} ${wrap(b!, p + 1)}`;
  }
  return `${e.op}(${e.args.map(print).join(", ")})`;
}

function wrap(e: Expr | Cond, min: number): string {
  return precedence(e) < min ? `(${print(e)})` : print(e);
}
