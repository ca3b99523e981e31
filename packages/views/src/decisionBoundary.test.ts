import { describe, expect, it } from "vitest";
import { createRng } from "@gradscope/core";
import { decisionBoundary, type ClassifiedPoint } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";

// Two classes split by the line x₁ = x₀; the points carry their true label.
function blobs(): { grid: ClassifiedPoint[]; points: ClassifiedPoint[] } {
  const rng = createRng(3);
  const grid: ClassifiedPoint[] = [];
  for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) {
    const x0 = -1 + (2 * (i + 0.5)) / 10, x1 = -1 + (2 * (j + 0.5)) / 10;
    grid.push({ x0, x1, cls: x1 > x0 ? 1 : 0 });
  }
  const points = Array.from({ length: 30 }, (_, i) => {
    const cls = i % 2;
    return { x0: rng.normal(cls ? -0.4 : 0.4, 0.25), x1: rng.normal(cls ? 0.4 : -0.4, 0.25), cls };
  });
  return { grid, points };
}

describe("decisionBoundary", () => {
  const document = testDocument();
  const data = deepFreeze(blobs());

  it("draws one cell per grid point and one dot per data point, classes on an ordinal scale", async () => {
    const figure = decisionBoundary(data, { document, width: 360 });
    expect(all(figure, "g[aria-label=rect] rect")).toHaveLength(100);
    expect(all(figure, "g[aria-label=dot] circle")).toHaveLength(30);
    expect(figure.scale("color")!.type).toBe("ordinal");
    expect(figure.scale("color")!.domain).toEqual([0, 1]);
    const [x0, x1] = figure.scale("x")!.domain as [number, number];
    expect([x0, x1].map((v) => Number(v.toFixed(12)))).toEqual([-1, 1]); // cells span the grid exactly
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/decisionBoundary.svg");
  });

  it("copes with no data", () => {
    const figure = decisionBoundary({ grid: [], points: [] }, { document });
    expect(all(figure, "g[aria-label=dot] circle")).toHaveLength(0);
  });
});
