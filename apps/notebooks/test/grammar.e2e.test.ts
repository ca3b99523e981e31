// Browser test of the visual grammar (issue 11, item 2) on every notebook the index links to, in Debian's
// Chromium: panels and legends in one order on every chart of a page; no row-field names as axis words and
// no SI-prefix ticks; the layer colour key light at the input side, as the text says; the layer domain kept
// when gradients are exactly 0 (sigmoid, 60 layers, float32); no overlapping words at 400 px.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chromiumPath, launchBrowser, openPage, scrollToView, type Browser } from "../scripts/browser.ts";
import { serveStatic, type StaticServer } from "./serveStatic.js";

const app = fileURLToPath(new URL("..", import.meta.url));
const dist = `${app}dist`;
const results = `${app}test-results/grammar`;
const linked = [...readFileSync(fileURLToPath(new URL("../../../notebooks/index.html", import.meta.url)), "utf8")
  .matchAll(/\]\(\.\/([\w-]+\.html)\)|href="\.\/([\w-]+\.html)"/g)]
  .map((m) => m[1] ?? m[2]!)
  .filter((name, i, all) => all.indexOf(name) === i);
/** A guard against a hang, not an estimate: the waits below are for events, which a busy machine slows. */
const WAIT = 120_000;

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${dist}/index.html`)) execFileSync("pnpm", ["run", "build"], { cwd: app, stdio: "inherit" });
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium`);
  mkdirSync(results, { recursive: true });
  server = await serveStatic(dist);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function open(name: string, width = 1100): Promise<{ page: Page; problems: string[] }> {
  return openPage(browser.context, `${server.url}/${name}`, width);
}

/** Waits until the run has logged steps and held-out rows, so every chart has something to order; then pauses it. */
async function trainAWhile(page: Page, minStep: number): Promise<void> {
  const panel = page.locator(".gradscope-controls").first();
  await panel.waitFor({ timeout: WAIT });
  await scrollToView(panel); // a run starts when its cell is seen
  const step = async () => Number(await panel.getAttribute("data-step"));
  const done = async () => ["completed", "stopped", "diverged"].includes((await panel.getAttribute("data-state")) ?? "");
  await expect.poll(async () => (await done()) || (await step()) >= minStep, { timeout: WAIT }).toBe(true);
  if (!(await done())) {
    await panel.locator("button[name=pause]").click();
    // every run has sent its paused row (data-held); a run may end instead of holding
    await expect.poll(async () => (await done()) || (await panel.getAttribute("data-held")) === "true", { timeout: WAIT }).toBe(true);
  }
  // the last redraws are drawn (an event, not a 300 ms wait)
  await expect.poll(() => page.locator("main .gradscope-live[data-pending]").count(), { timeout: WAIT }).toBe(0);
}

const FIELDS = /\b(gradNorm[ZWB]|gradRms[ZWB]|deadFrac|deadCount|saturatedFrac|signAgreement|act(Mean|Std|Min|Max)|pre(Mean|Std|Min|Max)|updateRatio|weightNorm|probeMs)\b/;
const SI_TICK = /^[−-]?\d+(\.\d+)?\s?[yzafpnµmkMGTP]$/;

/** What the page's charts say: run names per chart in drawing order, axis and legend words, tick labels. */
async function charts(page: Page) {
  return page.evaluate(() => {
    // each chart: a Plot figure, or a Plot svg that is not inside one (a ramp or swatch svg has a longer class)
    const roots = Array.from(document.querySelectorAll("main figure, main svg")).filter((el) =>
      el.tagName.toLowerCase() === "figure" ? !el.parentElement?.closest("figure") : /^plot-[\w]+$/.test(el.getAttribute("class") ?? "") && !el.closest("figure"));
    const text = (el: Element) => (el.textContent ?? "").trim();
    return roots.map((root) => ({
      cell: root.closest("[id^=cell-]")?.id ?? "?",
      panels: Array.from(root.querySelectorAll("g[aria-label='panel label'] text, g[aria-label='fx-axis tick label'] text, g[aria-label='fy-axis tick label'] text"))
        .map((t) => text(t).replace(/ · step .*$/, "")),
      legend: Array.from(root.querySelectorAll("[class$='-swatch']")).map(text),
      words: Array.from(root.querySelectorAll("g[aria-label$='axis label'] text, [class$='-ramp'] text, [class$='-swatch']")).map(text),
      ticks: Array.from(root.querySelectorAll("g[aria-label$='tick label'] text, [class$='-ramp'] g text")).map(text),
    }));
  });
}

