import { defineConfig } from "vitest/config";

// One root config: workspace packages resolve to their TypeScript source through the
// "source" export condition, so tests never depend on a stale dist/.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"], externalConditions: ["source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/test/**/*.test.ts", "bench/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
