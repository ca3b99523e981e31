import { describe, expect, it } from "vitest";
import { adam, optimizer, parameter, sgd } from "@gradscope/core";

/** Runs an optimiser on f(w) = ½·Σ c_i w_i² (gradient c ⊙ w) and returns the trajectory of w₀. */
function trajectory(opt: ReturnType<typeof sgd>, steps: number, w0 = [1, -2], c = [1, 4]): number[][] {
  const p = parameter("w", [w0.length], "float64");
  p.value.set(w0);
  opt.attach([p]);
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < w0.length; i++) p.grad[i] = c[i]! * p.value[i]!;
    opt.step();
    out.push([...p.value]);
  }
  return out;
}

describe("optimisers", () => {
  it("sgd: w ← w − lr·g", () => {
    expect(trajectory(sgd({ lr: 0.1 }), 2)).toEqual([[0.9, -1.2], [0.81, -0.72]]);
  });
  it("momentum (PyTorch form): v ← μv + g, w ← w − lr·v", () => {
    const [s1, s2] = trajectory(sgd({ lr: 0.1, momentum: 0.9 }), 2, [1], [1]);
    // v1 = 1, w1 = 0.9; v2 = 0.9·1 + 0.9 = 1.8, w2 = 0.9 − 0.18 = 0.72
    expect(s1![0]).toBeCloseTo(0.9, 15);
    expect(s2![0]).toBeCloseTo(0.72, 15);
  });
  it("nesterov: w ← w − lr·(g + μv)", () => {
    const [s1, s2] = trajectory(sgd({ lr: 0.1, momentum: 0.9, nesterov: true }), 2, [1], [1]);
    // v1 = 1, w1 = 1 − 0.1·(1 + 0.9) = 0.81; g2 = 0.81, v2 = 0.9 + 0.81 = 1.71, w2 = 0.81 − 0.1·(0.81 + 1.539) = 0.5751
    expect(s1![0]).toBeCloseTo(0.81, 15);
    expect(s2![0]).toBeCloseTo(0.5751, 14);
  });
  it("adam: the first step moves every weight by lr·sign(g) (bias correction), then converges", () => {
    const [first] = trajectory(adam({ lr: 0.01 }), 1);
    expect(first![0]).toBeCloseTo(1 - 0.01, 6);
    expect(first![1]).toBeCloseTo(-2 + 0.01, 6);
    const last = trajectory(adam({ lr: 0.05 }), 2000).at(-1)!;
    expect(Math.abs(last[0]!)).toBeLessThan(1e-3);
    expect(Math.abs(last[1]!)).toBeLessThan(1e-3);
  });
  it("weight decay adds λw to the gradient", () => {
    const [s1] = trajectory(sgd({ lr: 0.1, weightDecay: 0.5 }), 1, [1], [0]);
    expect(s1![0]).toBeCloseTo(0.95, 15);
  });
  it("takes a new learning rate between steps", () => {
    const opt = sgd({ lr: 0.1 });
    const p = parameter("w", [1], "float64");
    p.value[0] = 1;
    p.grad[0] = 1;
    opt.attach([p]);
    opt.step();
    opt.lr = 0.5;
    opt.step();
    expect(p.value[0]).toBeCloseTo(0.4, 15);
  });
  it("names bad options", () => {
    expect(() => sgd({ momentum: 1 })).toThrow("sgd: momentum must be in [0, 1), got 1");
    expect(() => sgd({ nesterov: true })).toThrow("nesterov needs momentum > 0");
    expect(() => adam({ beta2: 1.5 })).toThrow("adam: beta2 must be in [0, 1), got 1.5");
    expect(() => optimizer("rmsprop")).toThrow('unknown optimizer "rmsprop" (known: sgd, momentum, nesterov, adam)');
  });
});
