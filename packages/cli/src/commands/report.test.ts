// Browser test: the report opens from file: in Debian's Chromium with no network and no console errors.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { cli } from "../internal/testing/cli.js";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe("gradscope report", () => {
  it("writes a self-contained HTML report that Chromium opens offline without errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradscope-report-"));
    const runs = join(dir, "runs");
    mkdirSync(runs);
    for (const activation of ["sigmoid", "relu"]) {
      const r = await cli("run", "--activation", activation, "--depth", "6", "--width", "12", "--steps", "40", "--out", join(runs, `${activation}.ndjson`));
      expect(r.code).toBe(0);
    }
    const out = join(dir, "report.html");
    const r = await cli("report", runs, "--out", out);
    expect(r.code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/)/); // no code, no remote URL (SVG namespaces aside)
    expect(html).not.toContain("not drawn");

    expect(existsSync(chromiumPath)).toBe(true);
    const profile = mkdtempSync(join(tmpdir(), "gradscope-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath, headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    const problems: string[] = [];
    try {
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
        problems.push(`request left file:/data: ${url}`);
        return route.abort();
      });
      const page = await context.newPage();
      page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("requestfailed", (req) => problems.push(`failed: ${req.url()}`));
      await page.goto(pathToFileURL(out).href, { waitUntil: "load" });
      expect(await page.locator("table tbody tr").count()).toBe(2);
      expect(await page.locator("svg").count()).toBeGreaterThanOrEqual(10);
      expect(await page.locator("h2", { hasText: "Comparison across runs" }).count()).toBe(1);
      // every image (the heatmap's colour legend) decoded from its data: URL
      const broken = await page.$$eval("img", (imgs) => imgs.filter((i) => !(i as HTMLImageElement).complete || (i as HTMLImageElement).naturalWidth === 0).length);
      expect(broken).toBe(0);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
    expect(problems).toEqual([]);
  });

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
