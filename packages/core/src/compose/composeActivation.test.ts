import { describe, expect, it } from "vitest";
import { createRng, mlp } from "@gradscope/core";
import { checkActivation, checkGraph } from "@gradscope/core/testing";
import { erf } from "../math/erf.js";
// the public names of this folder; @gradscope/core re-exports them
import { composeActivation, exprOps, where, type Expr } from "@gradscope/core";

const { add, exp, pow } = exprOps;

/** Seeded points in [lo, hi). */
function points(n: number, lo: number, hi: number, seed = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.uniform(lo, hi));
}

describe("composeActivation: swish", () => {
  const swish = composeActivation("swish", (x) => x.mul(x.sigmoid()));
  const sigma = (x: number) => 1 / (1 + Math.exp(-x));

  it("equals a hand-written x·σ(x) and σ(x)(1 + x(1 − σ(x)))", () => {
    for (const x of points(2000, -40, 40)) {
      const s = sigma(x);
      expect(swish.f(x, swish.params)).toBe(x * s);
      // the two derivative formulas round differently; bound the error by the size of their terms
      const hand = s * (1 + x * (1 - s));
      const scale = Math.abs(s) + Math.abs(s * x * (1 - s));
      expect(Math.abs(swish.df(x, swish.params, x * s) - hand)).toBeLessThanOrEqual(1e-15 * scale);
    }
  });

  it("passes the gradient check and prints its formula", () => {
    expect(checkActivation(swish).ok).toBe(true);
    expect(swish.formula).toBe("x * sigmoid(x)");
    expect(swish.name).toBe("swish");
  });
});

interface Case {
  name: string;
  build: (x: Expr) => Expr;
  range?: [number, number];
  kinks?: number[];
}

// one tiny activation per primitive, on a range where it is differentiable
const primitives: Case[] = [
  { name: "neg", build: (x) => x.neg() },
  { name: "abs", build: (x) => x.abs(), kinks: [0] },
  { name: "exp", build: (x) => x.exp() },
  { name: "log", build: (x) => x.log(), range: [0.05, 6] },
  { name: "logOfSoftplus", build: (x) => x.softplus().log() },
  { name: "log1p", build: (x) => x.log1p(), range: [-0.9, 6] },
  { name: "expm1", build: (x) => x.expm1() },
  { name: "sqrt", build: (x) => x.sqrt(), range: [0.05, 6] },
  { name: "sqrtOfExp", build: (x) => x.exp().sqrt() },
  { name: "tanh", build: (x) => x.tanh() },
  { name: "erf", build: (x) => x.erf() },
  { name: "sigmoid", build: (x) => x.sigmoid() },
  { name: "softplus", build: (x) => x.softplus(), range: [-30, 30] },
  { name: "square", build: (x) => x.square() },
  { name: "add", build: (x) => x.add(x.exp()) },
  { name: "sub", build: (x) => x.tanh().sub(x.square()) },
  { name: "mul", build: (x) => x.tanh().mul(x.exp()) },
  { name: "div", build: (x) => x.exp().div(x.square().add(1)) },
  { name: "powConstantExponent", build: (x) => x.square().add(1).pow(1.5) },
  { name: "powIntegerNegativeBase", build: (x) => x.pow(3) },
  { name: "powVariableExponent", build: (x) => pow(2, x) },
  { name: "powBoth", build: (x) => x.softplus().pow(x.tanh()) },
  { name: "max", build: (x) => x.max(x.square().sub(2)), kinks: [-1, 2] },
  { name: "min", build: (x) => x.min(x.square().sub(2)), kinks: [-1, 2] },
  { name: "where", build: (x) => where(x.gt(1), x.exp(), x.square()), kinks: [1] },
  { name: "whereLe", build: (x) => where(x.le(-1), x.neg(), x.sigmoid()), kinks: [-1] },
  { name: "constants", build: (x) => add(2, x).mul(-3).sub(0.5).div(4) },
];

describe("composeActivation: every primitive's derivative", () => {
  it.each(primitives)("$name passes the gradient check", ({ name, build, range, kinks }) => {
    const act = composeActivation(name, build, kinks ? { kinks } : {});
    const result = checkActivation(act, range ? { range } : {});
    expect(result.checked).toBeGreaterThan(100);
    expect(result.ok, `${name}: ${JSON.stringify(result.worst)}`).toBe(true);
  });
});

