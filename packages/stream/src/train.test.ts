import { ReplaySubject, elementAt, filter, firstValueFrom, lastValueFrom, take, toArray } from "rxjs";
import { jsBackend } from "@gradscope/core";
import { describe, expect, it, vi } from "vitest";
import {
  createControl, headerRow, isRow, parseNdjson, toNdjson, train, type LayerRow, type Row, type RunConfig,
} from "@gradscope/stream";

const rowsOf = (config: RunConfig, options = {}) => lastValueFrom(train(config, options).pipe(toArray()));
const layersAt = (rows: Row[], step: number) => rows.filter(isRow("layer")).filter((r) => r.step === step);
const hidden = (layers: LayerRow[]) => layers.filter((l) => l.activation !== "none");

describe("train: gradient flow", () => {
  it("makes ∂L/∂z vanish through 50 sigmoid layers with standard init (float64)", async () => {
    const rows = await rowsOf({ activation: "sigmoid", depth: 50, width: 64, init: "standard", steps: 2, precision: "float64", optimizer: "sgd" });
    const h = hidden(layersAt(rows, 1));
    expect(h).toHaveLength(50);
    // Each layer multiplies the back-propagated gradient by σ′(z) ≈ 1/4 (pre-activations stay small)
    // and by W, whose effect on a norm is ≈ √(n·Var W) = √(1/3) under U(±1/√n): ≈ 0.144 per layer,
    // so across the 49 layers between first and last, 0.144^49 ≈ 10^-41.3. Allow ±5 decades.
    const ratio = h[0]!.gradNormZ / h[49]!.gradNormZ;
    expect(Math.log10(ratio)).toBeGreaterThan(-46.3);
    expect(Math.log10(ratio)).toBeLessThan(-36.3);
    // and it decays layer by layer
    for (let k = 1; k < 50; k++) expect(h[k]!.gradNormZ).toBeGreaterThan(h[k - 1]!.gradNormZ);
    expect(rows.find((r) => r.type === "alert" && r.kind === "vanishing")).toMatchObject({ layer: 0, step: 1 });
  });

  it("keeps ∂L/∂z within about a decade through 20 ReLU layers with He init", async () => {
    const rows = await rowsOf({ activation: "relu", depth: 20, width: 64, init: "he", steps: 1 });
    const h = hidden(layersAt(rows, 1));
    // He init keeps Var[z] constant with depth, forwards and backwards (He et al. 2015)
    const ratio = h[0]!.gradNormZ / h[19]!.gradNormZ;
    expect(ratio).toBeGreaterThan(0.1);
    expect(ratio).toBeLessThan(10);
    expect(rows.some((r) => r.type === "alert" && r.kind === "vanishing")).toBe(false);
  });
});

describe("train: dead units", () => {
  it("kills ReLUs with a strongly negative bias init, and Leaky ReLU keeps them alive", async () => {
    const base = { depth: 4, width: 32, biasInit: -5, steps: 5, init: "he" } as const;
    const relu = hidden(layersAt(await rowsOf({ ...base, activation: "relu" }), 5));
    // layer 0: z = x·W − 5 with |x| ≤ ~1 and W ~ U(±√3): |x·W| < 5 always, so every unit is off;
    // deeper layers see a = 0, so z = b = −5: all dead
    for (const l of relu) expect(l.deadFrac).toBe(1);
    expect(relu[0]!.saturatedFrac).toBe(1);
    const leaky = hidden(layersAt(await rowsOf({ ...base, activation: "leakyRelu" }), 5));
    for (const l of leaky) expect(l.deadFrac).toBe(0); // f′ = α > 0 everywhere
  });
});

