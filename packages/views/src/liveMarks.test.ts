// The live machinery's marks in the step- and layer-axis views: alert markers, the grey ghost, a log step axis.
import { describe, expect, it } from "vitest";
import type * as Plot from "@observablehq/plot";
import type { Row } from "@gradscope/stream";
import { compareRuns, gradientFlow, gradientHeatmap, lossCurve } from "@gradscope/views";
import { all, deepFreeze, testDocument } from "./internal/testing/dom.js";
import { syntheticRun } from "./internal/testing/syntheticRun.js";

const exploding = { type: "alert", run: "sigmoid", step: 15, kind: "exploding", layer: 4, message: "exploding gradients: ‖∂L/∂z‖ at layer 4 is 2.0e+3 (threshold 1e+3)" } as Row;
const vanishing = { type: "alert", run: "sigmoid", step: 30, kind: "vanishing", layer: 0, message: "vanishing gradients" } as Row;

describe("live marks", () => {
  const document = testDocument();
  const rows = deepFreeze([...syntheticRun(), exploding, vanishing]);

  it("lossCurve marks each alert at its step, with its kind, in both panels", () => {
    const figure = lossCurve(rows, { document });
    const svgs = all(figure, "svg[class^=plot]");
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) {
      expect(all(svg, "g.gradscope-alert-rule line")).toHaveLength(2);
      expect(all(svg, ".gradscope-alert-marker text").map((t) => t.textContent)).toEqual(["⚠ exploding", "⚠ vanishing"]);
    }
    const accuracy = svgs[1] as unknown as ReturnType<typeof Plot.plot>; // the bottom panel carries the x axis
    const x = accuracy.scale("x")!;
    expect(all(accuracy, "g.gradscope-alert-rule line").map((l) => Number(l.getAttribute("x1")))).toEqual([x.apply(15), x.apply(30)]);
  });

  it("gradientFlow marks an alert at its layer and says when; the heatmap and compareRuns at its step", () => {
    const flow = gradientFlow(rows, { document });
    expect(all(flow, ".gradscope-alert-marker text").map((t) => t.textContent)).toEqual(["⚠ exploding (step 15)", "⚠ vanishing (step 30)"]);
    expect(all(gradientHeatmap(rows, { document }), ".gradscope-alert-marker text")).toHaveLength(2);
    expect(all(compareRuns(rows, { document }), ".gradscope-alert-marker text")).toHaveLength(2);
    expect(all(lossCurve(syntheticRun(), { document }), ".gradscope-alert-marker")).toHaveLength(0); // no alerts, no marks
  });

  it("draws the ghost (the previous run) in grey beneath the current lines", () => {
    const ghost = syntheticRun({ seed: 2, steps: 60 });
    const loss = lossCurve(rows, { document, ghost });
    const ghosts = all(loss, "g.gradscope-ghost path");
    expect(ghosts).toHaveLength(4); // train and eval, in the loss and the accuracy panel
    for (const g of ghosts) expect(g.closest("g")!.getAttribute("stroke") ?? g.getAttribute("stroke")).toBe("#c8c8c8");
    // the axis covers the ghost too: its 60 steps are not cut at the current run's 40
    const x = (all(loss, "svg[class^=plot]")[1] as unknown as ReturnType<typeof Plot.plot>).scale("x")!;
    expect(x.domain).toEqual([0, 60]);
    expect(all(gradientFlow(rows, { document, ghost }), "g.gradscope-ghost path")).toHaveLength(1); // its last picture
    expect(all(compareRuns(rows, { document, ghost }), "g.gradscope-ghost path")).toHaveLength(1);
  });

  it("a log step axis is a symlog scale with plain-number ticks at powers of 10, step 0 included", () => {
    const long = syntheticRun({ steps: 20_000, every: 1000 });
    const figure = lossCurve(long, { document, stepScale: "log" });
    const accuracy = all(figure, "svg[class^=plot]")[1] as unknown as ReturnType<typeof Plot.plot>;
    expect(accuracy.scale("x")!.type).toBe("symlog");
    expect(all(accuracy, "g[aria-label='x-axis tick label'] text").map((t) => t.textContent)).toEqual(["0", "1", "10", "100", "1,000", "10,000"]);
    const x = accuracy.scale("x")!;
    // the first 5 % of the run (1,000 of 20,000 steps) takes most of the axis, not a twentieth
    expect((x.apply(1000)! - x.apply(0)!) / (x.apply(20_000)! - x.apply(0)!)).toBeGreaterThan(0.6);
    expect(gradientHeatmap(long, { document, stepScale: "log" }).scale("x")!.type).toBe("symlog");
  });
});
