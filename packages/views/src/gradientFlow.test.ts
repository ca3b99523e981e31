import { describe, expect, it } from "vitest";
import { gradientFlow } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";
import { syntheticRun } from "./internal/testing/syntheticRun.js";

describe("gradientFlow", () => {
  const document = testDocument();
  const rows = deepFreeze(syntheticRun({ layers: 5, steps: 40, every: 5 })); // 9 logged steps

  it("draws one line per step across the layers, on a log y scale", async () => {
    const figure = gradientFlow(rows, { document });
    const lines = all(figure, "g[aria-label=line] path");
    expect(lines).toHaveLength(9);
    const y = figure.scale("y")!;
    expect(y.type).toBe("log");
    const [lo, hi] = y.domain as [number, number];
    expect(hi / lo).toBeGreaterThan(1e3); // 5 layers, ~10× per layer
    expect(figure.scale("x")!.domain).toEqual([0, 4]);
    const ticks = all(figure, "g[aria-label='x-axis tick label'] text").map((t) => t.textContent);
    expect(ticks).toEqual(["0", "1", "2", "3", "4"]); // whole layers only
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/gradientFlow.svg");
  });

  it("draws only the latest step, or at most maxLines steps", () => {
    expect(all(gradientFlow(rows, { document, steps: "latest" }), "g[aria-label=line] path")).toHaveLength(1);
    expect(all(gradientFlow(rows, { document, maxLines: 3 }), "g[aria-label=line] path")).toHaveLength(3);
  });

  it("leaves out values a log scale cannot show, and copes with no rows", () => {
    const zero = rows.map((r) => (r.type === "layer" && r.layer === 0 ? { ...r, gradNormZ: 0 } : r));
    expect(gradientFlow(zero, { document, steps: "latest" }).scale("x")!.domain).toEqual([1, 4]);
    const empty = gradientFlow([], { document });
    expect(all(empty, "g[aria-label=line] path")).toHaveLength(0);
  });
});