describe("train: learnable slopes, divergence", () => {
  it("reports PReLU's α moving", async () => {
    const rows = await rowsOf({ activation: "prelu", depth: 3, width: 16, steps: 100, lr: 0.01 });
    const first = layersAt(rows, 1)[0]!.alpha!, last = layersAt(rows, 100)[0]!.alpha!;
    expect(Math.abs(first - 0.25)).toBeLessThanOrEqual(0.0101); // one Adam step moves it by ≈ lr
    expect(Math.abs(last - first)).toBeGreaterThan(1e-3);
    expect(layersAt(rows, 100)[3]!.alpha).toBeUndefined(); // the output layer has none
  });

  it("raises a divergence alert and ends with status diverged for a huge learning rate", async () => {
    const rows = await rowsOf({ activation: "relu", optimizer: "sgd", lr: 1e6, steps: 100 });
    const alert = rows.filter(isRow("alert")).find((a) => a.kind === "diverged");
    expect(alert).toBeDefined();
    expect(alert!.message).toMatch(/training diverged at step \d+: loss is (NaN|Infinity)/);
    expect(rows.at(-1)).toMatchObject({ type: "status", status: "diverged" });
    expect(rows.filter((r) => r.type === "alert" && r.kind === "diverged")).toHaveLength(1);
  });
});

describe("train: control and teardown", () => {
  it("starts paused, steps exactly n, says each time it holds, changes the learning rate, resumes and stops", async () => {
    const control = createControl({ paused: true });
    const other = new ReplaySubject<Row>();
    const done = lastValueFrom(other.pipe(toArray()));
    const otherSub = train({ steps: 1000, evalEvery: 0, lr: 0.01 }, { control }).subscribe(other);
    const rows = new ReplaySubject<Row>();
    const sub = train({ steps: 1000, evalEvery: 0, run: "watch" }, { control }).subscribe(rows);
    // events, not sleeps: a "paused" row comes right after the last step a pause (or a step budget) allows
    const held = (k: number) => firstValueFrom(rows.pipe(filter(isRow("paused")), elementAt(k)));
    const stepsUntil = async (k: number) => {
      const until = (await held(k)).step;
      const all: Row[] = [];
      rows.pipe(take(1_000_000)).subscribe((r) => all.push(r)).unsubscribe(); // the replayed rows so far
      return { until, steps: all.filter(isRow("step")).filter((r) => r.step <= until) };
    };
    expect(await stepsUntil(0)).toEqual({ until: 0, steps: [] });
    control.step(3);
    const three = await stepsUntil(1);
    expect(three.until).toBe(3);
    expect(three.steps.map((r) => r.step)).toEqual([1, 2, 3]);
    control.setLearningRate(0.001);
    control.step();
    const four = await stepsUntil(2);
    expect(four.until).toBe(4);
    expect(four.steps.at(-1)).toMatchObject({ step: 4, lr: 0.001 });
    control.resume();
    // both runs past step 10 before the stop (under load one run can lag the other by several steps)
    const past10 = (r$: ReplaySubject<Row>) => firstValueFrom(r$.pipe(filter(isRow("step")), filter((r) => r.step > 10)));
    await Promise.all([past10(rows), past10(other)]);
    control.stop();
    const all = await done;
    expect(all.at(-1)).toMatchObject({ type: "status", status: "stopped" });
    expect(all.filter(isRow("step")).length).toBeGreaterThan(10);
    expect(all.filter(isRow("paused")).map((r) => r.step)).toEqual([0, 3, 4]); // the other run held at the same steps
    sub.unsubscribe();
    otherSub.unsubscribe();
  });

  it("keeps a step sent while paused before step 1 until the helper thread has started", async () => {
    // a backend whose helper thread takes 100 ms to start (train waits for it before step 1)
    const t0 = performance.now();
    const backend = Object.defineProperty({ ...jsBackend, name: "slow-helper" }, "starting", { get: () => performance.now() - t0 < 100 });
    const control = createControl({ paused: true });
    const seen: Row[] = [];
    const sub = train({ steps: 10, evalEvery: 0, depth: 2, width: 8 }, { control, backend }).subscribe((r) => seen.push(r));
    control.step();
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter(isRow("step")).map((r) => r.step)).toEqual([1]);
    sub.unsubscribe();
  });

  it("counts the products the helper shared during this run, on a backend that ran others before", async () => {
    // a stand-in for a caller's wasm backend with threads: 2 whose helper shares every product
    let shared = 0;
    const backend = {
      ...jsBackend, name: "shared-2threads", get parallelProducts() { return shared; },
      matmul(...args: Parameters<typeof jsBackend.matmul>) { shared++; jsBackend.matmul(...args); },
    };
    const config = { steps: 3, evalEvery: 0, depth: 2, width: 8 } as const;
    const first = (await rowsOf(config, { backend })).find(isRow("status"))!;
    const second = (await rowsOf(config, { backend })).find(isRow("status"))!;
    expect(first.parallelProducts).toBeGreaterThan(0);
    expect(second.parallelProducts).toBe(first.parallelProducts);
  });

  it("unsubscribed while waiting for the helper thread, leaves nothing scheduled", async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === "Immediate" || r === "Timeout").length;
    const backend = Object.defineProperty({ ...jsBackend, name: "never-ready" }, "starting", { get: () => true });
    const seen: Row[] = [];
    const sub = train({ steps: 10, evalEvery: 0, depth: 2, width: 8 }, { backend }).subscribe((r) => seen.push(r));
    await new Promise((r) => setTimeout(r, 30));
    sub.unsubscribe();
    await new Promise((r) => setTimeout(r, 30));
    expect(seen.filter(isRow("step"))).toHaveLength(0);
    const after = process.getActiveResourcesInfo().filter((r) => r === "Immediate" || r === "Timeout").length;
    expect(after).toBeLessThanOrEqual(before);
  });

  it("stops within a step when unsubscribed and leaves nothing scheduled", async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === "Immediate" || r === "Timeout").length;
    let steps = 0;
    const sub = train({ steps: Infinity, depth: 2, width: 8 }).subscribe((r) => { if (r.type === "step") steps++; });
    await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    const at = steps;
    expect(at).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(steps).toBe(at);
    const after = process.getActiveResourcesInfo().filter((r) => r === "Immediate" || r === "Timeout").length;
    expect(after).toBeLessThanOrEqual(before);
  });

  it("yields to the event loop while training", async () => {
    // an endless run in 8 ms slices: a 5 ms timer must keep firing while steps go on. Waits for the events
    // (ten timer ticks after the first step, and steps taken after the first of them), not for a time: a loop
    // that never yields never lets the timer fire, and the test then times out
    let ticks = 0, steps = 0, stepsAtFirstTick = -1;
    const sub = train({ steps: Infinity, depth: 8, width: 64 }, { sliceMs: 8 }).subscribe((r) => { if (r.type === "step") steps++; });
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (steps === 0) return;
        if (stepsAtFirstTick < 0) stepsAtFirstTick = steps;
        if (++ticks > 10 && steps > stepsAtFirstTick) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    sub.unsubscribe();
    expect(ticks).toBeGreaterThan(10);
    expect(steps).toBeGreaterThan(stepsAtFirstTick); // training went on between the ticks
  });
});

