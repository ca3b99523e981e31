// Browser test of the live machinery on the built notebooks (loopback, Debian's Chromium): links between
// notebooks, a run that starts when seen, Step to the next probe, speed, Restart, the grey ghost, alert
// markers for a seeded exploding run; no console error and no request off loopback anywhere.
// Every wait is for an event (a DOM state), never for a deadline.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chromiumPath, countWorkers, launchBrowser, liveWorkers, openPage, scrollToView, type Browser } from "../scripts/browser.ts";
import { notebookOrder } from "../scripts/notebookNav.ts";
import { serveStatic, type StaticServer } from "./serveStatic.js";

const app = fileURLToPath(new URL("..", import.meta.url));
const root = fileURLToPath(new URL("../../../notebooks", import.meta.url));
const results = `${app}test-results`;
const order = notebookOrder(root);
/** A guard against a hang, not an estimate: on a busy 2-core machine the events waited for take long. */
const WAIT = 120_000;

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${app}dist/index.html`)) execFileSync("pnpm", ["run", "build"], { cwd: app, stdio: "inherit" });
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium`);
  mkdirSync(results, { recursive: true });
  server = await serveStatic(`${app}dist`);
  browser = await launchBrowser();
  browser.context.setDefaultTimeout(WAIT);
  browser.context.setDefaultNavigationTimeout(WAIT);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a notebook (the context's init script counts its Web Workers). */
function open(name: string) {
  return openPage(browser.context, `${server.url}/${name}`);
}

const workers = liveWorkers;

/** A fingerprint of every live view's markup: it changes when any plot's marks or data do. */
function picture(page: Page): Promise<string> {
  return page.locator("main .gradscope-live").evaluateAll((views) => {
    let h = 0;
    for (const v of views) for (const c of v.innerHTML) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
    return `${views.length}:${h}`;
  });
}

/** Sets a range input (its number box) and fires change, as a reader typing a value does. */
async function setRange(page: Page, label: string, value: number) {
  const box = page.getByLabel(label, { exact: true });
  await box.fill(String(value));
  await box.dispatchEvent("change");
}

describe("live notebooks (built, served on loopback, in Chromium)", { timeout: 900_000 }, () => {
  beforeAll(async () => {
    await countWorkers(browser.context);
  });

  it("every notebook links to the index and to the next notebook (the last back to the index), top and bottom", async () => {
    expect(order.length).toBeGreaterThanOrEqual(9);
    for (const [i, { file }] of order.entries()) {
      const { page, problems } = await openPage(browser.context, `${server.url}/${file}`);
      try {
        for (const where of ["top", "bottom"]) {
          const nav = page.locator(`nav.gradscope-nav-${where}`);
          expect(await nav.locator("a[rel=index]").getAttribute("href"), `${file} ${where}: index`).toBe("./index.html");
          expect(await nav.locator("a[rel=next]").getAttribute("href"), `${file} ${where}: next`).toBe(`./${order[i + 1]?.file ?? "index.html"}`);
          const prev = nav.locator("a[rel=prev]");
          if (i > 0) expect(await prev.getAttribute("href")).toBe(`./${order[i - 1]!.file}`);
          else expect(await prev.count()).toBe(0);
        }
        await page.locator(".gradscope-controls").first().waitFor();
        expect(problems, file).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });

  it("the index shows a thumbnail per notebook and its corrections link to cells that exist", async () => {
    const { page, problems } = await openPage(browser.context, `${server.url}/index.html`);
    try {
      const thumbs = page.locator(".gradscope-thumbnails img");
      expect(await thumbs.count()).toBe(order.length);
      // every thumbnail is a real, loaded image (served from the app, not fetched elsewhere)
      await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth >= 200).length)).toBe(order.length);
      const corrections = await page.locator("main a[href*='.html#cell-']").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
      expect(corrections.length).toBeGreaterThanOrEqual(5);
      for (const href of corrections) {
        const [file, anchor] = href.replace("./", "").split("#") as [string, string];
        const target = await browser.context.newPage();
        await target.goto(`${server.url}/${file}`, { waitUntil: "networkidle" });
        expect(await target.locator(`#${anchor}`).count(), href).toBe(1);
        await target.close();
      }
      await page.screenshot({ path: `${results}/live-index.png`, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("vanishing-gradients: the run waits until seen; Step goes to the next probe and the plots change; slow motion; Restart and an input change leave a grey ghost", async () => {
    const { page, problems } = await open("vanishing-gradients.html");
    try {
      const panel = page.locator(".gradscope-controls").first();
      const step = async () => Number(await panel.getAttribute("data-step"));
      const state = () => panel.getAttribute("data-state");
      await panel.waitFor();

      // Phase: not seen yet. The panel is below the fold: nothing trains, no worker.
      expect(await state()).toBe("waiting");
      expect(await workers(page)).toBe(0);
      expect(await panel.locator("output").textContent()).toBe("waiting · starts when you scroll here, or press Start");

      // Phase: seen. The run starts by itself.
      await scrollToView(panel);
      await expect.poll(state, { timeout: WAIT }).toBe("running");
      await expect.poll(step, { timeout: WAIT }).toBeGreaterThan(20);
      expect(await workers(page)).toBe(1);

      // Phase: Step while paused runs to the next probed step (every 5): the gradient plots change.
      // Rows already on their way still land after a pause: the panel's data-held says when every run has
      // sent its "paused" row (an event; a quiet spell proves nothing on a busy machine). The first Step is
      // checked for where it stops (a probed step), the second for how far it goes (one probe interval).
      const held = () => panel.getAttribute("data-held");
      const redrawing = () => page.locator("main .gradscope-live[data-pending]").count();
      await panel.locator("button[name=pause]").click();
      await expect.poll(held, { timeout: WAIT }).toBe("true");
      const flow = page.locator("#cell-23 .gradscope-live");
      const pausedAt = await step();
      await panel.locator("button[name=step]").click();
      await expect.poll(step, { timeout: WAIT }).toBeGreaterThan(pausedAt);
      await expect.poll(held, { timeout: WAIT }).toBe("true");
      await expect.poll(redrawing, { timeout: WAIT }).toBe(0);
      const first = await step();
      expect(first % 5, "Step stops on a probed step").toBe(0);
      const flowBefore = await flow.innerHTML();
      await panel.locator("button[name=step]").click();
      await expect.poll(step, { timeout: WAIT }).toBe(first + 5);
      await expect.poll(() => flow.innerHTML(), { timeout: WAIT }).not.toBe(flowBefore);
      expect(await state()).toBe("paused");

      // Phase: slow motion. At 2 steps a second the worker takes its k-th step no sooner than (k − 1)/2 s after
      // the first, so k ≤ 2·t + 1 in any t seconds. Counted between two held pauses (every row landed: events),
      // the window [resume clicked, pause confirmed] holds every step the worker took: a busy machine only
      // lengthens it, and rows that land late (main thread busy) are counted in it, not outside.
      await expect.poll(held, { timeout: WAIT }).toBe("true"); // no row of the paused run is on its way
      await panel.locator("select[name=speed]").selectOption("2");
      const s0 = await step();
      const t0 = await page.evaluate(() => performance.now());
      await panel.locator("button[name=resume]").click();
      await expect.poll(step, { timeout: WAIT }).toBeGreaterThanOrEqual(s0 + 5);
      await panel.locator("button[name=pause]").click();
      await expect.poll(held, { timeout: WAIT }).toBe("true");
      const seconds = ((await page.evaluate(() => performance.now())) - t0) / 1000, s1 = await step();
      expect(s1 - s0, `steps in ${seconds.toFixed(2)} s of slow motion at 2 a second`).toBeLessThanOrEqual(2 * seconds + 1);
      await panel.locator("select[name=speed]").selectOption("Infinity");
      await panel.locator("button[name=resume]").click();
      await expect.poll(step, { timeout: WAIT }).toBeGreaterThan(s1 + 100);

      // Phase: Restart. Back to step 0, one worker, and the run so far drawn in grey.
      const reached = await step();
      await panel.locator("button[name=restart]").click();
      await expect.poll(async () => (await step()) < reached).toBe(true);
      await expect.poll(() => workers(page)).toBe(1);
      await expect.poll(() => page.locator("#cell-26 g.gradscope-ghost path").count()).toBeGreaterThan(0);
      await expect.poll(() => page.locator("#cell-23 g.gradscope-ghost path").count()).toBe(1);

      // Phase: an input change. The old run is torn down; its last picture stays as the new run's ghost.
      await panel.evaluate((el) => el.setAttribute("data-old-run", ""));
      await setRange(page, "seed", 2);
      await expect.poll(() => page.locator(".gradscope-controls[data-old-run]").count()).toBe(0);
      await scrollToView(panel);
      await expect.poll(state, { timeout: WAIT }).toBe("running");
      await expect.poll(step, { timeout: WAIT }).toBeGreaterThan(0);
      await expect.poll(() => page.locator("#cell-26 g.gradscope-ghost path").count()).toBeGreaterThan(0);
      await expect.poll(() => workers(page), { message: "one worker: the old run's is gone" }).toBe(1);
      await scrollToView(page.locator("#cell-26"));
      await page.screenshot({ path: `${results}/live-ghost.png` });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("a slider drag starts one run, not one per value it passes", async () => {
    const { page, problems } = await open("vanishing-gradients.html");
    try {
      const panel = page.locator(".gradscope-controls").first();
      await scrollToView(panel);
      await expect.poll(() => panel.getAttribute("data-state"), { timeout: WAIT }).toBe("running");
      await page.evaluate(() => ((globalThis as unknown as { started: number }).started = 0));
      await page.evaluate(() => {
        const Counted = globalThis.Worker;
        globalThis.Worker = class extends Counted {
          constructor(url: string | URL, options?: WorkerOptions) {
            super(url, options);
            (globalThis as unknown as { started: number }).started++;
          }
        };
      });
      // Phase: a drag. Thirty input events in a row, as a slider sends them, each re-running the run's cell.
      const slider = page.locator("#cell-16 input[type=range]");
      await slider.evaluate((el: HTMLInputElement) => {
        for (let v = 21; v <= 50; v++) {
          el.value = String(v);
          el.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      // the cells re-run under us: scroll to whichever panel is there now, until its run is going
      await expect.poll(async () => {
        const current = page.locator(".gradscope-controls").first();
        await current.scrollIntoViewIfNeeded({ timeout: 2000 }).catch(() => {});
        return current.getAttribute("data-state");
      }, { timeout: WAIT }).toBe("running");
      await expect.poll(async () => Number(await page.locator(".gradscope-controls").first().getAttribute("data-step")), { timeout: WAIT }).toBeGreaterThan(0);
      expect(await page.evaluate(() => (globalThis as unknown as { started: number }).started), "workers started by the drag").toBe(1);
      expect(await workers(page)).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  // seed 2: since seeds are split into streams (batches and weights no longer drawn from the data's stream), seed 1
  // no longer explodes at step 1 here; seeds 2 and 3 do (`gradscope run --activation tanh --init he --lr 0.3
  // --depth 40 --width 16 --optimizer sgd --precision float32 --seed 2`: exploding at step 1, then vanishing, dead
  // and saturated at step 2)
  it("a seeded exploding run (tanh, He, 40 layers, lr 0.3, seed 2) is marked on the loss and gradient plots and told in words", async () => {
    const { page, problems } = await open("vanishing-gradients.html");
    try {
      await page.getByLabel("activation", { exact: true }).selectOption("tanh");
      await page.getByLabel("initialisation", { exact: true }).selectOption("he");
      await page.getByLabel("learning rate", { exact: true }).selectOption("0.3");
      await setRange(page, "hidden layers", 40);
      await setRange(page, "seed", 2);
      const panel = page.locator(".gradscope-controls").first();
      await expect.poll(async () => (await page.locator("#cell-16 input[type=number]").inputValue())).toBe("40");
      await expect.poll(() => page.getByLabel("seed", { exact: true }).inputValue()).toBe("2");
      await scrollToView(panel);
      await expect.poll(async () => Number(await panel.getAttribute("data-step")), { timeout: WAIT }).toBeGreaterThan(10);
      // the CLI's words: exploding at step 1, then vanishing, dead and saturated (at the notebook's next probe, step 5)
      await expect.poll(() => page.locator("#cell-26 .gradscope-alert-marker text").allTextContents()).toContain("⚠ exploding");
      await expect.poll(() => page.locator("#cell-23 .gradscope-alert-marker text").allTextContents()).toContain("⚠ exploding (step 1)");
      const line = await panel.locator(".gradscope-happened").textContent();
      expect(line).toMatch(/^alert \((vanishing|dead|saturated|exploding)\) at step \d+: /);
      await panel.locator("button[name=pause]").click();
      await scrollToView(page.locator("#cell-26"));
      await page.screenshot({ path: `${results}/live-exploding.png` });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("elu-bias-shift: while the digits load every live view says so, at its size; the plots replace it when rows come", async () => {
    const digits = server.hold("/digits.bin"); // the workers' fetch waits at the server until released
    const { page, problems } = await open("elu-bias-shift.html");
    try {
      const panel = page.locator(".gradscope-controls").first();
      await scrollToView(panel);
      await digits.requested; // the run has started and its workers are waiting for the digits
      const views = page.locator("main .gradscope-live");
      await expect.poll(() => page.locator("main .gradscope-live[data-pending]").count()).toBe(0);
      const loading = await views.evaluateAll((vs) => vs.map((v) => ({
        words: v.hasAttribute("data-placeholder") ? v.querySelector(".gradscope-placeholder-text")?.textContent : "drawn",
        marks: v.querySelectorAll("svg g[aria-label=line] path").length,
        height: v.getBoundingClientRect().height,
      })));
      expect(loading.length).toBe(4);
      for (const v of loading) {
        expect(v.words).toBe("loading 3,000 digits…");
        expect(v.height, "the placeholder takes the view's room").toBeGreaterThan(100);
      }
      await scrollToView(page.locator("#cell-17"));
      await page.screenshot({ path: `${results}/live-elu-loading.png` });

      digits.release();
      await expect.poll(() => page.locator("main .gradscope-live[data-placeholder]").count(), { timeout: WAIT }).toBe(0);
      await expect.poll(() => page.locator("#cell-18 svg g[aria-label=line] path").count(), { timeout: WAIT }).toBeGreaterThan(0);
      const [plotHeight] = await views.evaluateAll((vs) => vs.map((v) => v.getBoundingClientRect().height));
      expect(plotHeight, "the first plot kept the placeholder's size").toBeCloseTo(loading[0]!.height, 0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("compose-your-own: beside the plot the code that defines your activation, updated as you use a new f; a typo in f (x.mul( ) or in f′ (Math.exq) is reported beside the inputs and the last good plot and code stay", async () => {
    const { page, problems } = await open("compose-your-own.html");
    try {
      const plot = page.locator("#cell-11 svg");
      const code = page.locator("#cell-11 pre.gradscope-code");
      const fInput = page.locator("#cell-8 textarea");
      await plot.first().waitFor();
      // Phase: the default preset. Its code, beside the plot (same row, to its right at this width).
      expect(await code.textContent()).toContain('export const yours = composeActivation(\n  "yours",\n  (x) => x.mul(sigmoid(x.mul(1.5))),\n');
      const [plotBox, codeBox] = [(await plot.first().boundingBox())!, (await code.boundingBox())!];
      expect(codeBox.x, "the code to the right of the plot").toBeGreaterThanOrEqual(plotBox.x + plotBox.width - 1);
      expect(codeBox.y, "on the plot's row").toBeLessThan(plotBox.y + plotBox.height);

      // Phase: a new f. The code follows.
      await fInput.fill("x.mul(tanh(softplus(x)))");
      await page.locator("#cell-8 button").click();
      await expect.poll(() => code.textContent()).toContain("const { tanh, softplus } = exprOps;");
      expect(await code.textContent()).toContain("  (x) => x.mul(tanh(softplus(x))),\n");
      // the plot and the code are one cell's output: the new code is the new plot's
      const before = await page.locator("#cell-11").innerHTML();

      // Phase: a typo. Said beside the inputs, in one line; the plot and the code keep the last f that worked.
      await fInput.fill("x.mul(");
      await page.locator("#cell-8 button").click();
      const note = page.locator(".gradscope-parse-error");
      await expect.poll(() => note.textContent()).toMatch(/^Could not read that: .+\. The plots and checks below keep the last formula that worked\.$/);
      const [inputBox, noteBox] = [(await page.locator("#cell-9 textarea").boundingBox())!, (await note.boundingBox())!];
      expect(noteBox.y - (inputBox.y + inputBox.height), "the error right under the inputs").toBeLessThan(60);
      expect(noteBox.height, "a short note, not a stack trace").toBeLessThan(40);
      expect(await page.locator("#cell-11").innerHTML(), "the last good plot and code").toBe(before);
      expect(await page.locator("main .observablehq--error").count(), "cells in error").toBe(0);

      // Phase: an f′ that parses but fails when called. Said the same way; nothing below breaks.
      await fInput.fill("x.mul(tanh(softplus(x)))");
      await page.locator("#cell-8 button").click();
      await expect.poll(() => note.textContent()).toBe("");
      await page.locator("#cell-9 textarea").fill("Math.exq(x)");
      await page.locator("#cell-9 button").click();
      await expect.poll(() => note.textContent()).toBe("Could not read that: Math.exq is not a function. The plots and checks below keep the last formula that worked.");
      expect(await page.locator("#cell-11").innerHTML(), "the last good plot and code").toBe(before);
      expect(await page.locator("main .observablehq--error").count(), "cells in error").toBe(0);
      await scrollToView(page.locator("#cell-8"));
      await page.screenshot({ path: `${results}/live-compose-code.png` });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
