import { describe, expect, it } from "vitest";
import * as Plot from "@observablehq/plot";
import { activationColor, activationColors, colorOf, colorScale, initColor, initColors, layerColor, runColor } from "@gradscope/views";
import { compareRuns, decisionBoundaries, type BoundaryRow } from "@gradscope/views";
import { all, testDocument } from "./internal/testing/dom.js";
import { syntheticRun } from "./internal/testing/syntheticRun.js";

describe("palette", () => {
  it("gives every built-in activation and initialisation its own colour", () => {
    const distinct = (table: Readonly<Record<string, string>>, same: string[][] = []) => {
      const colours = Object.entries(table).filter(([k]) => !same.some((group) => group.slice(1).includes(k))).map(([, c]) => c);
      expect(new Set(colours).size).toBe(colours.length);
    };
    distinct(activationColors, [["silu", "swish"]]);
    distinct(initColors);
  });

  it("matches a name on its leading words, ignoring case and punctuation", () => {
    expect(activationColor("ReLU")).toBe(activationColors.relu);
    expect(activationColor("relu · seed 2")).toBe(activationColors.relu);
    expect(activationColor("Leaky ReLU, α = 1/5.5")).toBe(activationColors.leakyRelu);
    expect(activationColor("leaky")).toBe(activationColors.leakyRelu);
    expect(activationColor("RReLU, paper law")).toBe(activationColors.rrelu);
    expect(activationColor("rrelu")).not.toBe(activationColor("relu"));
    expect(initColor("He")).toBe(initColors.he);
    expect(initColor("xavier")).toBe(initColors.glorot);
    expect(initColor("hello")).not.toBe(initColors.he); // "he" must be the whole first word
  });

  it("colours runs by the activation, initialisation or precision they are named after, else stably", () => {
    expect(runColor("elu")).toBe(activationColors.elu);
    expect(runColor("glorot")).toBe(initColors.glorot);
    expect(runColor("float32")).not.toBe(runColor("float64"));
    expect(runColor("shared α")).toBe(runColor("shared α"));
    expect(colorOf("activation", "tanh")).toBe(activationColors.tanh);
    expect(colorOf("init", "standard")).toBe(initColors.standard);
  });

  it("builds a Plot scale in the given order, never two names in one colour", () => {
    const scale = colorScale(["RReLU, PyTorch law", "RReLU, paper law", "relu"], "run");
    expect(scale.domain).toEqual(["RReLU, PyTorch law", "RReLU, paper law", "relu"]);
    expect(scale.range[0]).toBe(activationColors.rrelu);
    expect(scale.range[2]).toBe(activationColors.relu);
    expect(new Set(scale.range).size).toBe(3);
  });

  it("colours layers light at the input and dark at the output, on a fixed domain", () => {
    const document = testDocument();
    const figure = Plot.plot({ document, color: layerColor(10), marks: [Plot.dot([0, 9], { x: (d: number) => d, fill: (d: number) => d })] });
    const scale = figure.scale("color")!;
    expect(scale.domain).toEqual([0, 9]);
    const lightness = (c: string) => {
      const [r, g, b] = c.startsWith("#") ? [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) : (c.match(/\d+/g) ?? []).map(Number);
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const input = String(scale.apply(0)), output = String(scale.apply(9));
    expect(lightness(input)).toBeGreaterThan(lightness(output) + 80);
  });

  it("gives an activation the same colour in different views", () => {
    const document = testDocument();
    const rows = ["elu", "relu"].flatMap((run, i) => syntheticRun({ run, layers: 3, seed: i + 1, activation: run }));
    const boundary = (run: string): BoundaryRow => ({ type: "boundary", run, step: 1, resolution: 1, x0Min: 0, x0Max: 1, x1Min: 0, x1Max: 1, classes: [0] });
    const overlay = compareRuns(rows, { document, order: ["relu", "elu"] });
    const strokes = all(overlay, "g[aria-label=line] path").map((p) => p.getAttribute("stroke") ?? p.closest("g")!.getAttribute("stroke"));
    const panels = compareRuns(rows, { document, type: "layer", y: "deadFrac", order: ["relu", "elu"] });
    const panelFill = all(panels, "g[aria-label='panel label'] text").map((t) => t.closest("g")!.getAttribute("fill"));
    const regions = decisionBoundaries([boundary("elu"), boundary("relu")], { document, order: ["relu", "elu"] });
    const regionFill = all(regions, "g[aria-label='panel label'] text").map((t) => t.closest("g")!.getAttribute("fill"));
    const expected = [activationColor("relu"), activationColor("elu")];
    expect([...strokes].sort()).toEqual([...expected].sort()); // lines are drawn in the rows' order; the legend follows `order`
    expect(overlay.scale("color")!.range).toEqual(expected);
    expect(panelFill).toEqual(expected);
    expect(regionFill).toEqual(expected);
  });
});
