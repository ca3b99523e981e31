import { describe, expect, it } from "vitest";
import { composeActivation, exprOps } from "@gradscope/core";

/** The text of one generated function, by its name. */
function fn(source: string, name: string): string {
  const start = source.indexOf(`function ${name}(`);
  expect(start).toBeGreaterThanOrEqual(0);
  return source.slice(start, source.indexOf("\n}", start) + 2);
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe("compileExpr: generated source", () => {
  it("computes a repeated sub-expression once (CSE)", () => {
    // two separately built sigmoid(x) nodes
    const act = composeActivation("cse", (x) => x.mul(x.sigmoid()).add(x.sigmoid()));
    expect(count(fn(act.source, "cse_f"), "Math.exp(")).toBe(1);
    expect(count(fn(act.source, "cse_df"), "Math.exp(")).toBe(1);
    expect(fn(act.source, "cse_df")).toMatchInlineSnapshot(`
      "function cse_df(x, p) {
        const v1 = 1 / (1 + Math.exp(-x));
        const d1 = v1 * (1 - v1);
        const d2 = v1 + x * d1;
        return d2 + d1;
      }"
    `);
  });

  it("shares a + b with b + a, and a derivative's sub-expression with the formula's", () => {
    const act = composeActivation("shared", (x) => x.exp().add(x).mul(x.add(x.exp())));
    expect(count(fn(act.source, "shared_f"), " + ")).toBe(1);
    // softplus′ = sigmoid: the sigmoid the formula already computes
    const sp = composeActivation("spPlusSigmoid", (x) => x.softplus().add(x.sigmoid()));
    expect(count(fn(sp.source, "spPlusSigmoid_df"), "1 / (1 + Math.exp(")).toBe(1);
  });

  it("f holds no tangent code; constant and parameter tangents are dropped, not multiplied by 0", () => {
    const act = composeActivation("leak", (x, { alpha }) => exprOps.where(x.gt(0), x, x.mul(alpha)).add(alpha), {
      params: { alpha: 0.01 },
    });
    expect(fn(act.source, "leak_f")).not.toMatch(/\bd\d/);
    expect(fn(act.source, "leak_df")).toMatchInlineSnapshot(`
      "function leak_df(x, p) {
        const v1 = x > 0;
        return v1 ? 1 : p.alpha;
      }"
    `);
  });

  it("folds operations on constants, and constant tangents", () => {
    const act = composeActivation("folded", (x) => x.mul(exprOps.exp(2)).div(Math.SQRT2).add(exprOps.sqrt(4)));
    expect(act.source).not.toMatch(/Math\.(exp|sqrt)\(/);
    expect(fn(act.source, "folded_df")).toBe(`function folded_df(x, p) {\n  return ${Math.exp(2) / Math.SQRT2};\n}`);
  });

  it("generates one ∂f/∂param function per learnable parameter, seeded on it", () => {
    const act = composeActivation("two", (x, { a, b }) => x.mul(a).add(x.square().mul(b)), {
      params: { a: 1, b: 2 },
      learnable: ["a", "b"],
    });
    expect(fn(act.source, "two_d_a")).toBe("function two_d_a(x, p) {\n  return x;\n}");
    expect(fn(act.source, "two_d_b")).toBe("function two_d_b(x, p) {\n  return x * x;\n}");
  });

  it("passes erf in through the closure", () => {
    const act = composeActivation("myErf", (x) => x.erf());
    expect(fn(act.source, "myErf_f")).toContain("erf(x)");
    expect(act.f(0.5, act.params)).toBe(0.5204998778130465);
  });
});
