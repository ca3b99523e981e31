// Observable's reactive `width` is 0 while a page first lays out; a figure drawn then with facets or an aspect
// ratio gets frames of negative size – a console error ("<rect> attribute height: A negative value"), which the
// zero-centred notebook's toy plot threw under load. Views in @gradscope/views clamp their width (plotFrame);
// a notebook's own Plot.plot must too.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../notebooks", import.meta.url));
const notebooks = readdirSync(root).filter((name) => name.endsWith(".html"));

describe("notebooks' own plots", () => {
  it.each(notebooks)("%s: every Plot.plot given the page's width clamps it (Math.max)", (name) => {
    const html = readFileSync(`${root}/${name}`, "utf8");
    const unclamped: string[] = [];
    for (const m of html.matchAll(/Plot\.plot\(\{([\s\S]*?)marks:/g)) {
      const head = m[1]!;
      if (/(^|[\s,{])width\s*[,}]/.test(head) || /width:\s*width\b/.test(head)) unclamped.push(head.trim().split("\n")[0]!.slice(0, 80));
    }
    expect(unclamped).toEqual([]);
  });
});
