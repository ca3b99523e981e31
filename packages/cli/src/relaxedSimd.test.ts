import { wasmSupport } from "@gradscope/core";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { enableRelaxedSimd } from "./relaxedSimd.js";

describe("enableRelaxedSimd", () => {
  it("sets V8's flag on Node 20 only, after which the relaxed build is the backend's first choice", () => {
    expect(enableRelaxedSimd("22.11.0")).toBe(false);
    expect(enableRelaxedSimd("24.0.0")).toBe(false);
    expect(enableRelaxedSimd("20.16.0")).toBe(true);
    expect(wasmSupport().variants[0]).toBe("relaxed");
  });

  it("is what `gradscope` does at start: a Node process without the flag trains on the relaxed build", () => {
    // as `pnpm gradscope` runs: node, tsx, the source entry point; no V8 flag on the command line
    const tsx = createRequire(import.meta.url).resolve("tsx");
    const bin = fileURLToPath(new URL("./bin.ts", import.meta.url));
    const r = spawnSync(process.execPath, ["--conditions=@gradscope/source", "--import", tsx, bin, "train", "--steps", "20"], {
      encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^kernels: wasm-relaxed$/m);
  }, 60_000);
});
