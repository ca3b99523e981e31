import { describe, expect, it } from "vitest";
import { FLOAT32_MIN_SUBNORMAL, gradientFlow } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";
import { syntheticRun } from "./internal/testing/syntheticRun.js";

const tickLabels = (figure: Element, axis: "x" | "y") => all(figure, `g[aria-label='${axis}-axis tick label'] text`).map((t) => t.textContent ?? "");
const SI = /[yzafpnµmkMGTP]$/;

describe("gradientFlow", () => {
  const document = testDocument();
  const rows = deepFreeze(syntheticRun({ layers: 5, steps: 40, every: 5 })); // 9 logged steps

  it("draws one line per step across the layers, on a log y axis with 10ⁿ ticks", async () => {
    const figure = gradientFlow(rows, { document });
    const lines = all(figure, "g[aria-label=line] path");
    expect(lines).toHaveLength(9);
    const [lo, hi] = figure.scale("y")!.domain as [number, number]; // log₁₀ positions
    expect(hi - lo).toBeGreaterThan(3); // 5 layers, ~10× per layer
    expect(figure.scale("x")!.domain).toEqual([0, 4]);
    expect(tickLabels(figure, "x")).toEqual(["0", "1", "2", "3", "4"]); // whole layers only
    const y = tickLabels(figure, "y");
    expect(y).toContain("10⁻³");
    expect(y.filter((t) => SI.test(t))).toEqual([]);
    expect(all(figure, "g[aria-label='y-axis label'] text")[0]!.textContent).toMatch(/‖∂L\/∂z‖ \(log scale\)/);
    expect(all(figure, "g[aria-label='zero band']")).toHaveLength(0);
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/gradientFlow.svg");
  });

  it("draws only the latest step, or at most maxLines steps", () => {
    expect(all(gradientFlow(rows, { document, steps: "latest" }), "g[aria-label=line] path")).toHaveLength(1);
    expect(all(gradientFlow(rows, { document, maxLines: 3 }), "g[aria-label=line] path")).toHaveLength(3);
  });

  it("keeps every layer on the axis and draws exact zeros in a band marked = 0", () => {
    // sigmoid, 60 layers, float32: the first 35 layers' gradients underflow to exactly 0
    const deep = syntheticRun({ layers: 60, steps: 10, every: 5 }).map((r) => (r.type === "layer" && r.layer < 35 ? { ...r, gradNormZ: 0 } : r));
    const figure = gradientFlow(deep, { document, steps: "latest", precision: "float32" });
    expect(figure.scale("x")!.domain).toEqual([0, 59]);
    expect(tickLabels(figure, "x")[0]).toBe("0");
    expect(all(figure, "g[aria-label='zero band'] rect")).toHaveLength(1);
    expect(all(figure, "g[aria-label='zero band label'] text")[0]!.textContent).toBe("= 0 (below float32)");
    expect(tickLabels(figure, "y")).toContain("0");
    // the line runs through all 60 layers: its zero points sit inside the band
    const [bandTop] = [Math.max(...(figure.scale("y")!.domain as number[]))];
    expect(bandTop).toBeGreaterThan(-1);
    const path = all(figure, "g[aria-label=line] path")[0]!.getAttribute("d")!;
    expect(path.split(/[ML]/).filter(Boolean)).toHaveLength(60);
    // float32's limits drawn, since zeros are on the plot
    const refs = all(figure, "g[aria-label='reference label'] text").map((t) => t.textContent);
    expect(refs).toEqual(["float32 smallest normal 1.2×10⁻³⁸", "float32 smallest subnormal 1.4×10⁻⁴⁵"]);
    expect(FLOAT32_MIN_SUBNORMAL).toBe(1.401298464324817e-45);
    // all-zero layer rows of a shallow net, too: the layer domain stays 0…4
    const zero = rows.map((r) => (r.type === "layer" && r.layer === 0 ? { ...r, gradNormZ: 0 } : r));
    expect(gradientFlow(zero, { document, steps: "latest" }).scale("x")!.domain).toEqual([0, 4]);
    const empty = gradientFlow([], { document });
    expect(all(empty, "g[aria-label=line] path")).toHaveLength(0);
    expect(gradientFlow([], { document, layers: 20 }).scale("x")!.domain).toEqual([0, 19]);
  });
});
