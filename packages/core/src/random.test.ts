import { describe, expect, it } from "vitest";
import { createRng, streamSeed } from "./random.js";

/** Pearson correlation of the first `n` uniforms of two generators. */
function correlation(a: () => number, b: () => number, n: number): number {
  const u = Array.from({ length: n }, a), v = Array.from({ length: n }, b);
  const mu = u.reduce((s, x) => s + x, 0) / n, mv = v.reduce((s, x) => s + x, 0) / n;
  let suv = 0, suu = 0, svv = 0;
  for (let i = 0; i < n; i++) {
    suv += (u[i]! - mu) * (v[i]! - mv);
    suu += (u[i]! - mu) ** 2;
    svv += (v[i]! - mv) ** 2;
  }
  return suv / Math.sqrt(suu * svv);
}

describe("streamSeed", () => {
  it("is a deterministic uint32 per (seed, stream)", () => {
    expect(streamSeed(1, "batcher")).toBe(streamSeed(1, "batcher"));
    for (const seed of [0, 1, 2, -1, 2 ** 40 + 3, 1.5]) {
      const s = streamSeed(seed, "init");
      expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    }
    expect(streamSeed(1.5, "init")).toBe(streamSeed(1, "init")); // seeds are floored, as in createRng
    expect(() => streamSeed(NaN, "init")).toThrow("seed must be a finite number, got NaN");
  });

  it("gives distinct seeds to distinct streams and seeds", () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      for (const tag of ["batcher", "init", "graph", "trainTestSplit"]) seen.add(streamSeed(seed, tag));
    }
    expect(seen.size).toBe(800);
    expect(streamSeed(2 ** 32 + 1, "init")).not.toBe(streamSeed(1, "init")); // the high bits count
  });

  it("makes streams whose draws are uncorrelated with the seed's own stream", () => {
    // 4,000 pairs of independent uniforms: the correlation's standard error is 1/√4000 ≈ 0.016
    for (let seed = 1; seed <= 5; seed++) {
      const data = createRng(seed);
      for (const tag of ["batcher", "init", "graph", "trainTestSplit"]) {
        const other = createRng(streamSeed(seed, tag));
        expect(Math.abs(correlation(data.next, other.next, 4000)), `seed ${seed}, ${tag}`).toBeLessThan(0.07);
      }
    }
  });

  it("keeps a seeded shuffle of the same length from repeating the data stream's permutation", () => {
    const n = 300, id = () => Int32Array.from({ length: n }, (_, i) => i);
    for (let seed = 1; seed <= 10; seed++) {
      const a = createRng(seed).shuffle(id()), b = createRng(streamSeed(seed, "batcher")).shuffle(id());
      let same = 0;
      for (let i = 0; i < n; i++) same += a[i] === b[i] ? 1 : 0;
      expect(same, `seed ${seed}`).toBeLessThan(6); // two independent permutations agree in ~1 place (Poisson(1))
    }
  });
});
