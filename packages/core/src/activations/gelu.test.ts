import { describe, expect, it } from "vitest";
import { gelu, geluTanh } from "@gradscope/core";

describe("gelu", () => {
  const p = gelu.params;
  it("is the exact x·Φ(x) by default", () => {
    expect(p.approximate).toBe(0);
    expect(gelu.f(1, p)).toBeCloseTo(0.8413447460685429, 15);
    expect(gelu.f(-1, p)).toBeCloseTo(-0.15865525393145707, 15);
    expect(gelu.f(2, p)).toBeCloseTo(1.9544997361036416, 15);
    expect(gelu.f(0, p)).toBe(0);
  });
  it("stays accurate in the left tail (erfc, not 1 + erf)", () => {
    expect(gelu.f(-6, p) / -5.9195258702261885e-9).toBeCloseTo(1, 14);
    expect(gelu.f(-1e4, p)).toBe(-0);
    expect(gelu.df(-1e4, p, 0)).toBe(0);
    expect(gelu.df(1e4, p, 1e4)).toBe(1);
  });
  it("has f′(0) = 1/2 and a negative slope left of its minimum", () => {
    expect(gelu.df(0, p, 0)).toBe(0.5);
    expect(gelu.df(-1, p, gelu.f(-1, p))).toBeLessThan(0);
  });
  it("offers the tanh approximation, within 1e-3 of the exact form", () => {
    expect(geluTanh.params.approximate).toBe(1);
    expect(geluTanh.name).toBe("gelu");
    let worst = 0;
    for (let x = -8; x <= 8; x += 0.001) worst = Math.max(worst, Math.abs(geluTanh.f(x, geluTanh.params) - gelu.f(x, p)));
    expect(worst).toBeLessThan(1e-3);
    expect(worst).toBeGreaterThan(0);
    // the textbook formula, where it does not cancel
    const textbook = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    for (const x of [-2, -0.5, 0.5, 1, 3]) expect(geluTanh.f(x, geluTanh.params)).toBeCloseTo(textbook(x), 15);
    expect(Number.isFinite(geluTanh.df(-1e4, geluTanh.params, 0))).toBe(true);
  });
  it("rejects approximate outside {0, 1}", () => {
    expect(() => gelu.with({ approximate: 0.5 })).toThrow(/approximate must be 0/);
  });
});
