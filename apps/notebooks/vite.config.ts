import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig, type Plugin } from "vite";
import { config, observable } from "@observablehq/notebook-kit/vite";
import { digitsBytes, digitsFile } from "./scripts/digitsAsset.ts";
import { isolationHeaders } from "./scripts/isolationHeaders.ts";
import { notebookNav } from "./scripts/notebookNav.ts";

// The notebooks live in the top-level notebooks/ folder; this app only builds and serves them.
const root = fileURLToPath(new URL("../../notebooks", import.meta.url));
const notebooks = readdirSync(root).filter((name) => name.endsWith(".html")).sort();

/**
 * Makes sure notebooks/public/digits.bin (real digits for the browser workers, see scripts/digitsAsset.ts)
 * exists before Vite serves or copies the public folder: runs scripts/digits.ts when it is missing or of the
 * wrong size. The script reads the workspace packages' TypeScript source, hence tsx with the "@gradscope/source" condition.
 */
function digits(): Plugin {
  let checked = false;
  return {
    name: "gradscope-digits",
    buildStart() {
      if (checked) return;
      checked = true;
      let size = -1;
      try {
        size = statSync(digitsFile).size;
      } catch {
        // missing: write it
      }
      if (size === digitsBytes) return;
      const tsx = createRequire(import.meta.url).resolve("tsx/cli");
      const script = fileURLToPath(new URL("./scripts/digits.ts", import.meta.url));
      execFileSync(process.execPath, [tsx, "--conditions=@gradscope/source", script], { stdio: "inherit" });
    },
  };
}

export default defineConfig({
  ...config(),
  root,
  plugins: [digits(), observable(), notebookNav(root)],
  // Workspace packages are consumed as TypeScript source: no stale dist/, no build order to respect.
  resolve: { ...config().resolve, conditions: ["@gradscope/source", ...defaultClientConditions] },
  // Loopback only: nothing here should be reachable from another machine. Cross-origin isolated, so that
  // workers get shared memory (threads: 2).
  server: { host: "127.0.0.1", headers: isolationHeaders },
  preview: { host: "127.0.0.1", headers: isolationHeaders },
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    // Every notebook is a page of its own.
    rollupOptions: { input: Object.fromEntries(notebooks.map((name) => [name.slice(0, -5), `${root}/${name}`])) },
  },
});
