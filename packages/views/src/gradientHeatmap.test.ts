import { describe, expect, it } from "vitest";
import { gradientHeatmap } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";
import { syntheticRun } from "./internal/testing/syntheticRun.js";

describe("gradientHeatmap", () => {
  const document = testDocument();
  const rows = deepFreeze(syntheticRun({ layers: 4, steps: 20, every: 5 })); // 5 steps × 4 layers

  it("draws one cell per layer and step on a log colour scale", async () => {
    const figure = gradientHeatmap(rows, { document });
    expect(all(figure, "g[aria-label=rect] rect")).toHaveLength(20);
    expect(figure.scale("color")!.type).toBe("log");
    expect(figure.scale("y")!.domain).toEqual([0, 4]); // layer 0 at the bottom, the last cell ends at 4
    const ticks = all(figure, "g[aria-label='y-axis tick label'] text").map((t) => t.textContent);
    expect(ticks).toEqual(["0", "1", "2", "3"]); // one label per row of cells
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/gradientHeatmap.svg");
  });

  it("stacks runs as facets and copes with no rows", () => {
    const two = [...rows, ...syntheticRun({ run: "relu", layers: 4, steps: 20, every: 5, seed: 2 })];
    const figure = gradientHeatmap(two, { document });
    expect(figure.scale("fy")!.domain).toEqual(["relu", "sigmoid"]);
    expect(all(figure, "g[aria-label=rect] rect")).toHaveLength(40);
    expect(all(gradientHeatmap([], { document }), "g[aria-label=rect] rect")).toHaveLength(0);
  });
});
