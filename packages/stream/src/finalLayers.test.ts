import { lastValueFrom, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { finalHiddenLayers, gradientRatio, train } from "@gradscope/stream";

describe("finalHiddenLayers and gradientRatio", () => {
  it("take the last probed step's hidden layers and divide first by last ∂L/∂z norm", async () => {
    const rows = await lastValueFrom(train({ steps: 7, depth: 3, width: 8, probes: { every: 3 } }).pipe(toArray()));
    const hidden = finalHiddenLayers(rows);
    expect(hidden.map((l) => [l.step, l.layer])).toEqual([[6, 0], [6, 1], [6, 2]]); // probed at 1, 3, 6: not 7
    expect(gradientRatio(hidden)).toBe(hidden[0]!.gradNormZ / hidden[2]!.gradNormZ);
    expect(gradientRatio(hidden.slice(0, 1))).toBeNull();
    expect(finalHiddenLayers([])).toEqual([]);
  });
});
