// A real sweep (2 activations × 2 depths × 3 seeds) reported by `gradscope report DIR`: every number the page
// shows is recomputed here from the recordings' rows, independently of scoreRun / scoreSweep.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { cli } from "../internal/testing/cli.js";
import { openReport } from "../internal/testing/openReport.js";
import { spread } from "./renderSweepReport.js";
import { expandSweep } from "../sweep/expandSweep.js";
import { writeFailure } from "../sweep/recordings.js";
import { runLocalSweep } from "../sweep/runLocalSweep.js";
import { parseSweepFile } from "../sweep/sweepFile.js";
import { writeManifest } from "../sweep/sweepManifest.js";

type Rec = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "string" ? Number(v) : (v as number)); // NDJSON writes NaN as "NaN"
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
/** Student's t, 97.5 % quantile, by degrees of freedom (tables). */
const t975: Record<number, number> = { 1: 12.70620474, 2: 4.30265273, 3: 3.182446305, 4: 2.776445105, 5: 2.570581836 };
const sig3 = (v: number) => String(Number(v.toPrecision(3)));

/** Held-out loss and accuracy where early stopping (patience 5) keeps the run: the protocol's rule, written out again here. */
function bestHeldOut(file: string): { loss: number; accuracy: number } | null {
  const evals = readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as Rec).filter((r) => r.type === "eval");
  let best: { loss: number; accuracy: number } | null = null, waited = 0;
  for (const e of evals) {
    const loss = num(e.loss);
    if (!Number.isFinite(loss)) continue;
    if (best === null || loss < best.loss) [best, waited] = [{ loss, accuracy: num(e.accuracy) }, 0];
    else if (++waited >= 5) break;
  }
  return best;
}

