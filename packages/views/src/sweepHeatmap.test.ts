import { describe, expect, it } from "vitest";
import { activationColor, DIVERGED_COLOR, NO_RUN_COLOR, sweepHeatmap, sweepHeatmapCells } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";

describe("sweepHeatmap", () => {
  const document = testDocument();
  // one row per run: 2 activations × 3 depths × 2 seeds; elu at depth 8 diverged on one seed, tanh at 8 on both;
  // relu at depth 4 has no run at all (missing)
  const runs = deepFreeze([
    { activation: "relu", depth: 2, seed: 1, loss: 0.3 }, { activation: "relu", depth: 2, seed: 2, loss: 0.5 },
    { activation: "relu", depth: 8, seed: 1, loss: 0.9 }, { activation: "relu", depth: 8, seed: 2, loss: 1.1 },
    { activation: "tanh", depth: 2, seed: 1, loss: 0.2 }, { activation: "tanh", depth: 2, seed: 2, loss: 0.25 },
    { activation: "tanh", depth: 4, seed: 1, loss: 0.4 }, { activation: "tanh", depth: 4, seed: 2, loss: NaN },
    { activation: "tanh", depth: 8, seed: 1, loss: NaN }, { activation: "tanh", depth: 8, seed: 2, loss: Infinity },
  ]);
  const options = { x: "activation", y: "depth", value: "loss", xDomain: ["relu", "tanh"], yDomain: [2, 4, 8], document } as const;

  it("averages the finite values of each cell and says why a cell is empty", () => {
    const cells = sweepHeatmapCells(runs, options);
    const at = (x: string, y: number) => cells.find((c) => c.x === x && c.y === y)!;
    expect(cells).toHaveLength(6); // every (x, y) of the domains, in the given order
    expect(at("relu", 2)).toMatchObject({ mean: 0.4, runs: 2, finite: 2, diverged: 0, kind: "value" });
    expect(at("tanh", 4)).toMatchObject({ mean: 0.4, runs: 2, finite: 1, diverged: 1, kind: "value" });
    // with a status field, a run that diverged after a finite best value is averaged and counted as diverged
    const withStatus = runs.map((r) => ({ ...r, status: r.activation === "relu" && r.depth === 8 && r.seed === 2 ? "diverged" : "completed" }));
    expect(sweepHeatmapCells(withStatus, { ...options, status: "status" }).find((c) => c.x === "relu" && c.y === 8)).toMatchObject({ mean: 1, finite: 2, diverged: 1 });
    expect(at("relu", 4)).toMatchObject({ runs: 0, kind: "no run" });
    expect(at("tanh", 8)).toMatchObject({ runs: 2, finite: 0, kind: "diverged" });
    expect(at("tanh", 8).mean).toBeNaN();
  });

  it("prints each value in its cell, darker for better, keys the empty cells, colours activation ticks", async () => {
    const figure = sweepHeatmap(runs, { ...options, label: "held-out loss" });
    const texts = all(figure, "g[aria-label='cell value'] text").map((t) => t.textContent);
    // relu 2: 0.4, relu 8: 1.0, tanh 2: 0.225, tanh 4: 0.4 (1 of 2 diverged)
    expect(texts).toEqual(["0.4", "0.225", "0.41 of 2 diverged", "1"]); // a second line (tspan) under tanh 4's value
    const empty = all(figure, "g[aria-label='empty cell'] rect").map((r) => r.getAttribute("fill"));
    expect(empty.sort()).toEqual([DIVERGED_COLOR, NO_RUN_COLOR].sort());
    expect(all(figure, "g[aria-label='empty cell label'] text").map((t) => t.textContent).sort()).toEqual(["diverged", "no run"]);
    const key = figure.querySelector("[aria-label='empty cell key']")!.textContent!;
    expect(key).toMatch(/no run: no finished recording/);
    expect(key).toMatch(/diverged: every run here ended without a finite value/);
    expect(figure.textContent).toMatch(/held-out loss \(lower is better\)/);
    // the best cell (tanh, depth 2: 0.225) is the darkest: its fill is the scale's end for the lowest value
    const color = figure.scale("color")!;
    expect(color.domain).toEqual([0.225, 1]);
    const cellFill = (x: string, y: number) => {
      const i = sweepHeatmapCells(runs, options).filter((c) => c.kind === "value").findIndex((c) => c.x === x && c.y === y);
      return all(figure, "g[aria-label='sweep cell'] rect")[i]!.getAttribute("fill");
    };
    expect(cellFill("tanh", 2)).toBe(color.apply(0.225));
    expect(cellFill("tanh", 2)).not.toBe(cellFill("relu", 8));
    // text on the darkest cell (0.225) is white, on the palest (1.0) dark; 0.4 sits a quarter of the way from best to worst: dark cell, white
    expect(all(figure, "g[aria-label='cell value'] text").map((t) => t.getAttribute("fill"))).toEqual(["white", "white", "white", "#111"]);
    // axes in the given order, with axis words; activation ticks in their palette colour
    expect(figure.scale("x")!.domain).toEqual(["relu", "tanh"]);
    expect(figure.scale("y")!.domain).toEqual([2, 4, 8]);
    expect(figure.textContent).toMatch(/depth \(hidden layers\)/);
    const xTicks = all(figure, "g[aria-label='x-axis tick label'] text");
    expect(xTicks.map((t) => t.getAttribute("fill"))).toEqual([activationColor("relu"), activationColor("tanh")]);
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/sweepHeatmap.svg");
  });

  it("keys accuracies in percent, higher better, and needs no key when no cell is empty", () => {
    const acc = runs.filter((r) => r.depth === 2).map((r) => ({ ...r, accuracy: 1 - r.loss / 2 }));
    const figure = sweepHeatmap(acc, { x: "depth", y: "activation", value: "accuracy", percent: true, lowerIsBetter: false, document });
    expect(figure.textContent).toMatch(/higher is better/);
    expect(all(figure, "g[aria-label='cell value'] text").map((t) => t.textContent)).toContain("80.0 %"); // relu depth 2: 1 − 0.4/2
    expect(figure.querySelector("[aria-label='empty cell key']")).toBeNull();
    expect(all(sweepHeatmap([], { ...options }), "g[aria-label='sweep cell'] rect")).toHaveLength(0);
  });

  it("gives values equal but for rounding one colour and readable key ticks, not stretched noise", () => {
    const v = 0.10675180728236834;
    const same = [{ a: "relu", b: 1, loss: v }, { a: "tanh", b: 1, loss: v + 2e-17 }, { a: "elu", b: 1, loss: v - 1e-17 }];
    const figure = sweepHeatmap(same, { x: "a", y: "b", value: "loss", document });
    const fills = new Set(all(figure, "g[aria-label='sweep cell'] rect").map((r) => r.getAttribute("fill")));
    expect(fills.size).toBe(1);
    const [lo, hi] = figure.scale("color")!.domain as number[];
    expect(lo).toBeCloseTo(0.99 * v, 12);
    expect(hi).toBeCloseTo(1.01 * v, 12);
  });
});
