import { describe, expect, it } from "vitest";
import { activationNamed, jsBackend, type Activation } from "@gradscope/core";
import { kernelCost, stepKernelMicros, timeKernels, type KernelTimer } from "@gradscope/stream";

/** A timer that returns given ns per element (forward, backward) and records what it was asked to time. */
function givenTimer(ns: Record<string, [number, number]>) {
  const asked: string[][] = [];
  const timer: KernelTimer = (acts: readonly Activation[]) => {
    asked.push(acts.map((a) => a.name));
    return acts.map((a) => ({ forwardNs: ns[a.name]![0], backwardNs: ns[a.name]![1] }));
  };
  return { timer, asked };
}

describe("kernelCost", () => {
  const measured = { relu: [0.1, 0.2], leakyRelu: [0.15, 0.225], elu: [0.5, 0.4] } satisfies Record<string, [number, number]>;

  it("sums forward and backward ns per element and divides by ReLU's, in the order asked", () => {
    const { timer } = givenTimer(measured);
    const costs = kernelCost(["elu", "relu", "leakyRelu"], { timer, backend: jsBackend });
    expect(costs.map((c) => c.activation)).toEqual(["elu", "relu", "leakyRelu"]);
    expect(costs.map((c) => c.ns)).toEqual([0.5 + 0.4, 0.1 + 0.2, 0.15 + 0.225]);
    const relu = 0.1 + 0.2;
    expect(costs.map((c) => c.relativeToRelu)).toEqual([0.9 / relu, 1, (0.15 + 0.225) / relu]);
    expect(costs[0]).toMatchObject({ forwardNs: 0.5, backwardNs: 0.4, backend: "js" });
  });

  it("times each activation once per process: repeats and later calls read the cache", () => {
    const { timer, asked } = givenTimer(measured);
    const first = kernelCost(["relu", "elu", "relu"], { timer, backend: jsBackend });
    const again = kernelCost(["elu", "leakyRelu"], { timer, backend: jsBackend });
    expect(asked).toEqual([["relu", "elu"], ["leakyRelu"]]);
    expect(again[0]).toEqual(first[1]);
    // other parameters are another kernel call: timed anew
    kernelCost(["leakyRelu"], { timer, backend: jsBackend, params: { leakyRelu: { alpha: 0.2 } } });
    expect(asked).toHaveLength(3);
  });

  it("has no ratio without ReLU, and refuses a timer that answers for the wrong number of activations", () => {
    const { timer } = givenTimer({ elu: [1, 2] });
    expect(kernelCost(["elu"], { timer, backend: jsBackend })[0]!.relativeToRelu).toBeNull();
    expect(() => kernelCost(["relu", "elu"], { timer: () => [], backend: jsBackend })).toThrow("kernelCost: the timer gave 0 timings for 2 activations");
  });

  it("the default timer gives a positive, finite time per element for each kernel", () => {
    // what it measures (ReLU cheaper than ELU …) is the business of `gradscope reproduce activation-cost` and the bench
    const timings = timeKernels([activationNamed("relu"), activationNamed("elu")], { backend: jsBackend, elements: 1024, rounds: 2 });
    expect(timings).toHaveLength(2);
    for (const t of timings) for (const ns of [t.forwardNs, t.backwardNs]) expect(ns > 0 && Number.isFinite(ns)).toBe(true);
  });
});

describe("stepKernelMicros", () => {
  it("is ns per element × the elements a step pushes through its activations (batch × width × depth)", () => {
    expect(stepKernelMicros(0.94, { batchSize: 32, width: 32, depth: 4 })).toBeCloseTo(3.85024, 12);
  });
});
