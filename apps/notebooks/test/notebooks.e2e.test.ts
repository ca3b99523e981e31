// Browser test: every notebook opens from the built app served on loopback, in Debian's Chromium.
// Fails on any console error, any uncaught exception, and any request that leaves loopback.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chromiumPath, countWorkers, launchBrowser, liveWorkers, openPage, scrollToView, type Browser } from "../scripts/browser.ts";
import { serveStatic, type StaticServer } from "./serveStatic.js";

const app = fileURLToPath(new URL("..", import.meta.url));
const dist = `${app}dist`;
const results = `${app}test-results`;
const notebooks = readdirSync(fileURLToPath(new URL("../../../notebooks", import.meta.url)))
  .filter((name) => name.endsWith(".html"))
  .sort();
// The notebooks the index links to, in its order: every one of them is tested live, whoever wrote it.
const linked = [...readFileSync(fileURLToPath(new URL("../../../notebooks/index.html", import.meta.url)), "utf8")
  .matchAll(/\]\(\.\/([\w-]+\.html)\)|href="\.\/([\w-]+\.html)"/g)]
  .map((m) => m[1] ?? m[2]!)
  .filter((name, i, all) => all.indexOf(name) === i);
/**
 * How long a wait for something the page will do may take: a guard against a hang, not an estimate. The
 * tests wait for events (a step counter moving, a state attribute, a redraw); on a busy 2-core machine
 * (other jobs, or scripts/test-under-load.sh) those take many times longer than on a quiet one.
 */
