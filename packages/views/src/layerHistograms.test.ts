import { describe, expect, it } from "vitest";
import { createRng } from "@gradscope/core";
import { layerHistograms, type HistogramRow } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";

// Three layers whose activations saturate more with depth: mass moves to the ends of (−1, 1).
function histograms(): HistogramRow[] {
  const rng = createRng(5);
  const bins = Array.from({ length: 21 }, (_, i) => -1 + i / 10);
  const rows: HistogramRow[] = [];
  for (const step of [0, 10]) {
    for (let layer = 0; layer < 3; layer++) {
      const counts = new Array<number>(20).fill(0);
      for (let k = 0; k < 500; k++) {
        const v = Math.tanh(rng.normal(0, 0.5 + layer + step / 10));
        counts[Math.min(19, Math.floor((v + 1) * 10))]! += 1;
      }
      rows.push({ type: "histogram", run: "tanh", step, layer, of: "act", bins, counts });
    }
  }
  return rows;
}

const xLabel = (figure: Element) => figure.querySelector("g[aria-label='x-axis label'] text")?.textContent;

describe("layerHistograms", () => {
  const document = testDocument();
  const rows = deepFreeze(histograms());

  it("draws the latest step's histogram per layer, output layer on top", async () => {
    const figure = layerHistograms(rows, { document, of: "act" });
    expect(all(figure, "g[aria-label=rect] rect")).toHaveLength(3 * 20);
    expect(figure.scale("fy")!.domain).toEqual([2, 1, 0]);
    expect(xLabel(figure)).toContain("act at step 10");
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/layerHistograms.svg");
  });

  it("picks a step and layers, skips malformed rows, copes with no rows", () => {
    const early = layerHistograms(rows, { document, of: "act", step: 0, layers: [1] });
    expect(xLabel(early)).toContain("act at step 0");
    expect(early.scale("fy")!.domain).toEqual([1]);
    const broken = rows.map((r) => (r.layer === 0 ? { ...r, counts: r.counts.slice(1) } : r));
    expect(all(layerHistograms(broken, { document, of: "act" }), "g[aria-label=rect] rect")).toHaveLength(2 * 20);
    expect(all(layerHistograms([], { document }), "g[aria-label=rect] rect")).toHaveLength(0);
  });
});
