/** Composed activations: write f as an expression, get f′ generated. */
export { composeActivation } from "./composeActivation.js";
export type { ComposeOptions, ComposedActivation, ParamExprs } from "./composeActivation.js";
export { Expr, Cond, where } from "./expr.js";
export type { ExprLike, ExprOp, UnaryOp, BinaryOp, CompareOp } from "./expr.js";
export { exprOps } from "./exprOps.js";
