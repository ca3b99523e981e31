import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Opens a report's HTML file in Debian's Chromium (headless, a fresh profile, 1280 × 900 – the first screen a
 * reader sees) and hands the page to `check`. Everything the page should never do is collected in `problems`,
 * which the caller asserts empty: a request that leaves file:/data: (reports are offline), a console error or
 * warning, an uncaught error, a failed request. The browser and its profile are gone when this returns.
 */
export async function openReport(file: string, check: (page: Page) => Promise<void>): Promise<{ problems: string[] }> {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), "gradscope-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, viewport: { width: 1280, height: 900 },
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
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await check(page);
    // every image (a heatmap's colour legend) decoded from its data: URL
    const broken = await page.$$eval("img", (imgs) => imgs.filter((i) => !(i as HTMLImageElement).complete || (i as HTMLImageElement).naturalWidth === 0).length);
    if (broken > 0) problems.push(`${broken} image(s) did not decode`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return { problems };
}
