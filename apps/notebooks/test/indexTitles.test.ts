// The index lists each notebook by the question it answers: its link and its thumbnail's caption are the
// notebook's own title (its <title>, which its first heading opens with), and every title is a question.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { notebookOrder } from "../scripts/notebookNav.ts";

const root = fileURLToPath(new URL("../../../notebooks", import.meta.url));
const index = readFileSync(`${root}/index.html`, "utf8");
const order = notebookOrder(root);

describe("the index", () => {
  it("lists every notebook it links by its question, in the list and under its thumbnail", () => {
    expect(order.length).toBeGreaterThanOrEqual(10);
    // the numbered list's links: [text](./file.html), the text folded over lines as the markdown wraps it
    const listed = new Map([...index.matchAll(/^\s*\d+\. \[([^\]]+)\]\(\.\/([\w-]+\.html)\)/gm)].map((m) => [m[2]!, m[1]!.replace(/\s+/g, " ")]));
    const captions = new Map([...index.matchAll(/\["([\w-]+)", "([^"]+)"\]/g)].map((m) => [`${m[1]}.html`, m[2]!]));
    for (const { file, title } of order) {
      expect(title, `${file}: its title is a question`).toMatch(/\?$/);
      expect(readFileSync(`${root}/${file}`, "utf8"), `${file}: its heading opens with its title`).toContain(`# ${title}`);
      expect(listed.get(file), `${file} in the list`).toBe(title);
      expect(captions.get(file), `${file} under its thumbnail`).toBe(title);
    }
    expect([...listed.keys()]).toEqual(order.map((n) => n.file)); // the list is the reading order
  });
});
