// Browser test: every notebook opens from the built app served on loopback, in Debian's Chromium.
// Fails on any console error, any uncaught exception, and any request that leaves loopback.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { serveStatic, type StaticServer } from "./serveStatic.js";

const app = fileURLToPath(new URL("..", import.meta.url));
const dist = `${app}dist`;
const results = `${app}test-results`;
const notebooks = readdirSync(fileURLToPath(new URL("../../../notebooks", import.meta.url)))
  .filter((name) => name.endsWith(".html"))
  .sort();
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let server: StaticServer;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  // `pnpm test` builds first (turbo run build); build here only when run on its own without a dist/.
  if (!existsSync(`${dist}/index.html`)) execFileSync("pnpm", ["run", "build"], { cwd: app, stdio: "inherit" });
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium`);
  mkdirSync(results, { recursive: true });
  server = await serveStatic(dist);
  // Playwright refuses --user-data-dir in args; a persistent context on a fresh temp dir is the same thing.
  profile = mkdtempSync(`${tmpdir()}/gradscope-chromium-`);
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Opens a page, recording console errors, page errors and every request that leaves loopback. */
async function open(name: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && problems.push(`console error: ${m.text()}`)));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
    problems.push(`request left loopback: ${url.href}`);
    return route.abort();
  });
  await page.goto(`${server.url}/${name}`, { waitUntil: "networkidle" });
  return { page, problems };
}

/** The bars of the product-of-uniforms histogram, as a string that changes when the data does. */
async function histogram(page: Page): Promise<string> {
  return page.locator("#cell-8 svg g[aria-label=rect] rect").evaluateAll((rects) =>
    rects.map((r) => `${r.getAttribute("x")},${r.getAttribute("height")}`).join(" "),
  );
}

describe("notebooks app (built, served on loopback, in Chromium)", () => {
  it("has an index linking every notebook", async () => {
    const { page, problems } = await open("index.html");
    const links = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    for (const name of notebooks.filter((n) => n !== "index.html")) expect(links).toContain(`./${name}`);
    await page.screenshot({ path: `${results}/index.png`, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("opens every notebook and renders its plots", async () => {
    for (const name of notebooks) {
      const { page, problems } = await open(name);
      // Every notebook but the index shows at least one Plot figure with marks drawn.
      const marks = page.locator("main svg g[aria-label] :is(path, rect, circle, line)");
      const drawn = name === "index.html" || (await expect.poll(() => marks.count()).toBeGreaterThan(0).then(() => true, () => false));
      await page.screenshot({ path: `${results}/${name.replace(/\.html$/, "")}.png`, fullPage: true });
      expect(problems, name).toEqual([]); // first: a CDN request or an error explains missing marks
      expect(drawn, `${name}: no plot marks`).toBe(true);
      expect(await page.locator("main .observablehq--error").count(), `${name}: cells in error`).toBe(0);
      await page.close();
    }
  });

  it("vanishing-gradients: the histogram renders and follows the factors slider", async () => {
    const { page, problems } = await open("vanishing-gradients.html");
    const bars = page.locator("#cell-8 svg g[aria-label=rect] rect");
    await expect.poll(() => bars.count()).toBeGreaterThan(10);
    await expect.poll(() => page.locator("#cell-12 svg g[aria-label=line] path").count()).toBe(2); // σ and σ′
    const label = page.locator("#cell-8 svg g[aria-label=text] text").first();
    expect(await label.textContent()).toMatch(/^8\d\.\d% of 10000 draws < 10⁻¹⁸$/);
    const before = await histogram(page);

    // Phase: move the slider to 150 factors; the cells downstream re-run.
    await page.locator("#cell-4 input[type=range]").fill("150");
    await expect.poll(() => histogram(page)).not.toBe(before);
    await expect.poll(() => label.textContent()).toBe("100.00% of 10000 draws < 10⁻¹⁸");
    await expect.poll(() => page.locator("#cell-10").textContent()).toContain("With 150 factors");
    await page.screenshot({ path: `${results}/vanishing-gradients-150-factors.png`, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
