import { defineConfig } from "vitest/config";

// One root config: workspace packages resolve to their TypeScript source through the
// "@gradscope/source" export condition, so tests never depend on a stale dist/.
// Node 20 runs relaxed SIMD only behind a flag (Node 22 and Chromium have it on): pass it to the
// test workers so the wasm backend's relaxed build is property-tested as well as the SIMD128 one.
const major = Number(process.versions.node.split(".")[0]);
const execArgv = major < 22 ? ["--experimental-wasm-relaxed-simd"] : [];

export default defineConfig({
  resolve: { conditions: ["@gradscope/source"] },
  ssr: { resolve: { conditions: ["@gradscope/source"], externalConditions: ["@gradscope/source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts", "apps/*/test/**/*.test.ts", "bench/**/*.test.ts"],
    // guards against a hang, not estimates of speed: tests wait for events, and on a busy 2-core machine
    // (CI shares it; scripts/test-under-load.sh adds two busy loops) setup and tests take many times longer
    // expect.poll waits for an event; its 1 s default is a deadline a busy 2-core machine misses
    expect: { poll: { timeout: 120_000 } },
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    execArgv,
  },
});
