// `pnpm --filter @gradscope/notebooks perf [--notebook choosing-an-activation] [--steps 1500] [--check]`:
// how smooth a notebook is while its runs train, measured in Chromium on the built app. A PerformanceObserver
// collects main-thread long tasks (> 50 ms) and a requestAnimationFrame loop the time between frames, from the
// moment the runs start until they have all ended (or the slowest has taken --steps steps). Prints the frame
// times' median, p95 and max, and the long tasks; --check exits 1 unless p95 ≤ 33 ms and no task > 100 ms.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { serveStatic } from "../test/serveStatic.ts";
import { launchBrowser, openPage } from "./browser.ts";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"), // pnpm passes its "--" separator on
  options: {
    notebook: { type: "string", default: "choosing-an-activation" },
    steps: { type: "string", default: "Infinity" },
    check: { type: "boolean", default: false },
    build: { type: "boolean", default: false },
  },
});
const steps = Number(values.steps);
if (!(steps === Infinity || (Number.isInteger(steps) && steps >= 1))) {
  console.error(`--steps must be a positive integer, got ${values.steps}`);
  process.exit(2);
}
const app = fileURLToPath(new URL("..", import.meta.url));
if (!existsSync(`${app}dist/index.html`) || values.build) execFileSync("pnpm", ["run", "build"], { cwd: app, stdio: "inherit" });
if (!existsSync(`${app}dist/${values.notebook}.html`)) {
  console.error(`no notebook ${values.notebook} in the build`);
  process.exit(2);
}

/** The measurement, installed before the page's scripts run; `perf.start()` clears what came before. Plain JS (no build helpers). */
const instrument = `(() => {
  const perf = { frames: [], tasks: [], last: 0, on: false, start() { this.frames = []; this.tasks = []; this.last = 0; this.on = true; } };
  globalThis.perf = perf;
  new PerformanceObserver((list) => { if (perf.on) for (const e of list.getEntries()) perf.tasks.push(e.duration); })
    .observe({ type: "longtask", buffered: false });
  const tick = (t) => { if (perf.on && perf.last > 0) perf.frames.push(t - perf.last); perf.last = t; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})();`;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

const server = await serveStatic(`${app}dist`);
const browser = await launchBrowser({ width: 1280, height: 900 });
let ok = true;
try {
  await browser.context.addInitScript({ content: instrument });
  const { page, problems } = await openPage(browser.context, `${server.url}/${values.notebook}.html`);
  const panel = page.locator(".gradscope-controls").first();
  await panel.waitFor({ timeout: 30_000 });
  await panel.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector<HTMLElement>(".gradscope-controls")?.dataset.state === "running", null, { timeout: 30_000 });
  await page.evaluate(() => (globalThis as unknown as { perf: { start(): void } }).perf.start());
  // scroll through the live views as a reader does, so every figure is on screen at some point
  const t0 = Date.now();
  await page.waitForFunction((n) => {
    const p = document.querySelector<HTMLElement>(".gradscope-controls");
    if (!p) return false;
    const y = (window.scrollY + 3) % Math.max(1, document.body.scrollHeight - innerHeight);
    window.scrollTo(0, Math.max(p.offsetTop - 100, y));
    return Number(p.dataset.step) >= n || !["running", "waiting"].includes(p.dataset.state ?? "");
  }, steps, { timeout: 600_000, polling: 100 });
  const seconds = (Date.now() - t0) / 1000;
  const { frames, tasks } = await page.evaluate(() => {
    const p = (globalThis as unknown as { perf: { frames: number[]; tasks: number[]; on: boolean } }).perf;
    p.on = false;
    return { frames: p.frames, tasks: p.tasks };
  });
  const state = `${await panel.getAttribute("data-state")} at step ${await panel.getAttribute("data-step")}`;
  const p95 = quantile(frames, 0.95);
  const maxTask = tasks.length ? Math.max(...tasks) : 0;
  console.log(`${values.notebook}: ${seconds.toFixed(1)} s of training (${state}), ${frames.length} frames`);
  console.log(`frame time: median ${quantile(frames, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms (target: p95 ≤ 33 ms)`);
  console.log(`main-thread long tasks (> 50 ms): ${tasks.length}, over 100 ms: ${tasks.filter((t) => t > 100).length}, longest ${maxTask.toFixed(0)} ms (target: none over 100 ms)`);
  if (problems.length) console.log(`page problems: ${problems.join("; ")}`);
  ok = p95 <= 33 && maxTask <= 100 && problems.length === 0;
  console.log(ok ? "smooth: both targets met" : "NOT smooth: a target is missed");
  await page.close();
} finally {
  await browser.close();
  await server.close();
}
process.exit(values.check && !ok ? 1 : 0);
