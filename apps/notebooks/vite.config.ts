import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig } from "vite";
import { config, observable } from "@observablehq/notebook-kit/vite";

// The notebooks live in the top-level notebooks/ folder; this app only builds and serves them.
const root = fileURLToPath(new URL("../../notebooks", import.meta.url));
const notebooks = readdirSync(root).filter((name) => name.endsWith(".html")).sort();

export default defineConfig({
  ...config(),
  root,
  plugins: [observable()],
  // Workspace packages are consumed as TypeScript source: no stale dist/, no build order to respect.
  resolve: { ...config().resolve, conditions: ["source", ...defaultClientConditions] },
  // Loopback only: nothing here should be reachable from another machine.
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    // Every notebook is a page of its own.
    rollupOptions: { input: Object.fromEntries(notebooks.map((name) => [name.slice(0, -5), `${root}/${name}`])) },
  },
});