describe("train: rows", () => {
  it("emits flat serialisable rows with the public fields, layer 0 at the input side", async () => {
    const rows = await rowsOf({ steps: 10, depth: 2, width: 8, evalEvery: 5, probes: { distributionsEvery: 5 } });
    const step = rows.find(isRow("step"))!;
    expect(Object.keys(step)).toEqual(expect.arrayContaining(["type", "run", "step", "loss", "accuracy", "lr", "ms"]));
    const layer = rows.find(isRow("layer"))!;
    expect(Object.keys(layer)).toEqual(expect.arrayContaining([
      "type", "run", "step", "layer", "name", "activation", "gradNormW", "gradNormB", "gradNormZ", "weightNorm", "updateRatio",
      "preMean", "preStd", "actMean", "actStd", "saturatedFrac", "deadFrac", "signAgreement",
    ]));
    expect(layersAt(rows, 1).map((l) => [l.layer, l.name, l.activation])).toEqual([[0, "hidden0", "relu"], [1, "hidden1", "relu"], [2, "output", "none"]]);
    expect(rows.filter(isRow("eval")).map((r) => r.step)).toEqual([0, 5, 10]);
    expect(rows.filter(isRow("bands")).filter((r) => r.step === 5)).toHaveLength(2 * 3 + 2); // pre, act, gradZ per hidden layer; pre, gradZ on output
    for (const b of rows.filter(isRow("bands"))) expect(b.p0 <= b.p16 && b.p16 <= b.p50 && b.p50 <= b.p84 && b.p84 <= b.p100).toBe(true);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });

  it("measures the zig-zag: ReLU inputs make a unit's incoming updates agree in sign", async () => {
    // batch size 1: ΔW_ij = −lr·a_i·δ_j, so with a_i ≥ 0 (ReLU) every nonzero update of unit j has the sign of −δ_j
    const rows = await rowsOf({ steps: 20, depth: 3, width: 16, batchSize: 1, optimizer: "sgd", activation: "relu", evalEvery: 0 });
    const relu = rows.filter(isRow("layer")).filter((r) => r.layer === 1);
    const tanh = (await rowsOf({ steps: 20, depth: 3, width: 16, batchSize: 1, optimizer: "sgd", activation: "tanh", evalEvery: 0 }))
      .filter(isRow("layer")).filter((r) => r.layer === 1);
    const mean = (rs: LayerRow[]) => {
      const moved = rs.filter((r) => !Number.isNaN(r.signAgreement)); // NaN: no weight moved (every unit off)
      return moved.reduce((s, r) => s + r.signAgreement, 0) / moved.length;
    };
    expect(mean(relu)).toBe(1);
    // tanh outputs have both signs: E[max(k, 16 − k)]/16 for k ~ Bin(16, ½) ≈ 0.60 when every weight moves
    expect(mean(tanh)).toBeGreaterThan(0.5);
    expect(mean(tanh)).toBeLessThan(0.75);
  });

  it("records and replays identical rows", async () => {
    const config = { steps: 30, depth: 2, width: 8, seed: 3 };
    const rows = await rowsOf(config);
    const lines = await lastValueFrom(train(config).pipe(toNdjson(headerRow({ run: "relu", config, seed: 3 })), toArray()));
    const parsed = parseNdjson(lines.join(""));
    expect(parsed.header).toMatchObject({ type: "header", seed: 3, config });
    const strip = (rs: Row[]) => rs.map((r) => (r.type === "step" ? { ...r, ms: 0, probeMs: 0 } : r));
    expect(strip(parsed.rows)).toEqual(strip(rows));
  });

  it("is deterministic: the same seed gives the same losses", async () => {
    const losses = async () => (await rowsOf({ steps: 40, seed: 9 })).filter(isRow("step")).map((r) => r.loss);
    expect(await losses()).toEqual(await losses());
  });

  it("gives the same losses on two threads (threads: 2 splits 64×64×64 products; same numbers)", async () => {
    const config = { steps: 300, seed: 4, width: 64, depth: 3, batchSize: 64, n: 600, evalEvery: 0 } as const;
    const run = async (threads: 1 | 2) => {
      const rows = await rowsOf({ ...config, threads });
      const status = rows.find(isRow("status"))!;
      return { losses: rows.filter(isRow("step")).map((r) => r.loss), backend: status.backend, shared: status.parallelProducts };
    };
    const [two, one] = [await run(2), await run(1)];
    expect(two.losses).toEqual(one.losses);
    // the status row names the kernels: the best wasm build, with its helper thread or not
    expect(two.backend).toMatch(/^wasm-(relaxed|simd128)-2threads$/);
    expect(one.backend).toMatch(/^wasm-(relaxed|simd128)$/);
    // how many products the helper shared: the 64×64 layers' products on a batch of 64 are 2¹⁸
    // multiply-adds, the size from which products are split, but whether the helper wins a product's
    // race (and whether the back-off keeps products on one thread) depends on the machine's load, so
    // only the count's form is checked here; the core's tests wait until the helper has shared one
    expect(Number.isInteger(two.shared) && two.shared! >= 0).toBe(true);
    expect(one.shared).toBeUndefined();
    expect(() => train({ threads: 2, precision: "float64" })).toThrow("threads 2 needs the wasm backend");
    expect(() => train({ threads: 4 as 2 })).toThrow("threads must be 1 or 2, got 4");
  });

  it("throws at the call on a bad config, naming the field", () => {
    expect(() => train({ depth: 0 })).toThrow("depth must be a positive integer, got 0");
    expect(() => train({ activation: "relu9" })).toThrow('unknown activation "relu9"');
    expect(() => train({ dataset: "cifar" })).toThrow('unknown dataset "cifar"');
    expect(() => train({ lr: NaN })).toThrow("lr must be a positive number, got NaN");
  });

  it("first row is an eval at step 0 and take() tears down cleanly", async () => {
    const first = await firstValueFrom(train({ steps: 5 }));
    expect(first).toMatchObject({ type: "eval", step: 0 });
    const some = await lastValueFrom(train({ steps: 1000 }).pipe(filter(isRow("step")), take(3), toArray()));
    expect(some.map((r) => r.step)).toEqual([1, 2, 3]);
  });
});