describe("composeActivation: parameters", () => {
  const prelu = composeActivation("myPrelu", (x, { a }) => x.max(0).add(x.min(0).mul(a)), {
    params: { a: 0.25 },
    learnable: ["a"],
    kinks: [0],
  });

  it("derives ∂f/∂param for a learnable parameter", () => {
    const dA = prelu.dparams.a!;
    expect(dA(-2, prelu.params, prelu.f(-2, prelu.params))).toBe(-2);
    expect(dA(3, prelu.params, 3)).toBe(0);
    expect(prelu.df(-2, prelu.params, -0.5)).toBe(0.25);
    expect(checkActivation(prelu).ok).toBe(true);
  });

  it("checks learnable exponents and several parameters", () => {
    const act = composeActivation("scaledPow", (x, { k, s }) => x.softplus().pow(k).mul(s).add(s.square()), {
      params: { k: 1.7, s: -0.6 },
      learnable: ["k", "s"],
    });
    const result = checkActivation(act);
    expect(result.ok, JSON.stringify(result.worst)).toBe(true);
  });

  it("reads parameters from p at call time, so `with` and learned values work", () => {
    const leaky = composeActivation("myLeaky", (x, { alpha }) => where(x.gt(0), x, x.mul(alpha)), {
      params: { alpha: 0.01 },
      kinks: [0],
    });
    const steeper = leaky.with({ alpha: 0.2 });
    expect(steeper.f(-1, steeper.params)).toBeCloseTo(-0.2, 15);
    expect(steeper.df(-1, steeper.params, -0.2)).toBe(0.2);
    expect(leaky.f(-1, { alpha: 0.5 })).toBe(-0.5);
    expect(leaky.formula).toBe("x > 0 ? x : x * alpha");
  });
});

describe("composeActivation: closed forms", () => {
  const xs = points(500, -8, 8, 7);
  // relative to the size of the terms of the closed form, which cancel near a zero of f or f′
  const close = (a: number, b: number, scale = Math.abs(b), tolerance = 1e-14) =>
    expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance * scale);

  it("ELU: x > 0 ? x : α(eˣ − 1)", () => {
    const elu = composeActivation("myElu", (x, { alpha }) => where(x.gt(0), x, x.expm1().mul(alpha)), {
      params: { alpha: 1.3 },
      kinks: [0],
    });
    for (const x of xs) {
      close(elu.f(x, elu.params), x > 0 ? x : 1.3 * Math.expm1(x));
      expect(elu.df(x, elu.params, 0)).toBe(x > 0 ? 1 : 1.3 * Math.exp(x));
    }
    expect(elu.df(0, elu.params, 0)).toBe(1.3); // x.gt(0) is false at 0: the left slope
    expect(checkActivation(elu).ok).toBe(true);
  });

  it("GELU: x·½(1 + erf(x/√2)), f′ = Φ(x) + x·φ(x)", () => {
    const gelu = composeActivation("myGelu", (x) => x.mul(0.5).mul(add(1, x.div(Math.SQRT2).erf())));
    for (const x of xs) {
      const Phi = 0.5 * (1 + erf(x / Math.SQRT2));
      const phi = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
      close(gelu.f(x, gelu.params), x * Phi);
      // e^(−u²) with u = x/√2 rounded turns u's rounding error into a relative error of ~x²·ε
      close(gelu.df(x, gelu.params, 0), Phi + x * phi, Phi + Math.abs(x * phi), 1e-15 * (1 + x * x));
    }
    expect(checkActivation(gelu).ok).toBe(true);
  });

  it("mish: x·tanh(softplus(x)), f′ = tanh(sp) + x·sech²(sp)·σ(x)", () => {
    const mish = composeActivation("myMish", (x) => x.mul(x.softplus().tanh()));
    for (const x of xs) {
      const sp = Math.log1p(Math.exp(x));
      const t = Math.tanh(sp);
      close(mish.f(x, mish.params), x * t);
      const slope = (x * (1 - t * t)) / (1 + Math.exp(-x));
      close(mish.df(x, mish.params, 0), t + slope, t + Math.abs(slope));
    }
    expect(checkActivation(mish).ok).toBe(true);
  });

  it("softplus does not overflow", () => {
    const sp = composeActivation("mySoftplus", (x) => x.softplus());
    expect(sp.f(800, sp.params)).toBe(800);
    expect(sp.f(-800, sp.params)).toBe(0);
    expect(sp.df(800, sp.params, 800)).toBe(1);
    expect(sp.df(-800, sp.params, 0)).toBe(0);
  });
});

