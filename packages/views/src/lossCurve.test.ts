import { describe, expect, it } from "vitest";
import { lossCurve } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";
import { syntheticRun } from "./internal/testing/syntheticRun.js";

describe("lossCurve", () => {
  const document = testDocument();
  const rows = deepFreeze(syntheticRun());

  it("draws loss and accuracy panels, train as a line and eval as a dashed line with dots", async () => {
    const figure = lossCurve(rows, { document, title: "Training" });
    const svgs = all(figure, "svg[class^=plot]");
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) {
      expect(all(svg, "g[aria-label=line] path")).toHaveLength(1 + 1); // train, eval
      expect(all(svg, "g[aria-label=dot] circle")).toHaveLength(rows.filter((r) => r.type === "eval").length);
    }
    const accuracy = svgs[1] as unknown as ReturnType<typeof import("@observablehq/plot").plot>;
    expect(accuracy.scale("y")!.domain).toEqual([0, 100]); // accuracy in percent, lines inside the frame
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/lossCurve.svg");
  });

  it("renders empty panels for no rows", () => {
    const figure = lossCurve([], { document });
    expect(all(figure, "svg[class^=plot]")).toHaveLength(2);
    expect(all(figure, "g[aria-label=line] path")).toHaveLength(0);
  });
});
