import { describe, expect, it } from "vitest";
import { activationColor, chanceLevel, compareRuns } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";
import { syntheticRun } from "./internal/testing/syntheticRun.js";

const SI = /[yzafpnµmkMGTP]$/; // Plot's default log ticks end in an SI prefix ("10m", "100µ", "0.000001y")
const ticks = (figure: Element, axis: "x" | "y") => all(figure, `g[aria-label='${axis}-axis tick label'] text`).map((t) => t.textContent ?? "");

describe("compareRuns", () => {
  const document = testDocument();
  const order = ["sigmoid", "tanh", "relu", "elu"];
  // rows arrive in another order than the inputs'
  const rows = deepFreeze(
    ["relu", "elu", "tanh", "sigmoid"].flatMap((run, i) => syntheticRun({ run, layers: 3, seed: i + 1, activation: run })),
  );

  it("overlays up to six runs on one axis, one palette colour per run, legend in the given order", async () => {
    const figure = compareRuns(rows, { document, order });
    const paths = all(figure, "g[aria-label=line] path");
    expect(paths).toHaveLength(4);
    expect(figure.scale("color")!.domain).toEqual(order);
    expect(figure.scale("color")!.range).toEqual(order.map(activationColor));
    expect(figure.scale("fx")).toBeUndefined();
    expect(all(figure, "g[aria-label='y-axis label'] text")[0]!.textContent).toMatch(/loss/);
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/compareRuns.svg");
  });

  it("puts panels in the given order, not the rows' arrival order, with run-coloured labels", () => {
    const figure = compareRuns(rows, { document, order, layout: "panels" });
    const labels = all(figure, "g[aria-label='panel label'] text");
    expect(labels.map((t) => t.textContent)).toEqual(order);
    expect(labels.map((t) => t.closest("g")!.getAttribute("fill"))).toEqual(order.map(activationColor));
    expect(figure.scale("fx")!.domain).toEqual([0, 1, 2]); // 3 columns, wrapped onto 2 rows
    expect(figure.scale("fy")!.domain).toEqual([0, 1]);
    // a run not yet seen keeps its panel place
    const early = compareRuns(rows.filter((r) => r.run !== "sigmoid"), { document, order, layout: "panels" });
    expect(all(early, "g[aria-label='panel label'] text").map((t) => t.textContent)).toEqual(order);
  });

  it("draws layer rows as panels, a line per layer, light input to dark output, human words", async () => {
    const figure = compareRuns(rows, { document, type: "layer", y: "deadFrac", order, columns: 4 });
    expect(all(figure, "g[aria-label=line] path")).toHaveLength(4 * 3);
    expect(figure.scale("color")!.domain).toEqual([0, 2]);
    expect(figure.textContent).toMatch(/layer \(light = input side/);
    expect(all(figure, "g[aria-label='y-axis label'] text")[0]!.textContent).toMatch(/dead units \(% of layer\)/);
    expect(figure.scale("y")!.domain).toEqual([0, 100]);
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/compareRuns-layer.svg");
    expect(all(compareRuns([], { document }), "g[aria-label=line] path")).toHaveLength(0);
  });

  it("keeps exact zeros on a log scale in a band marked = 0, with 10ⁿ ticks", () => {
    const zeroed = rows.map((r) => (r.type === "layer" && r.run === "relu" && r.step >= 20 ? { ...r, gradNormZ: 0 } : r));
    const figure = compareRuns(zeroed, { document, type: "layer", y: "gradNormZ", logY: true, order });
    expect(all(figure, "g[aria-label='zero band'] rect").length).toBeGreaterThan(0);
    expect(all(figure, "g[aria-label='zero band label'] text")[0]!.textContent).toBe("= 0");
    const relu = all(figure, "g[aria-label=line] path").length;
    expect(relu).toBe(4 * 3); // the relu layers' lines go on into the band, not stop
    const labels = ticks(figure, "y");
    expect(labels).toContain("0");
    expect(labels.some((t) => /10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]/.test(t))).toBe(true);
    expect(labels.filter((t) => SI.test(t))).toEqual([]);
    expect(all(compareRuns(rows, { document, type: "layer", y: "gradNormW", logY: true }), "g[aria-label='zero band']")).toHaveLength(0);
  });

  it("draws reference lines with their words", () => {
    const figure = compareRuns(rows, { document, type: "eval", y: "accuracy", order, references: [chanceLevel(3).accuracy] });
    expect(all(figure, "g[aria-label=reference] line")).toHaveLength(1);
    expect(all(figure, "g[aria-label='reference label'] text")[0]!.textContent).toBe("chance (3 classes)");
    const y = figure.scale("y")!;
    expect(y.apply(1 / 3)).toBeCloseTo(y.apply(0) + (y.apply(1) - y.apply(0)) / 3, 6); // percent scale: 1/3 drawn at 33 %
  });
});
