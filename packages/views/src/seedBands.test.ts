import { describe, expect, it } from "vitest";
import { activationColor, seedBandPoints, seedBands, type Row } from "@gradscope/views";
import { all, testDocument } from "./internal/testing/dom.js";

// held-out loss of three seeds per activation at steps 0, 10, 20
const evalRows = (run: string, losses: number[]): Row[] => losses.map((loss, i) => ({ type: "eval", run, step: 10 * i, loss, accuracy: 0.5 }) as Row);
const rows = [
  ...evalRows("relu-seed1", [1, 0.5, 0.2]), ...evalRows("relu-seed2", [1.2, 0.4, 0.3]), ...evalRows("relu-seed3", [1.1, 0.6, 0.25]),
  ...evalRows("sigmoid-seed1", [1.1, 1, 0.9]), ...evalRows("sigmoid-seed2", [1.1, 1.05, 0]),
];

describe("seedBands", () => {
  it("takes the median over seeds and the band from the lowest to the highest seed", () => {
    const p = seedBandPoints(rows);
    expect(p.filter((q) => q.group === "relu")).toEqual([
      { group: "relu", step: 0, mid: 1.1, lo: 1, hi: 1.2, seeds: 3 },
      { group: "relu", step: 10, mid: 0.5, lo: 0.4, hi: 0.6, seeds: 3 },
      { group: "relu", step: 20, mid: 0.25, lo: 0.2, hi: 0.3, seeds: 3 },
    ]);
    expect(p.find((q) => q.group === "sigmoid" && q.step === 20)).toEqual({ group: "sigmoid", step: 20, mid: 0.45, lo: 0, hi: 0.9, seeds: 2 });
  });

  it("overlays one band and one median line per activation in its palette colour, on a log axis with a zero band", () => {
    const document = testDocument();
    const figure = seedBands(rows, { document, order: ["sigmoid", "relu"] });
    expect(all(figure, "g[aria-label='seed band'] path")).toHaveLength(2);
    expect(all(figure, "g[aria-label='median over seeds'] path")).toHaveLength(2);
    expect(figure.scale("color")!.domain).toEqual(["sigmoid", "relu"]);
    expect(figure.scale("color")!.range).toEqual([activationColor("sigmoid"), activationColor("relu")]);
    expect(all(figure, "g[aria-label='y-axis label'] text")[0]!.textContent).toMatch(/held-out loss.*\(log scale\)/);
    expect(all(figure, "g[aria-label='zero band']")).toHaveLength(1); // sigmoid seed 2's exact 0 is shown, not dropped
  });
});
