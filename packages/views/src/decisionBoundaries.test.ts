import { describe, expect, it } from "vitest";
import { activationColor, decisionBoundaries, boundaryCells, type BoundaryRow } from "@gradscope/views";
import { all, serialize, testDocument } from "./internal/testing/dom.js";

const row = (run: string, step: number, cls: (x0: number, x1: number) => number): BoundaryRow => {
  const n = 4, classes: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) classes.push(cls(-1 + (j + 0.5) * 0.5, -1 + (i + 0.5) * 0.5));
  return { type: "boundary", run, step, resolution: n, x0Min: -1, x0Max: 1, x1Min: -1, x1Max: 1, classes };
};

describe("decisionBoundaries", () => {
  const document = testDocument();
  it("lays the cells out exactly, row-major from the bottom-left", () => {
    const cells = boundaryCells(row("a", 1, (x0) => (x0 > 0 ? 1 : 0)));
    expect(cells).toHaveLength(16);
    expect(cells[0]).toMatchObject({ x0a: -1, x0b: -0.5, x1a: -1, x1b: -0.5, cls: 0 });
    expect(cells[3]).toMatchObject({ x0a: 0.5, x0b: 1, cls: 1 });
    expect(cells[15]).toMatchObject({ x1a: 0.5, x1b: 1 });
  });
  it("draws each run's latest boundary in its own panel, under the points", async () => {
    const rows = [row("relu", 10, () => 0), row("relu", 20, (x0) => +(x0 > 0)), row("elu", 20, (_, x1) => +(x1 > 0))];
    const points = [{ x0: -0.5, x1: 0.5, cls: 0 }, { x0: 0.5, x1: -0.5, cls: 1 }];
    const figure = decisionBoundaries(rows, { document, points, order: ["relu", "elu"] });
    expect(all(figure, "g[aria-label=rect] rect")).toHaveLength(2 * 16); // one grid per run, the latest
    expect(all(figure, "g[aria-label=dot] circle")).toHaveLength(2 * 2);
    const labels = all(figure, "g[aria-label='panel label'] text");
    expect(labels.map((t) => t.textContent)).toEqual(["relu · step 20", "elu · step 20"]); // the given order, not arrival
    expect(labels.map((t) => t.closest("g")!.getAttribute("fill"))).toEqual([activationColor("relu"), activationColor("elu")]);
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/decisionBoundaries.svg");
    expect(all(decisionBoundaries([], { document }), "g[aria-label=rect] rect")).toHaveLength(0); // no rows: an empty frame
  });
});
