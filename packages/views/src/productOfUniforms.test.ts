import { describe, expect, it } from "vitest";
import { createRng } from "@gradscope/core";
import { productOfUniforms, sampleProductOfUniforms } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";

describe("productOfUniforms", () => {
  const document = testDocument();
  const rows = deepFreeze(sampleProductOfUniforms({ factors: 50, draws: 2000, random: createRng(1).next }));

  it("bins log10 of the products and marks the threshold with the share below it", async () => {
    const figure = productOfUniforms(rows, { document });
    const bars = all(figure, "g[aria-label=rect] rect");
    expect(bars.length).toBeGreaterThan(10);
    const x = figure.scale("x")!;
    expect(x.type).toBe("linear");
    expect((x.domain as number[])[0]).toBeLessThan(-30);
    const labels = all(figure, "g[aria-label=text] text").map((t) => t.textContent);
    expect(labels[0]).toMatch(/^8\d\.\d% of 2000 draws < 10⁻¹⁸$/);
    expect(labels[1]).toBe("expected 10⁻²¹·⁷");
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/productOfUniforms.svg");
  });

  it("copes with no draws", () => {
    const figure = productOfUniforms([], { document });
    expect(all(figure, "g[aria-label=rect] rect")).toHaveLength(0);
  });
});