describe("train: edge cases", () => {
  it("a zero-step run evaluates once and completes", async () => {
    const rows = await rowsOf({ steps: 0 });
    expect(rows.map((r) => r.type)).toEqual(["eval", "status"]);
    expect(rows[1]).toMatchObject({ status: "completed", step: 0 });
  });
});

describe("train: decision boundaries", () => {
  it("emits the predicted class on a grid for 2-D data, and it matches the data once trained", async () => {
    const rows = await rowsOf({ steps: 600, depth: 2, width: 32, probes: { boundaryEvery: 300, boundaryResolution: 30 } });
    const b = rows.filter((r) => r.type === "boundary");
    expect(b.map((r) => r.step)).toEqual([0, 300, 600]);
    const last = b.at(-1) as Extract<Row, { type: "boundary" }>;
    expect(last.classes).toHaveLength(900);
    // the grid cell under each training point mostly predicts that point's label (training accuracy ≈ the cells')
    const { spiral } = await import("@gradscope/core");
    const data = spiral({ seed: 1 });
    let agree = 0;
    for (let k = 0; k < data.n; k++) {
      const j = Math.floor(((data.x[2 * k]! - last.x0Min) / (last.x0Max - last.x0Min)) * 30);
      const i = Math.floor(((data.x[2 * k + 1]! - last.x1Min) / (last.x1Max - last.x1Min)) * 30);
      if (last.classes[i * 30 + j] === data.y[k]) agree++;
    }
    const finalEval = rows.filter(isRow("eval")).at(-1)!;
    expect(finalEval.accuracy).toBeGreaterThan(0.85);
    expect(agree / data.n).toBeGreaterThan(0.8);
  });
  it("emits none for data that is not 2-D", async () => {
    const { loadDigits } = await import("@gradscope/core/node");
    const rows = await rowsOf({ dataset: "digits", n: 200, steps: 3, probes: { boundaryEvery: 1 } }, { loadDigits });
    expect(rows.some((r) => r.type === "boundary")).toBe(false);
  });
});

