import { describe, expect, it } from "vitest";
import { activationColor, layerProfiles } from "@gradscope/views";
import { all, testDocument } from "./internal/testing/dom.js";

describe("layerProfiles", () => {
  it("draws a line with a dot per hidden layer for each activation, input side at the left, in palette colours", () => {
    const points = [0, 1, 2].flatMap((layer) => [
      { group: "relu", layer, value: 0.1 * layer },
      { group: "elu", layer, value: 0 },
    ]);
    const figure = layerProfiles(points, { document: testDocument(), label: "dead units (% of layer)", percent: true, order: ["relu", "elu"] });
    expect(all(figure, "g[aria-label='per-layer line'] path")).toHaveLength(2);
    expect(all(figure, "g[aria-label='per-layer dot'] circle")).toHaveLength(6);
    expect(figure.scale("color")!.range).toEqual([activationColor("relu"), activationColor("elu")]);
    expect(figure.scale("y")!.domain).toEqual([0, 100]);
    expect(all(figure, "g[aria-label='x-axis label'] text")[0]!.textContent).toMatch(/hidden layer \(0 = input side\)/);
  });
});