/** For two lists, the names both contain must come in the same order. */
function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  const common = a.filter((x) => b.includes(x));
  return common.join("\u0000") === b.filter((x) => a.includes(x)).join("\u0000");
}

describe("visual grammar in every notebook", () => {
  it("links notebooks from the index", () => expect(linked.length).toBeGreaterThan(0));

  for (const name of linked) {
    it(`${name}: one panel order on every chart, human axis words, 10ⁿ ticks, a layer key that agrees with the text`, async () => {
      const { page, problems } = await open(name);
      try {
        await trainAWhile(page, 1200);
        // views redraw within a render budget, after the step counter: wait for the layer charts' keys
        const layerKeys = () => page.locator("main figure [class$='-ramp']").filter({ hasText: "layer (" }).count();
        if (!["vanishing-gradients.html", "choosing-an-activation.html"].includes(name)) {
          await expect.poll(layerKeys, { timeout: WAIT, message: "a layer colour key drawn" }).toBeGreaterThan(0);
        }
        const all = await charts(page);
        expect(all.length, "charts found").toBeGreaterThan(0);

        // Phase: one order. Every chart's panels and legend list the runs in one order.
        const orders = all.flatMap((c) => [c.panels, c.legend].filter((o) => o.length > 1).map((o) => ({ cell: c.cell, o })));
        for (const a of orders) for (const b of orders) {
          expect(sameOrder(a.o, b.o), `${a.cell} [${a.o.join(", ")}] against ${b.cell} [${b.o.join(", ")}]`).toBe(true);
        }

        // Phase: words. No row-field names on axes or keys, no SI-prefix ticks.
        for (const c of all) {
          expect(c.words.filter((w) => FIELDS.test(w)), `${c.cell} axis words`).toEqual([]);
          expect(c.ticks.filter((t) => SI_TICK.test(t)), `${c.cell} ticks`).toEqual([]);
        }

        // Phase: the layer key. Every layer colour scale is light at layer 0 (the input side) and says so,
        // and the page's text never calls the input side dark.
        const keys = await page.evaluate(() => {
          const luminance = (c: string) => {
            const m = c.startsWith("#") ? [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) : (c.match(/\d+(\.\d+)?/g) ?? []).map(Number);
            return 0.2126 * m[0]! + 0.7152 * m[1]! + 0.0722 * m[2]!;
          };
          type Scaled = Element & { scale?: (n: string) => { type: string; domain: number[]; apply: (v: number) => string } | undefined };
          return Array.from(document.querySelectorAll("main figure"))
            .filter((el) => /layer \(/.test(el.querySelector("[class$='-ramp']")?.textContent ?? ""))
            .map((el) => {
              const s = (el as Scaled).scale?.("color");
              return {
                cell: el.closest("[id^=cell-]")?.id ?? "?",
                words: el.querySelector("[class$='-ramp']")?.textContent ?? "",
                input: s ? luminance(String(s.apply(s.domain[0]!))) : NaN,
                output: s ? luminance(String(s.apply(s.domain[s.domain.length - 1]!))) : NaN,
              };
            });
        });
        // (vanishing-gradients colours steps, the choosing race draws layers on x: neither has a layer key)
        if (!["vanishing-gradients.html", "choosing-an-activation.html"].includes(name)) expect(keys.length, "layer colour keys found").toBeGreaterThan(0);
        for (const k of keys) {
          expect(k.words, `${k.cell} key words`).toMatch(/light = input side/);
          expect(k.input, `${k.cell}: layer 0 lighter than the output layer`).toBeGreaterThan(k.output + 60);
        }
        const prose = await page.locator("main").evaluate((m) => m.textContent ?? "");
        expect(prose).not.toMatch(/dark\W{1,3}(=\s*)?(\(|near )?(the )?input/i);
        expect(prose).not.toMatch(/light\W{1,3}(=\s*)?(\(|near )?(the )?output/i);

        await page.screenshot({ path: `${results}/${name.replace(/\.html$/, "")}.png`, fullPage: true });
        expect(problems).toEqual([]);
        expect(await page.locator("main .observablehq--error").count(), "cells in error").toBe(0);
        expect(await page.locator("main .gradscope-error").count(), "runs or views in error").toBe(0);
      } finally {
        await page.close();
      }
    });
  }

  it("vanishing-gradients: sigmoid, 60 layers, float32 keeps layers 0–60 on the axes, exact zeros in a marked band", async () => {
    const { page, problems } = await open("vanishing-gradients.html");
    try {
      const panel = page.locator(".gradscope-controls").first();
      await panel.waitFor({ timeout: WAIT });
      await panel.evaluate((el) => el.setAttribute("data-old-run", ""));
      const depth = page.getByLabel("hidden layers", { exact: true });
      await depth.fill("60");
      await depth.dispatchEvent("change");
      await expect.poll(() => page.locator(".gradscope-controls[data-old-run]").count(), { timeout: WAIT }).toBe(0);
      await scrollToView(panel); // the new run starts when seen
      // the first layers' ‖∂L/∂z‖ underflow to exactly 0 in float32: wait for the band that shows them
      const flow = page.locator("main .gradscope-live").filter({ has: page.locator("g[aria-label='zero band']") }).first();
      await flow.waitFor({ timeout: WAIT });
      await panel.locator("button[name=pause]").click();
      const xTicks = await flow.locator("g[aria-label='x-axis tick label'] text").allTextContents();
      expect(xTicks[0]).toBe("0");
      expect(xTicks.at(-1)).toBe("60"); // 60 hidden layers and the output layer
      expect(await flow.locator("g[aria-label='zero band label'] text").textContent()).toBe("= 0 (below float32)");
      const yTicks = await flow.locator("g[aria-label='y-axis tick label'] text").allTextContents();
      expect(yTicks).toContain("0");
      expect(yTicks.filter((t) => SI_TICK.test(t))).toEqual([]);
      // the heatmap keeps rows 0–60 and says what grey means
      const heat = page.locator("main .gradscope-live").filter({ has: page.locator("[aria-label='zero key']") }).first();
      await heat.waitFor({ timeout: WAIT });
      const rows = await heat.locator("g[aria-label='y-axis tick label'] text").allTextContents();
      expect(rows[0]).toBe("0");
      expect(rows.at(-1)).toBe("60");
      expect(await heat.locator("[aria-label='zero key']").textContent()).toMatch(/exactly 0/);
      expect(await heat.locator("g[aria-label='zero cells'] rect").count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${results}/vanishing-gradients-60-layers.png`, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  for (const name of linked) {
    it(`${name}: no two words of a chart overlap at 400 px`, async () => {
      const { page, problems } = await open(name, 400);
      try {
        await trainAWhile(page, 300);
        const overlaps = await page.evaluate(() => {
          const found: string[] = [];
          for (const svg of Array.from(document.querySelectorAll("main svg"))) {
            const texts = Array.from(svg.querySelectorAll("text"))
              .filter((t) => !t.closest("[aria-label='tip']") && (t.textContent ?? "").trim() !== "")
              .map((t) => ({ t: (t.textContent ?? "").trim(), r: t.getBoundingClientRect() }))
              .filter(({ r }) => r.width > 0 && r.height > 0);
            for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
              const a = texts[i]!.r, b = texts[j]!.r;
              const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
              if (w > 2 && h > 2) found.push(`${svg.closest("[id^=cell-]")?.id}: "${texts[i]!.t}" × "${texts[j]!.t}"`);
            }
          }
          return found;
        });
        await page.screenshot({ path: `${results}/${name.replace(/\.html$/, "")}-400.png`, fullPage: true });
        expect(overlaps).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
