import { describe, expect, it } from "vitest";
import { pairedComparison } from "@gradscope/stream";

describe("pairedComparison", () => {
  it("calls a difference whose interval contains 0 a tie (hand-computed)", () => {
    // differences [0.01, −0.01, 0.01]: mean 0.003333, sd 0.011547, half-width 4.302653·0.011547/√3 = 0.028685
    const c = pairedComparison("relu", [0.3, 0.32, 0.31], "elu", [0.29, 0.33, 0.3]);
    expect(c.verdict).toBe("tie");
    expect(c.n).toBe(3);
    expect(c.difference!.mean).toBeCloseTo(0.0033333, 6);
    expect(c.difference!.lo).toBeCloseTo(0.0033333 - 0.028685, 5);
    expect(c.difference!.hi).toBeCloseTo(0.0033333 + 0.028685, 5);
    expect(c.because).toMatch(/contains 0/);
  });

  it("separates contenders when every seed agrees beyond the interval (hand-computed)", () => {
    // differences [−0.1, −0.11, −0.09]: mean −0.1, sd 0.01, half-width 0.024841: [−0.1248, −0.0752]
    const c = pairedComparison("elu", [0.2, 0.22, 0.21], "sigmoid", [0.3, 0.33, 0.3]);
    expect(c.verdict).toBe("a");
    expect(c.difference!.hi).toBeCloseTo(-0.075159, 5);
    expect(pairedComparison("sigmoid", [0.3, 0.33, 0.3], "elu", [0.2, 0.22, 0.21]).verdict).toBe("b");
  });

  it("a consistent difference smaller than the margin is still a tie", () => {
    // differences [−0.001, −0.0012, −0.0011]: separated from 0, but under a margin of 0.005
    const a = [0.1, 0.2, 0.3], b = [0.101, 0.2012, 0.3011];
    expect(pairedComparison("a", a, "b", b).verdict).toBe("a");
    const c = pairedComparison("a", a, "b", b, { margin: 0.005 });
    expect(c.verdict).toBe("tie");
    expect(c.because).toMatch(/smaller than the margin/);
  });

  it("reads accuracies as higher-is-better, pairs by seed, and needs two common seeds", () => {
    expect(pairedComparison("a", [0.9, 0.92, 0.91], "b", [0.8, 0.83, 0.8], { lowerIsBetter: false }).verdict).toBe("a");
    const a = new Map([[1, 0.2], [2, 0.22], [3, 0.21]]), b = new Map([[3, 0.3], [2, 0.33], [1, 0.3]]);
    expect(pairedComparison("a", a, "b", b).difference!.mean).toBeCloseTo(-0.1, 12);
    const one = pairedComparison("a", [0.1, null], "b", [0.9, 0.2]);
    expect(one).toMatchObject({ verdict: "tie", n: 1 });
    expect(one.because).toMatch(/1 common seed/);
  });
});
