/**
 * The two response headers that make a page cross-origin isolated (`crossOriginIsolated === true`). Only
 * there do browsers offer SharedArrayBuffer, which the wasm backend needs for shared memory and so for a
 * run's `threads: 2` (a helper thread on that memory). Everything the notebooks load is same-origin, so
 * require-corp blocks nothing. Sent by Vite's dev and preview servers (vite.config.ts) and by the e2e
 * test's static server; whoever hosts `dist/` elsewhere sends them too (without them: one thread).
 */
export const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
} as const;
