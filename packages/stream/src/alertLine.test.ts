import { lastValueFrom, toArray, filter } from "rxjs";
import { describe, expect, it } from "vitest";
import { alertLine, isRow, train } from "@gradscope/stream";

describe("alertLine", () => {
  it("says which alert, when, and the detector's sentence", () => {
    expect(alertLine({ kind: "dead", step: 120, message: "dead units: 53 % of layer 9" })).toBe(
      "alert (dead) at step 120: dead units: 53 % of layer 9",
    );
  });

  it("reads a real vanishing run's alert in plain words", async () => {
    const alerts = await lastValueFrom(
      train({ activation: "sigmoid", depth: 20, width: 16, init: "standard", steps: 5, seed: 1 }).pipe(filter(isRow("alert")), toArray()),
    );
    const vanishing = alerts.find((a) => a.kind === "vanishing");
    expect(vanishing).toBeDefined();
    expect(alertLine(vanishing!)).toMatch(/^alert \(vanishing\) at step 1: vanishing gradients: ∂L\/∂z at layer 0 is \d(\.\d)?e-\d+ × that of layer 19 \(threshold 1e-3\)$/);
  });
});
