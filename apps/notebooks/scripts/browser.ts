// Debian's Chromium through playwright-core, launched the way every browser check here launches it: headless,
// no background networking, a fresh profile; pages that record console errors and requests off loopback.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile directory (removed on close). */
export async function launchBrowser(viewport = { width: 1100, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(`${tmpdir()}/gradscope-chromium-`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Counts the Web Workers alive in every page of `context` (page.workers() misses module workers here): read it
 * with `liveWorkers(page)`.
 */
export async function countWorkers(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = globalThis.Worker;
    const w = globalThis as unknown as { liveWorkers: number };
    w.liveWorkers = 0;
    globalThis.Worker = class extends Native {
      private alive = true;
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        w.liveWorkers++;
      }
      override terminate() {
        if (this.alive) w.liveWorkers--;
        this.alive = false;
        super.terminate();
      }
    };
  });
}

/** Web Workers started and not yet terminated in a page of a context passed to {@link countWorkers}. */
export function liveWorkers(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { liveWorkers?: number }).liveWorkers ?? 0);
}

/**
 * Opens `url` (at `width` CSS pixels, 900 high, when given), recording console errors, page errors and every
 * request that leaves loopback (aborted).
 */
export async function openPage(context: BrowserContext, url: string, width?: number): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  if (width !== undefined) await page.setViewportSize({ width, height: 900 });
  const problems: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && problems.push(`console error: ${m.text()}`)));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.route("**/*", (route) => {
    const target = new URL(route.request().url());
    if (target.hostname === "127.0.0.1" || target.hostname === "localhost") return route.continue();
    problems.push(`request left loopback: ${target.href}`);
    return route.abort();
  });
  await page.goto(url, { waitUntil: "networkidle" });
  return { page, problems };
}

/**
 * Scrolls `locator`'s element into view. Playwright's scrollIntoViewIfNeeded fails at once when the element is
 * detached while it waits for it to be stable, which happens to a run's panel whenever its cell re-runs (an input
 * changed, debounced): then the locator is resolved again, to the panel that replaced it. Each try waits for an
 * element, so this waits for events, not for time.
 */
export async function scrollToView(locator: Locator, tries = 20): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await locator.scrollIntoViewIfNeeded();
    } catch (e) {
      if (i >= tries || !/not attached/.test(String((e as Error).message))) throw e;
    }
  }
}

/** Scales a PNG to `width` pixels wide in the page's own canvas (no image library needed). */
export async function shrinkPng(page: Page, png: Buffer, width: number): Promise<Buffer> {
  const data = await page.evaluate(async ({ src, width }) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = Math.round((img.height * width) / img.width);
    const g = canvas.getContext("2d")!;
    g.imageSmoothingQuality = "high";
    g.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL("image/png");
  }, { src: `data:image/png;base64,${png.toString("base64")}`, width });
  return Buffer.from(data.slice(data.indexOf(",") + 1), "base64");
}
