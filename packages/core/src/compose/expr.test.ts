import { describe, expect, it } from "vitest";
import { composeActivation, exprOps, where, type Expr } from "@gradscope/core";

const { exp, pow, max, neg } = exprOps;

/** The formula of an expression in x and a parameter a. */
const formula = (build: (x: Expr, a: Expr) => Expr) =>
  composeActivation("f", (x, { a }) => build(x, a), { params: { a: 1 } }).formula;

describe("Expr.toString", () => {
  it("prints a readable formula with only the parentheses it needs", () => {
    expect(formula((x) => x.mul(x.sigmoid()))).toBe("x * sigmoid(x)");
    expect(formula((x, a) => x.max(0).add(x.min(0).mul(a)))).toBe("max(x, 0) + min(x, 0) * a");
    expect(formula((x) => x.sub(x.sub(1)).sub(2))).toBe("x - (x - 1) - 2");
    expect(formula((x) => x.add(1).mul(x.sub(1)).div(x.mul(2)))).toBe("(x + 1) * (x - 1) / (x * 2)");
    expect(formula((x) => pow(x.add(1), 2).neg())).toBe("-(x + 1) ^ 2");
    expect(formula((x) => pow(-2, x).mul(-1))).toBe("(-2) ^ x * -1");
    expect(formula((x, a) => where(x.ge(a), x, exp(x).sub(1)))).toBe("x >= a ? x : exp(x) - 1");
    expect(formula((x) => where(x.gt(0), x, where(x.lt(-1), -1, x)).mul(2))).toBe("(x > 0 ? x : x < -1 ? -1 : x) * 2");
  });
});

describe("Expr: errors name the problem", () => {
  it("non-finite constants, pow exponents and wrong operands", () => {
    expect(() => composeActivation("bad", (x) => x.pow(Infinity))).toThrow(
      'composeActivation("bad"): pow: the exponent must be a finite number, got Infinity',
    );
    expect(() => composeActivation("bad", (x) => x.pow(NaN))).toThrow(RangeError);
    expect(() => composeActivation("bad", (x) => max(x, -Infinity))).toThrow("max: constants must be finite numbers, got -Infinity");
    // @ts-expect-error testing a JavaScript caller
    expect(() => composeActivation("bad", (x) => x.add("1"))).toThrow('add: expected an Expr or a number, got the string "1"');
    // @ts-expect-error a condition is not a value
    expect(() => composeActivation("bad", (x) => neg(x.gt(0)))).toThrow("neg: expected an Expr or a number, got the condition x > 0");
    // @ts-expect-error where needs a condition
    expect(() => composeActivation("bad", (x) => where(x, x, 0))).toThrow(
      "where: the condition must be a comparison such as x.gt(0), got the expression x",
    );
  });
});
