import { lift, where, type Cond, type Expr, type ExprLike } from "./expr.js";

// Free-function spellings of the Expr methods, for formulas that read better inside-out: exp(x) rather
// than x.exp(). Each accepts numbers wherever an Expr goes.
const neg = (a: ExprLike): Expr => lift(a, "neg").neg();
const abs = (a: ExprLike): Expr => lift(a, "abs").abs();
const exp = (a: ExprLike): Expr => lift(a, "exp").exp();
const log = (a: ExprLike): Expr => lift(a, "log").log();
const log1p = (a: ExprLike): Expr => lift(a, "log1p").log1p();
const expm1 = (a: ExprLike): Expr => lift(a, "expm1").expm1();
const sqrt = (a: ExprLike): Expr => lift(a, "sqrt").sqrt();
const tanh = (a: ExprLike): Expr => lift(a, "tanh").tanh();
const erf = (a: ExprLike): Expr => lift(a, "erf").erf();
const sigmoid = (a: ExprLike): Expr => lift(a, "sigmoid").sigmoid();
const softplus = (a: ExprLike): Expr => lift(a, "softplus").softplus();
const square = (a: ExprLike): Expr => lift(a, "square").square();
const add = (a: ExprLike, b: ExprLike): Expr => lift(a, "add").add(b);
const sub = (a: ExprLike, b: ExprLike): Expr => lift(a, "sub").sub(b);
const mul = (a: ExprLike, b: ExprLike): Expr => lift(a, "mul").mul(b);
const div = (a: ExprLike, b: ExprLike): Expr => lift(a, "div").div(b);
const pow = (a: ExprLike, b: ExprLike): Expr => lift(a, "pow").pow(b);
const max = (a: ExprLike, b: ExprLike): Expr => lift(a, "max").max(b);
const min = (a: ExprLike, b: ExprLike): Expr => lift(a, "min").min(b);
const gt = (a: ExprLike, b: ExprLike): Cond => lift(a, "gt").gt(b);
const ge = (a: ExprLike, b: ExprLike): Cond => lift(a, "ge").ge(b);
const lt = (a: ExprLike, b: ExprLike): Cond => lift(a, "lt").lt(b);
const le = (a: ExprLike, b: ExprLike): Cond => lift(a, "le").le(b);

/**
 * The Expr operations as free functions, in one object so that names such as `sigmoid`, `tanh` or
 * `erf` do not collide with the built-in activations and math functions of the package. Destructure
 * what a formula needs.
 * @example
 * const { exp, where } = exprOps;
 * const elu = composeActivation("myElu", (x, { alpha }) => where(x.gt(0), x, exp(x).sub(1).mul(alpha)), {
 *   params: { alpha: 1 },
 *   kinks: [0],
 * });
 */
export const exprOps = Object.freeze({
  neg, abs, exp, log, log1p, expm1, sqrt, tanh, erf, sigmoid, softplus, square,
  add, sub, mul, div, pow, max, min,
  gt, ge, lt, le,
  where,
});
