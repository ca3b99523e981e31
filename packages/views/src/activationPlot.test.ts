import { describe, expect, it } from "vitest";
import { activationPlot, type ActivationSample } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const xs = Array.from({ length: 81 }, (_, i) => -6 + (12 * i) / 80);

describe("activationPlot", () => {
  const document = testDocument();

  it("draws f solid and f′ dashed", async () => {
    const rows = deepFreeze(xs.map((x) => ({ x, y: sigmoid(x), dy: sigmoid(x) * (1 - sigmoid(x)) })));
    const figure = activationPlot(rows, { document, title: "sigmoid" });
    const lines = all(figure, "g[aria-label=line]");
    expect(lines).toHaveLength(2);
    expect(lines[1]!.getAttribute("stroke-dasharray")).toBe("5,3");
    const [lo, hi] = figure.scale("y")!.domain as [number, number];
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1); // sigmoid in (0, 1), its slope at most 0.25
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/activationPlot.svg");
  });

  it("puts several named activations side by side", () => {
    const rows: ActivationSample[] = xs.flatMap((x) => [
      { name: "relu", x, y: Math.max(0, x), dy: x > 0 ? 1 : 0 },
      { name: "leakyRelu", x, y: x > 0 ? x : 0.01 * x, dy: x > 0 ? 1 : 0.01 },
    ]);
    const figure = activationPlot(rows, { document });
    expect(figure.scale("fx")!.domain).toEqual(["relu", "leakyRelu"]); // the order they are given in, not sorted
    expect(all(figure, "g[aria-label=line] path")).toHaveLength(4);
    expect(all(activationPlot([], { document }), "g[aria-label=line] path")).toHaveLength(0);
  });
});
