import { describe, expect, it } from "vitest";
import { compareRuns, gradientHeatmap, productOfUniforms, sampleProductOfUniforms, saturationOverTime } from "@gradscope/views";
import { createRng } from "@gradscope/core";
import { all, testDocument } from "./testing/dom.js";
import { syntheticRun } from "./testing/syntheticRun.js";

describe("plotFrame", () => {
  const document = testDocument();
  const rows = ["a", "b", "c"].flatMap((run, i) => syntheticRun({ run, layers: 3, seed: i + 1 }));
  // a notebook's reactive width is 0 while its page lays out: Plot's ranges would invert
  it.each([0, 5, NaN])("never draws a rect of negative size, even at width %s", (width) => {
    const figures = [
      compareRuns(rows, { document, width, columns: 3 }),
      gradientHeatmap(rows, { document, width }),
      saturationOverTime(rows, { document, width }),
      productOfUniforms(sampleProductOfUniforms({ factors: 50, draws: 500, random: createRng(1).next }), { document, width }),
    ];
    for (const figure of figures) {
      const rects = all(figure, "rect");
      expect(rects.length).toBeGreaterThan(0);
      for (const r of rects) {
        for (const attr of ["width", "height"]) {
          const v = r.getAttribute(attr);
          if (v !== null && !v.endsWith("%")) expect(Number(v), `${attr}=${v}`).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });
});