describe("train: errors", () => {
  it("an error thrown by a kernel during training ends the Observable with it (not the process)", async () => {
    let calls = 0;
    const failing = { ...jsBackend, name: "failing", matmul(...args: Parameters<typeof jsBackend.matmul>) {
      if (++calls === 50) throw new Error("kernel exploded on call 50");
      jsBackend.matmul(...args);
    } };
    const rows: Row[] = [];
    const error = await new Promise<unknown>((resolve) => {
      train({ steps: 100, evalEvery: 0 }, { backend: failing }).subscribe({ next: (r) => rows.push(r), error: resolve, complete: () => resolve(null) });
    });
    expect((error as Error).message).toBe("kernel exploded on call 50");
    expect(rows.filter(isRow("step")).length).toBeGreaterThan(0);
  });
});

describe("train: the clock in the hot loop", () => {
  it("at full speed reads the clock only for each step row's timings (ms, probeMs): nothing paces the run", async () => {
    const spy = vi.spyOn(performance, "now");
    try {
      const rows = await rowsOf({ depth: 2, width: 8, steps: 200, evalEvery: 0, alerts: false, backend: "js" }, { sliceMs: 1e9 });
      expect(rows.filter(isRow("step"))).toHaveLength(200);
      // t0–t3 around the passes and one after the probes (the slice's deadline reuses it), plus two
      // around each armed tap, two taps a layer, three layers: 5 + 12 (pacing read two more: 19;
      // measured 20 before, 17 now)
      expect(spy.mock.calls.length / 200).toBeLessThanOrEqual(17.1);
    } finally {
      spy.mockRestore();
    }
  });

  it("under a speed limit still paces the steps", async () => {
    const control = createControl();
    control.setSpeed(25); // 40 ms a step
    const t = performance.now();
    const rows = await rowsOf({ depth: 2, width: 8, steps: 6, evalEvery: 0, alerts: false, backend: "js" }, { control });
    expect(rows.filter(isRow("step"))).toHaveLength(6);
    // five intervals between six steps (a busy machine only makes it longer)
    expect(performance.now() - t).toBeGreaterThanOrEqual(5 * 40 - 5);
  });
});
