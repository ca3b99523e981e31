import { describe, expect, it } from "vitest";
import { createRng, jsBackend } from "@gradscope/core";

function naive(a: Float64Array, b: Float64Array, m: number, k: number, n: number, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  return c;
}

const rng = createRng(7);
const random = (len: number) => Float64Array.from({ length: len }, () => rng.uniform(-1, 1));
// sizes that are not multiples of the tiles (4×, 2×2), and 1×1
const shapes: [number, number, number][] = [[1, 1, 1], [1, 5, 3], [3, 1, 2], [4, 4, 4], [5, 7, 9], [17, 13, 6], [64, 33, 65]];

describe.each(shapes)("matmul kernels at m=%i k=%i n=%i", (m, k, n) => {
  it("matmul, matmulBT and matmulAT equal the naive triple loop, overwriting and accumulating", () => {
    const cases = [
      { kernel: jsBackend.matmul, ta: false, tb: false },
      { kernel: jsBackend.matmulBT, ta: false, tb: true },
      { kernel: jsBackend.matmulAT, ta: true, tb: false },
    ];
    for (const { kernel, ta, tb } of cases) {
      const a = random(m * k), b = random(k * n);
      const expected = naive(a, b, m, k, n, ta, tb);
      const c = random(m * n); // garbage: overwrite mode must ignore it
      kernel(a, b, c, m, k, n, false);
      for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(expected[i]!, 12);
      kernel(a, b, c, m, k, n, true);
      for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(2 * expected[i]!, 12);
    }
  });
});

describe("softmaxCrossEntropy", () => {
  it("matches −log softmax and stays finite for huge logits", () => {
    const logits = new Float64Array([1, 2, 3, 1000, 0, -1000]);
    const probs = new Float64Array(6), d = new Float64Array(6);
    const loss = jsBackend.softmaxCrossEntropy(logits, new Int32Array([2, 1]), probs, d, 2, 3);
    const row0 = 3 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)); // log p(label 2)
    expect(loss).toBeCloseTo((-row0 + 1000) / 2, 10);
    expect(d[2]).toBeCloseTo((probs[2]! - 1) / 2, 15);
    expect(() => jsBackend.softmaxCrossEntropy(logits, new Int32Array([3, 0]), probs, d, 2, 3)).toThrow(/label 3 at row 0/);
  });
});
