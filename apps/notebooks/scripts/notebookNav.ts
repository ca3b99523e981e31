// Previous / next / index links on every notebook page, in the index's order, injected at build (and dev)
// time so no notebook can be a dead end and no notebook file has to carry its neighbours' names.
import { readFileSync } from "node:fs";
import type { Plugin } from "vite";

/** A notebook in reading order: its file and its title (the `<title>` of its .html). */
export interface NotebookEntry {
  file: string;
  title: string;
}

/** The notebooks the index links to, in its order, with their titles. */
export function notebookOrder(root: string): NotebookEntry[] {
  const index = readFileSync(`${root}/index.html`, "utf8");
  const files = [...index.matchAll(/\]\(\.\/([\w-]+\.html)\)|href="\.\/([\w-]+\.html)"/g)]
    .map((m) => (m[1] ?? m[2])!)
    .filter((name, i, all) => all.indexOf(name) === i && name !== "index.html");
  return files.map((file) => {
    const html = readFileSync(`${root}/${file}`, "utf8");
    const title = /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? file.replace(/\.html$/, "");
    return { file, title };
  });
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The navigation bar of one notebook: index, previous and next (by the index's order). */
export function navHtml(order: readonly NotebookEntry[], file: string, where: "top" | "bottom"): string {
  const i = order.findIndex((n) => n.file === file);
  if (i < 0) return "";
  const prev = order[i - 1];
  const next = order[i + 1];
  const link = (n: NotebookEntry, rel: string, before: string, after = "") =>
    `<a rel="${rel}" href="./${n.file}">${before} ${escape(n.title)}${after}</a>`;
  const parts = [
    `<a rel="index" href="./index.html">↑ All notebooks</a>`,
    prev ? link(prev, "prev", "← Previous:") : "",
    next ? link(next, "next", "Next:", " →") : `<a rel="next" href="./index.html">Back to the index →</a>`,
  ].filter(Boolean);
  return `<nav class="gradscope-nav gradscope-nav-${where}" aria-label="notebooks" style="display:flex;flex-wrap:wrap;gap:0.4em 1.5em;max-width:var(--max-width,960px);margin:0 auto 1em;font:14px var(--sans-serif,system-ui)">${parts.join("")}</nav>`;
}

/**
 * A Vite plugin adding {@link navHtml} above and below every notebook page's `<main>` (after the notebook
 * kit has turned the notebook into a page). The order is read again on every page, so a renamed title
 * shows at once in dev.
 */
export function notebookNav(root: string): Plugin {
  return {
    name: "gradscope-notebook-nav",
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        const file = ctx.filename.split(/[\\/]/).pop() ?? "";
        if (file === "index.html" || !html.includes("<main")) return html;
        const order = notebookOrder(root);
        return html
          .replace(/<main[^>]*>/, (m) => `${navHtml(order, file, "top")}${m}`)
          .replace("</main>", `</main>${navHtml(order, file, "bottom")}`);
      },
    },
  };
}
