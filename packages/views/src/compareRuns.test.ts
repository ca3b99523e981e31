import { describe, expect, it } from "vitest";
import { compareRuns } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";
import { syntheticRun } from "./internal/testing/syntheticRun.js";

describe("compareRuns", () => {
  const document = testDocument();
  const rows = deepFreeze(
    ["sigmoid", "tanh", "relu", "elu"].flatMap((run, i) => syntheticRun({ run, layers: 3, seed: i + 1, activation: run })),
  );

  it("draws one panel per run on shared scales", async () => {
    const figure = compareRuns(rows, { document });
    expect(all(figure, "g[aria-label=line] path")).toHaveLength(4);
    expect(all(figure, "g[aria-label=text] text").map((t) => t.textContent).sort()).toEqual(["elu", "relu", "sigmoid", "tanh"]);
    expect(figure.scale("fx")!.domain).toEqual([0, 1, 2]); // 3 columns, wrapped onto 2 rows
    expect(figure.scale("fy")!.domain).toEqual([0, 1]);
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/compareRuns.svg");
  });

  it("draws a line per layer for layer rows, on a log scale if asked", async () => {
    const figure = compareRuns(rows, { document, type: "layer", y: "gradNormZ", logY: true, columns: 4 });
    expect(all(figure, "g[aria-label=line] path")).toHaveLength(4 * 3);
    expect(figure.scale("y")!.type).toBe("log");
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/compareRuns-layer.svg");
    expect(all(compareRuns([], { document }), "g[aria-label=line] path")).toHaveLength(0);
  });
});
