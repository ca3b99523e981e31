import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../internal/testing/cli.js";
import { loadSweepFile, parseSweepFile } from "./sweepFile.js";

const issueExample = `name: act-depth
base: {dataset: spiral, steps: 300, width: 16}
grid: {activation: [relu, elu], depth: [2, 4]}
seeds: [1, 2, 3]
`;

describe("sweep files", () => {
  it("reads the issue's YAML, and the same keys in JSON, to the same spec", () => {
    const yaml = parseSweepFile(issueExample, "yaml");
    expect(yaml).toEqual({
      name: "act-depth", base: { dataset: "spiral", steps: 300, width: 16 }, grid: { activation: ["relu", "elu"], depth: [2, 4] },
      seeds: [1, 2, 3], stop: {}, keep: ["step", "layer", "eval", "alert", "bands", "histogram", "boundary"],
    });
    const json = JSON.stringify({ name: "act-depth", base: { dataset: "spiral", steps: 300, width: 16 }, grid: { activation: ["relu", "elu"], depth: [2, 4] }, seeds: [1, 2, 3] });
    expect(parseSweepFile(json, "json")).toEqual(yaml);
    const dir = mkdtempSync(join(tmpdir(), "gradscope-sweepfile-"));
    writeFileSync(join(dir, "s.json"), json);
    writeFileSync(join(dir, "s.yml"), issueExample);
    expect(loadSweepFile(join(dir, "s.json"))).toEqual(loadSweepFile(join(dir, "s.yml")));
  });

  it("reads random axes, a seed count, a step budget, stop rules and the rows to keep", () => {
    const spec = parseSweepFile(`name: lr-search
base: {activation: elu}
random: {count: 4, seed: 7, axes: {lr: {logUniform: [0.0001, 0.1]}, width: {choice: [16, 32]}}}
seeds: 2
steps: 200
stop: {targetLoss: 0.2, divergeAbove: 50}
keep: [step, eval]
`, "yaml");
    expect(spec.seeds).toEqual([1, 2]);
    expect(spec.random).toEqual({ count: 4, seed: 7, axes: { lr: { logUniform: [0.0001, 0.1] }, width: { choice: [16, 32] } } });
    expect(spec.steps).toBe(200);
    expect(spec.stop).toEqual({ targetLoss: 0.2, divergeAbove: 50 });
    expect(spec.keep).toEqual(["step", "eval"]);
  });

  it("names the key of every mistake", () => {
    const bad: [string, string][] = [
      ["base: {}\nseeds: [1]", "sweep file: name: required"],
      ["name: a/b", 'sweep file: name "a/b" is not a safe name'],
      ["name: a\nbase: {widht: 16}", 'sweep file: base: unknown run-config key "widht"'],
      ["name: a\nbase: {depth: \"4\"}", 'sweep file: base: run-config key "depth" must be a number, got string "4"'],
      ["name: a\nbase: {digitsUrl: \"http://x/d.bin\"}", "sweep file: base: digitsUrl is not allowed"],
      ["name: a\nbase: {probes: {evry: 2}}", 'sweep file: base: unknown run-config probes key "evry"'],
      ["name: a\ngrid: {depht: [2]}", "sweep file: grid.depht: unknown run-config key"],
      ["name: a\ngrid: {depth: 2}", "sweep file: grid.depth: expected a non-empty list"],
      ["name: a\ngrid: {depth: [2, {x: 1}]}", "sweep file: grid.depth[1]: expected a number, string or boolean"],
      ["name: a\ngrid: {seed: [1, 2]}", "sweep file: grid.seed: use seeds"],
      ["name: a\nseeds: [1, 1.5]", "sweep file: seeds[1]: expected an integer, got 1.5"],
      ["name: a\nseeds: 0", "sweep file: seeds: expected a positive count"],
      ["name: a\nsteps: -3", "sweep file: steps: expected a positive integer, got -3"],
      ["name: a\nstop: {targetLos: 0.1}", "sweep file: stop.targetLos: unknown key"],
      ["name: a\nstop: {targetLoss: -1}", "sweep file: stop.targetLoss: expected a positive number, got -1"],
      ["name: a\nkeep: [step, layers]", 'sweep file: keep[1]: unknown row type "layers"'],
      ["name: a\ngrids: {depth: [2]}", "sweep file: grids: unknown key"],
      ["name: a\nrandom: {count: 2, axes: {lr: {uniform: [1, 0]}}}", "sweep file: random.axes.lr.uniform: expected [low, high] with low < high"],
      ["name: a\nrandom: {count: 2, axes: {lr: {normal: [0, 1]}}}", "sweep file: random.axes.lr.normal: unknown law"],
      ["name: a\ngrid: {lr: [0.1]}\nrandom: {count: 2, axes: {lr: {uniform: [0, 1]}}}", "sweep file: random.axes.lr: already a grid axis"],
      ["name: [a", "sweep file: not valid YAML"],
    ];
    for (const [text, message] of bad) expect(() => parseSweepFile(text, "yaml"), text).toThrow(message);
    expect(() => parseSweepFile("{name: 1", "json")).toThrow("sweep file: not valid JSON");
  });

  it("gradscope sweep --dry-run prints the run count and the first points; a bad file exits 2 naming the key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradscope-dryrun-"));
    writeFileSync(join(dir, "s.yaml"), issueExample);
    const { code, out } = await cli("sweep", join(dir, "s.yaml"), "--dry-run");
    expect(code).toBe(0);
    expect(out.split("\n")[0]).toBe("act-depth: 12 runs (activation × depth × 3 seeds)");
    expect(out).toContain('  act-depth.activation-relu.depth-2.seed-1  {"activation":"relu","depth":2,"seed":1}');
    expect(out).toContain("… 7 more");
    writeFileSync(join(dir, "bad.yaml"), issueExample.replace("depth: [2, 4]", "depth: [2, 0]"));
    const bad = await cli("sweep", join(dir, "bad.yaml"), "--dry-run");
    expect(bad.code).toBe(2);
    expect(bad.err.trim()).toBe("gradscope sweep: sweep file: run act-depth.activation-relu.depth-0.seed-1: depth must be a positive integer, got 0");
    writeFileSync(join(dir, "typo.yaml"), issueExample.replace("width: 16", "widht: 16"));
    const typo = await cli("sweep", join(dir, "typo.yaml"), "--out", join(dir, "out"));
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/^gradscope sweep: sweep file: base: unknown run-config key "widht"/);
  });
});
