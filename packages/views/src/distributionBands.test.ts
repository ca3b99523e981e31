import { describe, expect, it } from "vitest";
import { distributionBands } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";
import { syntheticRun } from "./internal/testing/syntheticRun.js";

describe("distributionBands", () => {
  const document = testDocument();
  const rows = deepFreeze(syntheticRun({ layers: 3 }));

  it("draws four nested bands and a median per layer over time", async () => {
    const figure = distributionBands(rows, { document, of: "pre" });
    expect(all(figure, "g[aria-label=area] path")).toHaveLength(4 * 3);
    expect(all(figure, "g[aria-label=line] path")).toHaveLength(3);
    expect(figure.scale("fy")!.domain).toEqual([2, 1, 0]); // output layer on top
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/distributionBands.svg");
  });

  it("shows the latest step across layers, selected layers, and nothing for a missing distribution", async () => {
    const byLayer = distributionBands(rows, { document, x: "layer" });
    expect(all(byLayer, "g[aria-label=line] path")).toHaveLength(1);
    expect(byLayer.scale("x")!.domain).toEqual([0, 2]);
    await expect(serialize(byLayer)).toMatchFileSnapshot("__snapshots__/distributionBands-layer.svg");
    expect(all(distributionBands(rows, { document, layers: [2] }), "g[aria-label=line] path")).toHaveLength(1);
    expect(all(distributionBands(rows, { document, of: "act" }), "g[aria-label=area] path")).toHaveLength(0);
    expect(all(distributionBands([], { document, x: "layer" }), "g[aria-label=area] path")).toHaveLength(0);
  });
});
