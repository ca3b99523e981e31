import { describe, expect, it } from "vitest";
import { resolveRunConfig, runConfigKeys, train, validateRunConfig, type RunConfig } from "@gradscope/stream";

describe("validateRunConfig", () => {
  it("names an unknown key and the known ones", () => {
    const known = runConfigKeys.join(", ");
    expect(known).toContain("lr, batchSize, steps");
    expect(() => validateRunConfig({ lrate: 0.1 })).toThrow(`unknown run-config key "lrate" (known: ${known})`);
    // the API's entry points check it too, before anything is built
    expect(() => resolveRunConfig({ lrate: 0.1 } as RunConfig)).toThrow('unknown run-config key "lrate"');
    expect(() => train({ activaton: "tanh" } as RunConfig)).toThrow('unknown run-config key "activaton"');
  });
  it("knows only the fields, not an object's inherited names", () => {
    expect(() => validateRunConfig(JSON.parse('{"constructor": 1}'))).toThrow('unknown run-config key "constructor"');
    expect(() => validateRunConfig({ probes: { toString: "x" } })).toThrow('unknown run-config probes key "toString"');
  });
  it("lists the known precisions and probe schedules from their one list (dtypes, probeSchedules)", () => {
    expect(() => resolveRunConfig({ precision: "float16" } as unknown as RunConfig)).toThrow("precision must be float32 or float64, got float16");
    expect(() => resolveRunConfig({ probes: { schedule: "sqrt" } } as unknown as RunConfig)).toThrow('probes.schedule must be "every" or "log", got sqrt');
    expect(resolveRunConfig({ precision: "float64", probes: { schedule: "log" } })).toMatchObject({ precision: "float64", probes: { schedule: "log" } });
  });
  it("checks the keys inside probes and alerts", () => {
    expect(() => validateRunConfig({ probes: { evry: 5 } })).toThrow('unknown run-config probes key "evry" (known: every, schedule, distributionsEvery,');
    expect(() => validateRunConfig({ alerts: { dead: 0.5 } })).toThrow('unknown run-config alerts key "dead" (known: vanishingRatio,');
    expect(validateRunConfig({ alerts: false, probes: { every: 5 } })).toEqual({ alerts: false, probes: { every: 5 } });
  });
  it("names a value of the wrong type", () => {
    expect(() => validateRunConfig({ depth: "4" })).toThrow('run-config key "depth" must be a number, got string "4"');
    expect(() => validateRunConfig({ perUnit: 1 })).toThrow('run-config key "perUnit" must be true or false, got number 1');
    expect(() => validateRunConfig({ params: { alpha: "0.2" } })).toThrow('run-config key "params.alpha" must be a number, got string "0.2"');
    expect(() => validateRunConfig({ probes: { every: null } })).toThrow('run-config key "probes.every" must be a number, got null');
    expect(() => validateRunConfig({ init: [1] })).toThrow('run-config key "init" must be a string or a number, got an array');
    expect(() => validateRunConfig([])).toThrow("a run config must be an object, got an array");
    expect(() => validateRunConfig(null)).toThrow("a run config must be an object, got null");
  });
  it("accepts every key of a resolved config (as recordings' headers hold them)", () => {
    const resolved = resolveRunConfig({ n: 100, noise: 0.1 });
    expect(validateRunConfig(JSON.parse(JSON.stringify(resolved)))).toEqual(resolved);
  });
  it("does not own the ranges: resolveRunConfig checks them", () => {
    expect(validateRunConfig({ depth: 0 })).toEqual({ depth: 0 });
    expect(() => resolveRunConfig({ depth: 0 })).toThrow("depth must be a positive integer, got 0");
    expect(() => resolveRunConfig({ init: Infinity })).toThrow("init must be an initialiser name or a finite number, got Infinity");
    expect(() => resolveRunConfig({ noise: 1e400 })).toThrow("noise must be a finite number ≥ 0, got Infinity");
    expect(() => resolveRunConfig({ n: 0.5 })).toThrow("n must be a positive integer, got 0.5");
  });
});
