// `pnpm --filter @gradscope/notebooks screenshots`: a screenshot of every notebook, taken in Chromium after its
// run has trained a while (apps/notebooks/screenshots/<name>.png, the page as a reader scrolled to the live
// part sees it), and the index's thumbnails (notebooks/public/thumbnails/<name>.png, 400 px wide, of each
// notebook's first live figure), compose-your-own's formula with its plot and code, and the ELU notebook while
// its digits load (its views' placeholders).
// `-- --only elu-bias-shift,index` takes just those. Offline: the built app is served on loopback.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serveStatic } from "../test/serveStatic.ts";
import { launchBrowser, openPage, scrollToView, shrinkPng } from "./browser.ts";
import { notebookOrder } from "./notebookNav.ts";

const app = fileURLToPath(new URL("..", import.meta.url));
const root = fileURLToPath(new URL("../../../notebooks", import.meta.url));
const shots = `${app}screenshots`;
const thumbs = `${root}/public/thumbnails`;
/** Steps a run takes before its picture is taken (or it ends first). */
const STEPS = Number(process.env.SCREENSHOT_STEPS ?? 1500);
/** `--only a,b`: just these notebooks (file names without .html; "index" for the index). */
const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 ? new Set((process.argv[onlyArg + 1] ?? "").split(",")) : undefined;
const wanted = (name: string) => !only || only.has(name);

if (!existsSync(`${app}dist/index.html`) || process.argv.includes("--build")) execFileSync("pnpm", ["run", "build"], { cwd: app, stdio: "inherit" });
mkdirSync(shots, { recursive: true });
mkdirSync(thumbs, { recursive: true });
const server = await serveStatic(`${app}dist`);
const browser = await launchBrowser();
let failed = false;
try {
  for (const { file } of notebookOrder(root)) {
    const name = file.replace(/\.html$/, "");
    if (!wanted(name)) continue;
    const { page, problems } = await openPage(browser.context, `${server.url}/${file}`);
    const panel = page.locator(".gradscope-controls").first();
    await panel.waitFor({ timeout: 30_000 });
    await scrollToView(panel);
    // an event, not a deadline: the run has taken STEPS steps, or it has ended
    await page.waitForFunction((steps) => {
      const p = document.querySelector<HTMLElement>(".gradscope-controls");
      return p !== null && (Number(p.dataset.step) >= steps || !["waiting", "running"].includes(p.dataset.state ?? ""));
    }, STEPS, { timeout: 300_000, polling: 250 });
    await panel.locator("button[name=pause]").dispatchEvent("click");
    await page.waitForTimeout(500); // rows already in flight land and are drawn
    await page.screenshot({ path: `${shots}/${name}.png` });
    if (name === "compose-your-own") {
      // the reader's formula, its plot and, beside it, the code that defines it
      await scrollToView(page.locator("#cell-8"));
      await page.evaluate(() => document.querySelector("#cell-8")?.scrollIntoView({ block: "start" }));
      await page.screenshot({ path: `${shots}/${name}-code.png` });
    }
    const figure = page.locator("main .gradscope-live:has(svg)").first();
    await scrollToView(figure);
    writeFileSync(`${thumbs}/${name}.png`, await shrinkPng(page, await figure.screenshot(), 400));
    console.log(`${name}: step ${await panel.getAttribute("data-step")}, ${await panel.getAttribute("data-state")}${problems.length ? `; problems: ${problems.join("; ")}` : ""}`);
    if (problems.length) failed = true;
    await page.close();
  }
  if (wanted("elu-bias-shift")) {
    // the placeholders, while the digits are still on their way (held at the server until the shot is taken)
    const digits = server.hold("/digits.bin");
    const { page } = await openPage(browser.context, `${server.url}/elu-bias-shift.html`);
    await scrollToView(page.locator(".gradscope-controls").first());
    await digits.requested;
    await page.waitForFunction(() => document.querySelectorAll("main .gradscope-live[data-pending]").length === 0);
    await scrollToView(page.locator("#cell-17"));
    await page.screenshot({ path: `${shots}/elu-bias-shift-loading.png` });
    digits.release();
    await page.close();
  }
  if (wanted("index")) {
    const { page } = await openPage(browser.context, `${server.url}/index.html`);
    await page.screenshot({ path: `${shots}/index.png`, fullPage: true });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`screenshots in ${shots}, thumbnails in ${thumbs}`);
process.exit(failed ? 1 : 0);
