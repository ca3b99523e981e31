// Browser test: the report opens from file: in Debian's Chromium with no network and no console errors.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../internal/testing/cli.js";
import { openReport } from "../internal/testing/openReport.js";
import type { CompareResult } from "./compare.js";


describe("gradscope report", () => {
  it("writes a self-contained report of a race, answer first, that Chromium opens offline without errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradscope-report-"));
    const runs = join(dir, "runs");
    // a small race: 8 sigmoid layers against ReLU and ELU, 3 seeds, recorded by compare --out
    const raced = await cli("compare", "--activations", "sigmoid,relu,elu", "--dataset", "spiral", "--depth", "8", "--width", "12",
      "--steps", "150", "--seeds", "3", "--jobs", "2", "--json", "--out", runs);
    expect(raced.code).toBe(0);
    const compared = JSON.parse(raced.out) as CompareResult;
    const out = join(dir, "report.html");
    const r = await cli("report", runs, "--out", out);
    expect(r.code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/)/); // no code, no remote URL (SVG namespaces aside)
    expect(html).not.toContain("not drawn");
    // the same race as compare's: the same recommendation and tie groups, read back from the recordings
    expect(html).toContain(`Use <b>${compared.recommendation.activation}</b>`);
    for (const reason of compared.recommendation.reasons) expect(html).toContain(reason.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"));
    // the narrative names what the alerts saw: 8 sigmoid layers' gradients vanish
    expect(html).toMatch(/<li>sigmoid: gradients vanished \(first ÷ last hidden layer ‖∂L\/∂z‖ below 0\.001\) from step ~\d+ in [1-3] of 3 seeds/);

    const { problems } = await openReport(out, async (page) => {
      // the first screen (1280 × 900) holds the answer: the recommendation and the whole table
      const answer = await page.locator(".answer").boundingBox();
      const table = await page.locator("table.race").boundingBox();
      expect(answer!.y + answer!.height).toBeLessThan(900);
      expect(table!.y + table!.height).toBeLessThan(900);
      expect(await page.locator("table.race tbody tr").count()).toBe(3);
      expect(await page.locator("table.race tbody tr.pick td:nth-child(2)").textContent()).toBe(compared.recommendation.activation);
      // per-activation overlays with a band across seeds; per-run detail collapsed at the end
      expect(await page.locator("g[aria-label='seed band']").count()).toBe(3);
      expect(await page.locator("details:not([open]) > summary").count()).toBeGreaterThanOrEqual(9);
      await page.screenshot({ path: join(dir, "first-screen.png") });
    });
    expect(problems).toEqual([]);
  }, 300_000); // nine runs and a browser: minutes on a busy two-core machine

  it("adds learned PReLU slopes and percentile bands when the rows have them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradscope-report-"));
    const file = join(dir, "prelu.ndjson");
    expect((await cli("run", "--activation", "prelu", "--depth", "3", "--width", "8", "--steps", "30", "--distributions", "10", "--out", file)).code).toBe(0);
    const out = join(dir, "report.html");
    expect((await cli("report", file, "--out", out)).code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("Learned PReLU slopes α per layer");
    expect(html).toContain("Pre-activation percentiles across layers");
    expect(html).toContain("Activation percentiles across layers");
    const relu = join(dir, "relu.ndjson");
    expect((await cli("run", "--steps", "5", "--depth", "2", "--width", "4", "--out", relu)).code).toBe(0);
    expect((await cli("report", relu, "--out", out)).code).toBe(0);
    expect(readFileSync(out, "utf8")).not.toContain("Learned PReLU slopes");
  });
});
