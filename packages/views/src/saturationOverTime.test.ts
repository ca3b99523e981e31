import { describe, expect, it } from "vitest";
import { saturationOverTime } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";
import { syntheticRun } from "./internal/testing/syntheticRun.js";

describe("saturationOverTime", () => {
  const document = testDocument();
  const rows = deepFreeze(syntheticRun({ layers: 4 }));

  it("draws saturated and dead fractions per layer in two panels, as percentages", async () => {
    const figure = saturationOverTime(rows, { document });
    expect(all(figure, "g[aria-label=line] path")).toHaveLength(2 * 4);
    expect(figure.scale("fy")!.domain).toEqual(["saturated", "dead"]);
    expect(figure.scale("y")!.domain).toEqual([0, 100]); // fractions shown as percentages
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/saturationOverTime.svg");
  });

  it("filters by run and copes with no rows", () => {
    const two = [...rows, ...syntheticRun({ run: "relu", layers: 3 })];
    expect(all(saturationOverTime(two, { document, run: "relu" }), "g[aria-label=line] path")).toHaveLength(2 * 3);
    expect(all(saturationOverTime([], { document }), "g[aria-label=line] path")).toHaveLength(0);
  });
});
