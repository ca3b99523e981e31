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
    expect(figure.textContent).toMatch(/‖∂L\/∂z‖ \(log scale\)/); // colour = log₁₀ of the norm, keyed 10ⁿ
    expect(all(figure, "[aria-label='zero key']")).toHaveLength(0);
    expect(figure.scale("y")!.domain).toEqual([0, 4]); // layer 0 at the bottom, the last cell ends at 4
    const ticks = all(figure, "g[aria-label='y-axis tick label'] text").map((t) => t.textContent);
    expect(ticks).toEqual(["0", "1", "2", "3"]); // one label per row of cells
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/gradientHeatmap.svg");
  });

  it("draws exact zeros grey with a key saying so, and keeps every layer", () => {
    const dead = rows.map((r) => (r.type === "layer" && r.layer < 2 && r.step >= 10 ? { ...r, gradNormZ: 0 } : r));
    const figure = gradientHeatmap(dead, { document });
    expect(all(figure, "g[aria-label='zero cells'] rect")).toHaveLength(2 * 3);
    expect(all(figure, "g[aria-label=rect] rect")).toHaveLength(20 - 6);
    expect(figure.querySelector("[aria-label='zero key']")!.textContent).toMatch(/exactly 0/);
    expect(figure.scale("y")!.domain).toEqual([0, 4]);
    const allZero = rows.map((r) => (r.type === "layer" ? { ...r, gradNormZ: 0 } : r));
    expect(gradientHeatmap(allZero, { document }).scale("y")!.domain).toEqual([0, 4]);
  });

  it("stacks runs as facets and copes with no rows", () => {
    const two = [...rows, ...syntheticRun({ run: "relu", layers: 4, steps: 20, every: 5, seed: 2 })];
    const figure = gradientHeatmap(two, { document });
    expect(figure.scale("fy")!.domain).toEqual(["relu", "sigmoid"]);
    expect(gradientHeatmap(two, { document, order: ["sigmoid", "relu"] }).scale("fy")!.domain).toEqual(["sigmoid", "relu"]);
    expect(all(figure, "g[aria-label=rect] rect")).toHaveLength(40);
    expect(all(gradientHeatmap([], { document }), "g[aria-label=rect] rect")).toHaveLength(0);
  });
});