describe("composeActivation: kinks", () => {
  const at = (act: { df: (x: number, p: never, y: number) => number; params: unknown }, x: number) =>
    act.df(x, act.params as never, 0);

  it("x.max(0) is relu: f′(0) = 0, the tie takes the second operand's derivative", () => {
    const relu = composeActivation("myRelu", (x) => x.max(0), { kinks: [0] });
    expect(at(relu, 0)).toBe(0);
    expect(at(relu, 1e-300)).toBe(1);
    expect(at(relu, -1e-300)).toBe(0);
    expect(at(composeActivation("tieFirst", (x) => exprOps.max(0, x)), 0)).toBe(1);
  });

  it("x.min(0) has f′(0) = 0 and abs has f′(0) = 0", () => {
    expect(at(composeActivation("negPart", (x) => x.min(0)), 0)).toBe(0);
    expect(at(composeActivation("negPart", (x) => x.min(0)), -1)).toBe(1);
    const abs = composeActivation("myAbs", (x) => x.abs());
    expect([at(abs, -2), at(abs, 0), at(abs, 2)]).toEqual([-1, 0, 1]);
  });

  it("where takes the branch its comparison picks: gt gives the left slope at 0, ge the right", () => {
    const gt = composeActivation("gtKink", (x) => where(x.gt(0), x.mul(2), x.mul(3)));
    const ge = composeActivation("geKink", (x) => where(x.ge(0), x.mul(2), x.mul(3)));
    expect(at(gt, 0)).toBe(3);
    expect(at(ge, 0)).toBe(2);
  });

  it("a NaN in the branch not taken leaks into neither f nor f′", () => {
    const act = composeActivation("safeSqrt", (x) => where(x.gt(0), x.sqrt(), 0));
    expect(act.f(-1, act.params)).toBe(0);
    expect(at(act, -1)).toBe(0);
    expect(at(act, 4)).toBe(0.25);
  });
});

describe("composeActivation: an ordinary Activation", () => {
  it("has the Activation fields, keeps expr and source through `with`", () => {
    const act = composeActivation("scaled", (x, { s }) => x.tanh().mul(s), { params: { s: 2 }, description: "2·tanh" });
    expect(act.description).toBe("2·tanh");
    expect(act.kinks).toEqual([]);
    expect(act.maxSlope).toBeCloseTo(2, 12);
    expect(String(act.expr)).toBe("tanh(x) * s");
    const other = act.with({ s: 3 }) as typeof act;
    expect(other.source).toBe(act.source);
    expect(other.f(1, other.params)).toBe(Math.tanh(1) * 3);
  });

  it("free functions and methods build the same activation", () => {
    const a = composeActivation("viaMethods", (x) => x.exp().sub(1).div(x.square().add(1)));
    const b = composeActivation("viaFunctions", (x) => exprOps.div(exprOps.sub(exp(x), 1), add(exprOps.square(x), 1)));
    expect(b.source.replaceAll("viaFunctions", "viaMethods")).toBe(a.source);
  });

  it.each([
    ["shared", false],
    ["per unit", true],
  ])("runs in a Graph as an elementwise node, learnable parameter %s", (_, perUnit) => {
    const act = composeActivation("graphPrelu", (x, { a }) => where(x.gt(0), x, x.mul(a)).add(x.tanh().mul(0.1)), {
      params: { a: 0.25 },
      learnable: ["a"],
      kinks: [0],
    });
    const net = mlp({ inputs: 3, outputs: 2, depth: 2, width: 4, activation: act, dtype: "float64", seed: 2, perUnit }).build(5);
    const rng = createRng(3);
    for (let i = 0; i < net.x.value.length; i++) net.x.value[i] = rng.normal();
    for (let i = 0; i < net.y.value.length; i++) net.y.value[i] = rng.int(2);
    const result = checkGraph(net.graph, { name: act.name });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(net.layers[0]!.learned[0]!.grad.some((g) => g !== 0)).toBe(true);
  });
});

describe("composeActivation: errors name the problem", () => {
  it("a callback that returns no Expr", () => {
    // @ts-expect-error testing a JavaScript caller
    expect(() => composeActivation("bad", () => undefined)).toThrow(
      'composeActivation("bad"): the callback must return an Expr, got undefined (missing "return"?)',
    );
    // @ts-expect-error testing a JavaScript caller
    expect(() => composeActivation("bad", () => 1)).toThrow("must return an Expr, got 1");
    // @ts-expect-error a condition is not a value
    expect(() => composeActivation("bad", (x) => x.gt(0))).toThrow("got the condition x > 0 (use where(cond, a, b)");
  });

  it("bad names and values of parameters", () => {
    expect(() => composeActivation("bad", (x) => x, { params: { "my-alpha": 1 } })).toThrow(
      'composeActivation("bad"): parameter name "my-alpha" is not an identifier',
    );
    expect(() => composeActivation("bad", (x) => x, { params: { alpha: NaN } })).toThrow(
      'composeActivation("bad"): parameter alpha must be a finite number, got NaN',
    );
    expect(() => composeActivation("bad name", (x) => x)).toThrow('the name must be an identifier, got the string "bad name"');
  });

  it("a learnable name that is not a parameter, and reading an unknown parameter", () => {
    // @ts-expect-error "b" is not a parameter
    expect(() => composeActivation("bad", (x, { a }) => x.mul(a), { params: { a: 1 }, learnable: ["b"] })).toThrow(
      'composeActivation("bad"): learnable "b" is not a parameter (parameters: a)',
    );
    expect(() =>
      // @ts-expect-error "beta" is not a parameter
      composeActivation("bad", (x, { beta }) => x.mul(beta), { params: { alpha: 1 } }),
    ).toThrow('composeActivation("bad"): the callback reads parameter "beta", which is not in params (parameters: alpha)');
  });
});