const WAIT = 120_000;

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  // `pnpm test` builds first (turbo run build); build here only when run on its own without a dist/.
  if (!existsSync(`${dist}/index.html`)) execFileSync("pnpm", ["run", "build"], { cwd: app, stdio: "inherit" });
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium`);
  mkdirSync(results, { recursive: true });
  server = await serveStatic(dist);
  browser = await launchBrowser(); // Playwright refuses --user-data-dir in args: a fresh profile dir instead
  const { context } = browser;
  await countWorkers(context);
  context.setDefaultTimeout(WAIT); // clicks, waitFor and navigation wait for the page, however busy the machine
  context.setDefaultNavigationTimeout(WAIT);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a notebook, recording console errors, page errors and every request that leaves loopback. */
function open(name: string): Promise<{ page: Page; problems: string[] }> {
  return openPage(browser.context, `${server.url}/${name}`);
}

/** The bars of the product-of-uniforms histogram, as a string that changes when the data does. */
async function histogram(page: Page): Promise<string> {
  return page.locator("#cell-8 svg g[aria-label=rect] rect").evaluateAll((rects) =>
    rects.map((r) => `${r.getAttribute("x")},${r.getAttribute("height")}`).join(" "),
  );
}

/** A fingerprint of every live view's markup: it changes when any plot's marks or data do. */
async function picture(page: Page): Promise<string> {
  return page.locator("main .gradscope-live").evaluateAll((views) => {
    let h = 0;
    for (const v of views) for (const c of v.innerHTML) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
    return `${views.length}:${h}`;
  });
}

/**
 * What the page and each of its training workers see of cross-origin isolation: `crossOriginIsolated` and
 * whether SharedArrayBuffer exists (the wasm backend's shared memory, hence threads: 2, needs both); and how
 * many helper threads run (the wasm backend's Blob-URL workers, which never return to their event loop, so
 * they cannot be asked anything).
 */
async function isolation(page: Page): Promise<{ page: string; workers: string[]; helpers: number }> {
  const probe = () => `${crossOriginIsolated} ${typeof SharedArrayBuffer}`;
  const all = page.workers();
  const helpers = all.filter((w) => w.url().startsWith("blob:"));
  // a worker whose run has just ended may close under us (or never answer): it is left out
  const ask = (w: (typeof all)[number]) =>
    Promise.race([w.evaluate(probe).catch(() => null), new Promise<null>((done) => setTimeout(() => done(null), 30_000))]);
  const answers = await Promise.all(all.filter((w) => !helpers.includes(w)).map(ask));
  return { page: await page.evaluate(probe), workers: answers.filter((w) => w !== null), helpers: helpers.length };
}


describe("notebooks app (built, served on loopback, in Chromium)", { timeout: 900_000 }, () => {
  it("has an index linking every notebook", async () => {
    const { page, problems } = await open("index.html");
    const links = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    for (const name of notebooks.filter((n) => n !== "index.html")) expect(links).toContain(`./${name}`);
    await page.screenshot({ path: `${results}/index.png`, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("links notebooks from the index", () => expect(linked.length).toBeGreaterThan(0));

  for (const name of linked) {
    it(`${name}: trains live in a worker; pause, step and resume work; an input change restarts the run`, async () => {
      const { page, problems } = await open(name);
      try {
        const panel = page.locator(".gradscope-controls").first();
        const step = async () => Number(await panel.getAttribute("data-step"));
        // every run's steps summed: a race (the choosing notebook) starts its next run when one finishes, so its
        // slowest run's step (data-step) can fall to 1 on a Step that finished a run; this count only grows
        const taken = async () => Number(await panel.getAttribute("data-steps-taken"));
        const stateOf = () => panel.getAttribute("data-state");
        await panel.waitFor({ timeout: WAIT });
        expect(problems, "before training").toEqual([]); // a CDN request or an error explains what follows

        // Phase: not seen yet. The run waits below the fold, and every live view says so in its place –
        // no empty axes. Read at one instant (one evaluate) once the views' first drawing is done.
        const redrawing = () => page.locator("main .gradscope-live[data-pending]").count();
        await expect.poll(redrawing, { timeout: WAIT }).toBe(0);
        const waiting = await page.evaluate(() => ({
          state: document.querySelector<HTMLElement>(".gradscope-controls")?.dataset.state,
          views: Array.from(document.querySelectorAll("main .gradscope-live"), (v) => ({
            words: v.hasAttribute("data-placeholder") ? v.querySelector(".gradscope-placeholder-text")?.textContent : "drawn",
            plot: v.querySelector("svg") !== null,
            height: v.getBoundingClientRect().height,
          })),
        }));
        expect(waiting.state, "the run waits until seen").toBe("waiting");
        expect(waiting.views.length, "live views").toBeGreaterThan(0);
        for (const { words } of waiting.views) expect(words).toMatch(/^(waiting for the first probe|loading [\d,]+ digits)…$/);

        await scrollToView(panel); // a run starts when its cell is seen

        // Phase: live. Steps advance and the plots change while the run trains; the placeholders are gone.
        const first = await picture(page);
        await expect.poll(step, { timeout: WAIT }).toBeGreaterThan(0);
        await expect.poll(() => picture(page), { timeout: WAIT }).not.toBe(first);
        await expect.poll(() => page.locator("main .gradscope-live[data-placeholder]").count(), { timeout: WAIT }).toBe(0);
        // a plot takes the room its placeholder kept: nothing below it jumps (tables and sentences grow with their rows)
        const heights = await page.locator("main .gradscope-live").evaluateAll((vs) => vs.map((v) => v.getBoundingClientRect().height));
        waiting.views.forEach((v, i) => v.plot && expect(heights[i], `live view ${i}: its height once drawn`).toBeCloseTo(v.height, 0));
        expect(await page.locator("main .gradscope-live svg g[aria-label] :is(path, rect, circle, line)").count(), "plot marks").toBeGreaterThan(0);
        const workers = await liveWorkers(page);
        expect(workers, "training runs in Web Workers").toBeGreaterThan(0);

        // Phase: pause. Rows already on their way may still land: wait for every run's "paused" row (the
        // panel's data-held), an event – on a busy machine a quiet spell proved nothing (a starved worker's
        // rows came 1,400 steps later); then nothing changes.
        const held = () => panel.getAttribute("data-held");
        await panel.locator("button[name=pause]").click();
        expect(await stateOf()).toBe("paused");
        await expect.poll(held, { timeout: WAIT }).toBe("true");
        // asked while held: every run's worker is alive and idle, so it answers (a training worker could end its
        // run, or be too busy to answer, under a busy machine: CI once saw none answer)
        const isolated = await isolation(page);
        expect(isolated.page, "page cross-origin isolated, with SharedArrayBuffer").toBe("true function");
        expect(isolated.workers.length, "workers seen").toBeGreaterThan(0);
        for (const w of isolated.workers) expect(w, "worker cross-origin isolated, with SharedArrayBuffer").toBe("true function");
        await expect.poll(redrawing, { timeout: WAIT }).toBe(0); // the held picture is drawn
        const paused = await taken();
        const frozen = await picture(page);
        await page.waitForTimeout(600);
        expect(await taken(), "no steps while paused").toBe(paused);
        expect(await picture(page), "no redraw while paused").toBe(frozen);

        // Phase: step. One click advances the run (by the panel's step size) and stays paused.
        await panel.locator("button[name=step]").click().catch(async (e: unknown) => {
          // the button is disabled once the run has ended: say how (the panel's status) and what the page logged
          const said = await panel.locator("output").textContent();
          throw new Error(`the step button did not take a click; the panel says "${said}"; page problems: ${JSON.stringify(problems)}`, { cause: e });
        });
        await expect.poll(taken, { timeout: WAIT }).toBeGreaterThan(paused);
        await expect.poll(() => picture(page), { timeout: WAIT }).not.toBe(frozen);
        await expect.poll(held, { timeout: WAIT }).toBe("true"); // the step's last rows are in
        const stepped = await taken();
        expect(await stateOf()).toBe("paused");

        // Phase: resume. Training continues from where it was.
        await panel.locator("button[name=resume]").click();
        const ended = async () => (await stateOf()) === "completed" ? Infinity : taken(); // a short run may end here
        await expect.poll(ended, { timeout: WAIT }).toBeGreaterThan(stepped + 1);
        await page.screenshot({ path: `${results}/${name.replace(/\.html$/, "")}.png`, fullPage: true });

        // Phase: restart. Changing the seed tears the run down (its workers end) and starts a new one.
        if ((await stateOf()) === "running") await panel.locator("button[name=pause]").click();
        await panel.evaluate((el) => el.setAttribute("data-old-run", ""));
        const seed = page.getByLabel("seed", { exact: true });
        await seed.fill(String(Number(await seed.inputValue()) + 1));
        await seed.dispatchEvent("change");
        await expect.poll(() => page.locator(".gradscope-controls[data-old-run]").count(), { timeout: WAIT }).toBe(0);
        await scrollToView(panel); // the new run starts when seen
        await expect.poll(stateOf, { timeout: WAIT }).toBe("running");
        const restartedAt = await step();
        await expect.poll(step, { timeout: WAIT }).toBeGreaterThan(restartedAt);
        await expect.poll(() => liveWorkers(page), { message: "old workers terminated", timeout: WAIT }).toBe(workers);

        expect(problems).toEqual([]);
        expect(await page.locator("main .observablehq--error").count(), "cells in error").toBe(0);
        expect(await page.locator("main .gradscope-error").count(), "runs or views in error").toBe(0);
      } finally {
        await page.close();
      }
    });
  }

  it("vanishing-gradients: with threads 2 the run trains on shared memory with a helper thread", async () => {
    const { page, problems } = await open("vanishing-gradients.html");
    try {
      const panel = page.locator(".gradscope-controls").first();
      const step = async () => Number(await panel.getAttribute("data-step"));
      await panel.waitFor({ timeout: WAIT });
      await scrollToView(panel); // a run starts when its cell is seen
      expect(await page.locator("#cell-27").textContent()).toContain("this one is –");
      await page.locator("#cell-27 summary").click(); // the threads input sits in a closed engineering-detail toggle
      /** Changes an input and waits for the run it restarts. */
      const restart = async (change: () => Promise<void>) => {
        await panel.evaluate((el) => el.setAttribute("data-old-run", ""));
        await change();
        await expect.poll(() => page.locator(".gradscope-controls[data-old-run]").count(), { timeout: WAIT }).toBe(0);
        await scrollToView(panel);
      };
      // 128 units: every hidden layer's products (32 × 128 × 128 multiply-adds) are large enough to split
      await restart(async () => {
        const units = page.getByLabel("units per layer", { exact: true });
        await units.fill("128");
        await units.dispatchEvent("change");
      });
      await restart(() => page.locator("#cell-27").getByLabel("2", { exact: true }).check());

      // Phase: live. Rows arrive and the plots change.
      const first = await picture(page);
      await expect.poll(step, { timeout: WAIT }).toBeGreaterThan(10);
      await expect.poll(() => picture(page), { timeout: WAIT }).not.toBe(first);
      const isolated = await isolation(page);
      expect(isolated.page).toBe("true function");
      expect(isolated.workers.length, "the training worker seen").toBeGreaterThan(0);
      for (const w of isolated.workers) expect(w, "worker cross-origin isolated, with SharedArrayBuffer").toBe("true function");
      expect(isolated.helpers, "the backend's helper thread").toBe(1);

      // Phase: stop. The run's status row names its kernels: the two-thread wasm backend.
      await panel.locator("button[name=stop]").click();
      await expect.poll(() => panel.getAttribute("data-state"), { timeout: WAIT }).toBe("stopped");
      await expect.poll(() => page.locator("main .kernels").textContent(), { timeout: WAIT }).toMatch(/^This run's kernels: wasm-\w+-2threads; \d+ matrix products shared by the second thread\.$/);
      await page.screenshot({ path: `${results}/vanishing-gradients-2-threads.png`, fullPage: true });
      expect(problems).toEqual([]);
      expect(await page.locator("main .observablehq--error").count(), "cells in error").toBe(0);
      expect(await page.locator("main .gradscope-error").count(), "runs or views in error").toBe(0);
    } finally {
      await page.close();
    }
  });

  it("vanishing-gradients: the histogram renders and follows the factors slider", async () => {
    const { page, problems } = await open("vanishing-gradients.html");
    // the live half needs no CPU here (dispatched: the button may already be disabled if the run ended)
    await page.locator(".gradscope-controls button[name=pause]").dispatchEvent("click");
    const bars = page.locator("#cell-8 svg g[aria-label=rect] rect");
    await expect.poll(() => bars.count(), { timeout: WAIT }).toBeGreaterThan(10);
    await expect.poll(() => page.locator("#cell-12 svg g[aria-label=line] path").count(), { timeout: WAIT }).toBe(2); // σ and σ′
    const label = page.locator("#cell-8 svg g[aria-label=text] text").first();
    expect(await label.textContent()).toMatch(/^8\d\.\d% of 10000 draws < 10⁻¹⁸$/);
    const before = await histogram(page);

    // Phase: move the slider to 150 factors; the cells downstream re-run.
    await page.locator("#cell-4 input[type=range]").fill("150");
    await expect.poll(() => histogram(page), { timeout: WAIT }).not.toBe(before);
    await expect.poll(() => label.textContent(), { timeout: WAIT }).toBe("100.00% of 10000 draws < 10⁻¹⁸");
    await expect.poll(() => page.locator("#cell-10").textContent(), { timeout: WAIT }).toContain("With 150 factors");
    await page.screenshot({ path: `${results}/vanishing-gradients-150-factors.png`, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