describe("gradscope report DIR for a sweep", () => {
  it("races each axis, draws the heatmap and names the best configuration from the recordings; counts failed and missing runs; opens in Chromium", async () => {
    const spec = parseSweepFile(`name: rep
base: {dataset: spiral, width: 8, probes: {every: 10}, evalEvery: 5, lr: 0.05}
grid: {activation: [relu, tanh], depth: [2, 4]}
seeds: [1, 2, 3]
steps: 60
`, "yaml");
    const dir = mkdtempSync(join(tmpdir(), "gradscope-sweep-report-"));
    writeManifest(dir, spec);
    const runs = expandSweep(spec);
    const result = await runLocalSweep(runs, { outDir: dir, concurrency: 2, stop: spec.stop, keep: spec.keep });
    expect(result.failed).toEqual([]);
    // one run failed (its recording replaced by a failure note), one not run yet (still running, say)
    const failedId = "rep.activation-relu.depth-2.seed-2", missingId = "rep.activation-tanh.depth-4.seed-3";
    rmSync(join(dir, `${failedId}.ndjson`));
    writeFailure(dir, failedId, "worker thread exited with code 1");
    rmSync(join(dir, `${missingId}.ndjson`));

    const out = join(dir, "report.html");
    const r = await cli("report", dir, "--out", out);
    expect(r.err).not.toMatch(/warning|error/i); // stderr has the progress bar only
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${out} (sweep rep: 10 of 12 runs finished, 1 missing)\n`);
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/)/);
    expect(html).not.toContain("not drawn");
    const doc = new JSDOM(html).window.document;

    // the recordings, read here: each run's held-out loss at its early-stopping step
    const there = runs.filter((run) => existsSync(join(dir, `${run.id}.ndjson`)));
    expect(there).toHaveLength(10);
    const loss = new Map(there.map((run) => [run.id, bestHeldOut(join(dir, `${run.id}.ndjson`))!.loss]));
    const valuesWhere = (pred: (p: Rec) => boolean) => there.filter((run) => pred(run.point)).map((run) => loss.get(run.id)!);

    // a race table per axis: mean over the seeds and the other axis, its 95 % interval, best first
    for (const [axis, values] of [["activation", ["relu", "tanh"]], ["depth", [2, 4]]] as const) {
      const table = doc.querySelector(`table.axis-race[data-axis="${axis}"]`)!;
      const rows = [...table.querySelectorAll("tbody tr")];
      expect(rows.map((tr) => tr.getAttribute("data-name")).sort()).toEqual(values.map(String).sort());
      const means: number[] = [];
      for (const tr of rows) {
        const xs = valuesWhere((p) => String(p[axis]) === tr.getAttribute("data-name"));
        expect(xs).toHaveLength(5); // 6 runs per value, one failed or missing
        expect(Number(tr.getAttribute("data-n"))).toBe(5);
        expect(Number(tr.getAttribute("data-mean"))).toBeCloseTo(mean(xs), 12);
        const half = t975[4]! * sd(xs) / Math.sqrt(5);
        expect(tr.children[2]!.textContent).toBe(`${sig3(mean(xs))} ± ${sig3(half)}`);
        expect(tr.children[1]!.textContent).toBe("5 of 6");
        means.push(mean(xs));
      }
      expect(means[0]).toBeLessThanOrEqual(means[1]!); // best first
      expect(rows[0]!.lastElementChild!.textContent).toMatch(/^(best|tied for best)$/);
    }

    // the heatmap: activation (columns) × depth (rows), each cell the mean over its seeds, printed in the cell
    const cells = [...doc.querySelectorAll("#heatmap g[aria-label='cell value'] text")].map((t) => t.textContent);
    const expected = [2, 4].flatMap((depth) => ["relu", "tanh"].map((activation) => sig3(mean(valuesWhere((p) => p.activation === activation && p.depth === depth)))));
    expect(cells).toEqual(expected);
    expect(doc.querySelector("#heatmap")!.textContent).toMatch(/held-out loss at the best step \(lower is better\)/);

    // the best configuration: lowest mean over its seeds, with its interval and range
    const points = [2, 4].flatMap((depth) => ["relu", "tanh"].map((activation) => ({ activation, depth, xs: valuesWhere((p) => p.activation === activation && p.depth === depth) })));
    const best = [...points].sort((a, b) => mean(a.xs) - mean(b.xs))[0]!;
    expect(doc.querySelector(".answer b")!.textContent).toBe(`activation ${best.activation} · depth ${best.depth}`);
    const n = best.xs.length;
    expect(doc.querySelector(".answer")!.textContent).toContain(`held-out loss ${sig3(mean(best.xs))} ± ${sig3(t975[n - 1]! * sd(best.xs) / Math.sqrt(n))}`);
    expect(doc.querySelector(".answer")!.textContent).toContain(`range ${sig3(Math.min(...best.xs))}–${sig3(Math.max(...best.xs))}`);
    const configRows = [...doc.querySelectorAll("table.configs tbody tr")];
    expect(configRows).toHaveLength(4);
    expect(JSON.parse(configRows[0]!.getAttribute("data-point")!)).toEqual({ activation: best.activation, depth: best.depth });
    expect(configRows.map((tr) => Number(tr.getAttribute("data-n")))).toEqual([...points].sort((a, b) => mean(a.xs) - mean(b.xs)).map((p) => p.xs.length));

    // failed and missing runs are counted and listed, never silently dropped
    expect(doc.querySelector(".context")!.textContent).toMatch(/10 of 12 finished, 1 failed, 1 missing\. 1 of 12 recordings are missing or unfinished/);
    const notFinished = doc.querySelector("#not-finished")!.textContent!;
    expect(notFinished).toContain(`Failed (1)`);
    expect(notFinished).toContain(`${failedId}: worker thread exited with code 1`);
    expect(notFinished).toContain(`Missing (1)`);
    expect(notFinished).toContain(missingId);

    // --metric accuracy: held-out accuracy at the same early-stopping step, higher is better; --heatmap picks the axes
    const accOut = join(dir, "accuracy.html");
    expect((await cli("report", dir, "--out", accOut, "--metric", "accuracy", "--heatmap", "depth,activation", "--top", "2")).code).toBe(0);
    const acc = new JSDOM(readFileSync(accOut, "utf8")).window.document;
    const accuracy = new Map(there.map((run) => [run.id, bestHeldOut(join(dir, `${run.id}.ndjson`))!.accuracy]));
    const accWhere = (pred: (p: Rec) => boolean) => there.filter((run) => pred(run.point)).map((run) => accuracy.get(run.id)!);
    const accRows = [...acc.querySelectorAll('table.axis-race[data-axis="activation"] tbody tr')];
    for (const tr of accRows) expect(Number(tr.getAttribute("data-mean"))).toBeCloseTo(mean(accWhere((p) => p.activation === tr.getAttribute("data-name"))), 12);
    expect(Number(accRows[0]!.getAttribute("data-mean"))).toBeGreaterThanOrEqual(Number(accRows[1]!.getAttribute("data-mean")));
    expect(acc.querySelectorAll("table.configs tbody tr")).toHaveLength(2);
    // columns: depth, rows: activation; cells in percent
    const accCells = [...acc.querySelectorAll("#heatmap g[aria-label='cell value'] text")].map((t) => t.textContent);
    expect(accCells).toEqual(["relu", "tanh"].flatMap((activation) => [2, 4].map((depth) => `${(100 * mean(accWhere((p) => p.activation === activation && p.depth === depth))).toFixed(1)} %`)));
    expect(acc.querySelector("#heatmap")!.textContent).toMatch(/higher is better/);

    // the page in Chromium: offline, no console error, the answer and the best configurations on the first screen
    const { problems } = await openReport(out, async (page) => {
      const answer = (await page.locator(".answer").boundingBox())!;
      const pick = (await page.locator("table.configs tr.pick").boundingBox())!;
      expect(answer.y + answer.height).toBeLessThan(900);
      expect(pick.y + pick.height).toBeLessThan(900);
      await page.screenshot({ path: join(dir, "first-screen.png") });
      await page.screenshot({ path: join(dir, "whole-page.png"), fullPage: true });
    });
    expect(problems).toEqual([]);
    if (process.env.GRADSCOPE_SCREENSHOTS) for (const f of ["first-screen.png", "whole-page.png"]) copyFileSync(join(dir, f), join(process.env.GRADSCOPE_SCREENSHOTS, `sweep-report-${f}`));
  }, 300_000);

  it("prints ± 0 for runs equal but for float rounding, the half-width otherwise, nothing for one seed", () => {
    const f = (v: number) => String(Number(v.toPrecision(3)));
    expect(spread({ mean: 0.4321, halfWidth: 1.93e-17, n: 3 }, f)).toBe(" ± 0");
    expect(spread({ mean: 0.4321, halfWidth: 0.0123, n: 3 }, f)).toBe(" ± 0.0123");
    expect(spread({ mean: 0, halfWidth: 1e-9, n: 3 }, f)).toBe(" ± 1e-9");
    expect(spread({ mean: 0.4321, halfWidth: NaN, n: 1 }, f)).toBe("");
  });

  it("refuses a bad --metric or --heatmap axis with one line", async () => {
    const spec = parseSweepFile("name: bad\nbase: {dataset: xor, width: 4, depth: 2}\ngrid: {activation: [relu, elu]}\nseeds: [1]\nsteps: 5\n", "yaml");
    const dir = mkdtempSync(join(tmpdir(), "gradscope-sweep-report-"));
    writeManifest(dir, spec);
    const out = join(dir, "r.html");
    const metric = await cli("report", dir, "--out", out, "--metric", "speed");
    expect(metric.code).toBe(2);
    expect(metric.err).toMatch(/--metric must be loss or accuracy, got "speed"/);
    const axis = await cli("report", dir, "--out", out, "--heatmap", "activation,lr");
    expect(axis.code).toBe(2);
    expect(axis.err).toMatch(/--heatmap: lr is not an axis of this sweep \(axes: activation\)/);
    // nothing run yet: the report says so rather than failing
    const empty = await cli("report", dir, "--out", out);
    expect(empty.code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("No finished run has a held-out evaluation yet");
    expect(html).toContain("Missing (2)");
  });

  it("counts and lists diverged runs; the heatmap says how many of each cell's runs diverged", async () => {
    // lr 1e6 with plain SGD: the loss passes divergeAbove within a few steps (after the evaluation at step 0)
    const spec = parseSweepFile(`name: div
base: {dataset: spiral, width: 4, depth: 2, optimizer: sgd, evalEvery: 10}
stop: {divergeAbove: 10}
grid: {activation: [relu, tanh], lr: [0.1, 1000000]}
seeds: [1, 2]
steps: 30
`, "yaml");
    const dir = mkdtempSync(join(tmpdir(), "gradscope-sweep-report-"));
    writeManifest(dir, spec);
    const runs = expandSweep(spec);
    expect((await runLocalSweep(runs, { outDir: dir, concurrency: 2, stop: spec.stop, keep: spec.keep })).failed).toEqual([]);
    const statuses = runs.map((run) => (JSON.parse(readFileSync(join(dir, `${run.id}.ndjson`), "utf8").trimEnd().split("\n").at(-1)!) as Rec).status);
    const diverged = runs.filter((_, i) => statuses[i] === "diverged");
    const noFinite = runs.filter((run) => bestHeldOut(join(dir, `${run.id}.ndjson`)) === null);
    expect(diverged.length).toBeGreaterThan(0);
    const out = join(dir, "r.html");
    expect((await cli("report", dir, "--out", out)).code).toBe(0);
    const doc = new JSDOM(readFileSync(out, "utf8")).window.document;
    expect(doc.querySelector(".context")!.textContent).toContain(`8 of 8 finished, ${diverged.length} of them diverged`);
    const listed = doc.querySelector("#not-finished")!.textContent!;
    expect(listed).toContain(`Diverged (${diverged.length})`);
    for (const run of diverged) expect(listed).toContain(run.id);
    // heatmap activation (columns) × lr (rows): each cell the mean of its finite values, "k of n diverged" under it;
    // a cell with no finite value says "diverged"
    const cellRuns = [0.1, 1e6].flatMap((lr) => ["relu", "tanh"].map((a) => runs.filter((r) => r.point.activation === a && r.point.lr === lr)));
    const expectedTexts = cellRuns.filter((cell) => !cell.every((r) => noFinite.includes(r))).map((cell) => {
      const xs = cell.filter((r) => !noFinite.includes(r)).map((r) => bestHeldOut(join(dir, `${r.id}.ndjson`))!.loss);
      const k = cell.filter((r) => noFinite.includes(r) || diverged.includes(r)).length;
      return sig3(mean(xs)) + (k ? `${k} of ${cell.length} diverged` : "");
    });
    expect([...doc.querySelectorAll("#heatmap g[aria-label='cell value'] text")].map((t) => t.textContent)).toEqual(expectedTexts);
    expect(expectedTexts.some((t) => t.endsWith("2 of 2 diverged"))).toBe(true); // lr 1e6: every run diverged
    const allDiverged = cellRuns.filter((cell) => cell.every((r) => noFinite.includes(r)));
    expect([...doc.querySelectorAll("#heatmap g[aria-label='empty cell label'] text")].map((t) => t.textContent)).toEqual(allDiverged.map(() => "diverged"));
    // the per-axis table counts them too
    const lrRows = [...doc.querySelectorAll('table.axis-race[data-axis="lr"] tbody tr')];
    const big = lrRows.find((tr) => tr.getAttribute("data-name") === "1000000")!;
    expect(big.children[7]!.textContent).toBe(String(diverged.filter((r) => r.point.lr === 1e6).length || ""));
  }, 120_000);
});
