import { describe, expect, it } from "vitest";
import { adam, createTrainer, mlp, prelu, relu, sgd, spiral, tanh } from "@gradscope/core";

describe("createTrainer", () => {
  it("trains on class-mixed batches from the first step when the data set and the run share a seed", () => {
    // the symptom of one stream for data and batcher: the first epoch came class by class (seed 1's first
    // ten batches were arm 0, centre outward), and a residual run on seed 3 had loss exactly 0 at step 5
    for (let seed = 1; seed <= 5; seed++) {
      const data = spiral({ seed });
      const model = mlp({ inputs: 2, outputs: 3, depth: 2, width: 8, activation: tanh, seed });
      const trainer = createTrainer({ model, data, seed, optimizer: sgd({ lr: 0.1 }) });
      for (let step = 1; step <= 10; step++) {
        trainer.step();
        const classes = new Set(trainer.network.y.value).size;
        expect(classes, `seed ${seed}, step ${step}`).toBe(3); // a random 32 of 300 misses a class with p ≈ 6e-6
        expect(trainer.loss, `seed ${seed}, step ${step}`).toBeGreaterThan(0.1);
      }
    }
  });

  it("fits the 3-arm spiral to ≥ 95 % training accuracy within 1500 Adam steps", () => {
    const data = spiral({ n: 300, classes: 3, noise: 0.2, seed: 1 });
    const model = mlp({ inputs: 2, outputs: 3, depth: 2, width: 64, activation: relu, init: "he", seed: 1 });
    const trainer = createTrainer({ model, data, batchSize: 64, optimizer: adam({ lr: 0.01 }), seed: 1 });
    for (let i = 0; i < 1500; i++) trainer.step();
    const { accuracy, loss } = trainer.evaluate(data);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(loss).toBeLessThan(0.2);
    expect(trainer.steps).toBe(1500);
  });

  it("gives a bit-identical loss sequence for the same seed, and a different one for another", () => {
    const run = (seed: number) => {
      const data = spiral({ seed: 1 });
      const model = mlp({ inputs: 2, outputs: 3, depth: 3, width: 16, activation: tanh, seed });
      const trainer = createTrainer({ model, data, seed, optimizer: sgd({ lr: 0.2, momentum: 0.9 }) });
      return Array.from({ length: 50 }, () => trainer.step());
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
  });

  it("moves PReLU's α under SGD", () => {
    const data = spiral({ seed: 2 });
    const model = mlp({ inputs: 2, outputs: 3, depth: 2, width: 16, activation: prelu, init: "he" });
    const alpha = model.layers[0]!.learned[0]!;
    expect(alpha.value[0]).toBeCloseTo(0.25, 6);
    const trainer = createTrainer({ model, data, optimizer: sgd({ lr: 0.1 }) });
    for (let i = 0; i < 100; i++) trainer.step();
    expect(Math.abs(alpha.value[0]! - 0.25)).toBeGreaterThan(1e-3);
  });

  it("flags a diverging run and refuses to carry on", () => {
    const data = spiral({ seed: 1 });
    const model = mlp({ inputs: 2, outputs: 3, depth: 4, width: 32, activation: relu, init: "he" });
    const trainer = createTrainer({ model, data, optimizer: sgd({ lr: 1e6 }) });
    let steps = 0;
    while (!trainer.diverged && steps < 100) { trainer.step(); steps++; }
    expect(trainer.diverged).toBe(true);
    expect(Number.isFinite(trainer.loss)).toBe(false);
    expect(() => trainer.step()).toThrow(/training diverged at step \d+: loss is (NaN|Infinity)/);
  });

  it("rejects a batch larger than the data and a data set that does not fit the model", () => {
    const data = spiral({ n: 30 });
    const model = mlp({ inputs: 2, outputs: 3, depth: 1, width: 4, activation: relu });
    expect(() => createTrainer({ model, data, batchSize: 64 })).toThrow("batch size 64 is larger than the data set (30 examples)");
    const wide = mlp({ inputs: 5, outputs: 3, depth: 1, width: 4, activation: relu });
    expect(() => createTrainer({ model: wide, data })).toThrow('data set "spiral" has 2 features but the model takes 5 inputs');
  });
});

describe("mlp options", () => {
  it("names bad hyper-parameters", () => {
    expect(() => mlp({ inputs: 2, outputs: 3, depth: 0, width: 4, activation: relu })).toThrow("mlp: depth must be a positive integer, got 0");
    expect(() => mlp({ inputs: 2, outputs: 3, depth: 2, width: NaN, activation: relu })).toThrow("width must be a positive integer, got NaN");
    expect(() => mlp({ inputs: 2, outputs: 3, depth: 2, width: 4, activation: relu, init: "nope" as "he" })).toThrow('unknown initialiser "nope"');
    expect(() => sgd({ lr: -1 })).toThrow("sgd: lr must be ≥ 0, got -1");
    expect(() => adam({ lr: NaN })).toThrow("adam: lr must be ≥ 0, got NaN");
  });
});

describe("the training step", () => {
  it.each([["js", "none"], ["wasm", "none"], ["wasm", "batch"], ["wasm", "layer"]])("allocates at most a few bytes per step on the %s backend (norm %s): ≤ 48 bytes, 3 boxed doubles", async (backend, norm) => {
    const { spawnSync } = await import("node:child_process");
    const { fileURLToPath } = await import("node:url");
    const script = fileURLToPath(new URL("../internal/testing/stepAllocation.ts", import.meta.url));
    // the young generation fixed at 1 MB: otherwise V8 sizes it by its own heuristics, which a busy
    // machine changes, so the same allocations made 2 scavenges alone and 7 beside other tests
    const semiSpaceMb = 1, steps = 300_000;
    const r = spawnSync(process.execPath, ["--trace-gc", `--min-semi-space-size=${semiSpaceMb}`, `--max-semi-space-size=${semiSpaceMb}`, "--import", "tsx", "--conditions=@gradscope/source", script, String(steps), backend, norm], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const during = r.stdout.split("START")[1]!.split("END")[0]!;
    // measured 9–10 scavenges (~32 bytes a step: the losses graph.forward() and step() return are boxed
    // doubles where they are not inlined), the same with or without normalisation and on both backends.
    // Before the RNG and the trainer kept their state in typed arrays every random draw allocated (48
    // scavenges at V8's default sizing), and the wasm backend's per-call kernel descriptors made 303; one
    // small typed array a step would be ~100 bytes.
    const scavenges = during.match(/Scavenge/g)?.length ?? 0;
    expect((scavenges * semiSpaceMb * 2 ** 20) / steps, `${scavenges} scavenges`).toBeLessThanOrEqual(48);
  }, 120_000);
});
