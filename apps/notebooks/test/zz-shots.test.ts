import { it } from "vitest";
import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync } from "node:fs";
import { serveStatic } from "./serveStatic.js";
import { fileURLToPath } from "node:url";
const names = (process.env.NB ?? "dying-relus").split(",");
const width = Number(process.env.W ?? 1100);
it("shots", async () => {
  mkdirSync("/tmp/g/cells", { recursive: true });
  const server = await serveStatic(fileURLToPath(new URL("../dist", import.meta.url)));
  const ctx = await chromium.launchPersistentContext(mkdtempSync("/tmp/gs-"), { executablePath: "/usr/bin/chromium", headless: true, viewport: { width, height: 900 }, args: ["--no-sandbox", "--disable-gpu"] });
  for (const name of names) {
    const page = await ctx.newPage();
    await page.goto(`${server.url}/${name}.html`, { waitUntil: "networkidle" });
    if (process.env.DEPTH) { const d = page.getByLabel("hidden layers", { exact: true }); await d.fill(process.env.DEPTH); await d.dispatchEvent("change"); }
    await page.waitForTimeout(Number(process.env.WAIT ?? 6000));
    const p = page.locator(".gradscope-controls button[name=pause]").first();
    if (await p.isEnabled().catch(() => false)) await p.click().catch(() => {});
    await page.waitForTimeout(500);
    const cells = page.locator("main [id^=cell-]").filter({ has: page.locator("svg") });
    const n = await cells.count();
    for (let i = 0; i < n; i++) {
      const c = cells.nth(i);
      const id = await c.getAttribute("id");
      await c.screenshot({ path: `/tmp/g/cells/${name}-${width}-${id}.png` }).catch(() => {});
    }
    await page.close();
  }
  await ctx.close(); await server.close();
}, 300000);
