import { describe, expect, it } from "vitest";
import { kernelCostInWorker, type KernelCost, type WorkerLike } from "@gradscope/stream";
import { nodeTrainWorker } from "@gradscope/stream/node";

/** A worker that answers each message with `reply(message)`, and counts how many were started. */
function fakeWorkers(reply: (message: { type: string; names?: string[] }) => unknown) {
  const started: { posted: unknown[]; terminated: boolean }[] = [];
  const start = (): WorkerLike => {
    const me = { posted: [] as unknown[], terminated: false };
    started.push(me);
    let handlers: Parameters<WorkerLike["listen"]>[0];
    return {
      listen: (h) => void (handlers = h),
      postMessage: (m) => {
        me.posted.push(m);
        queueMicrotask(() => handlers.message(reply(m as { type: string })));
      },
      terminate: () => void (me.terminated = true),
    };
  };
  return { start, started };
}

const cost = (activation: string, ns: number): KernelCost => ({ activation, forwardNs: ns / 2, backwardNs: ns / 2, ns, relativeToRelu: null, backend: "fake" });

describe("kernelCostInWorker", () => {
  it("asks a worker to time the kernels (nothing is timed on the calling thread), ends it, and keeps the answer", async () => {
    const { start, started } = fakeWorkers((m) => ({ type: "kernelCost", costs: (m.names ?? []).map((n, i) => cost(n, i + 1)) }));
    const costs = await kernelCostInWorker(["tanh", "gelu"], { rounds: 3, worker: start });
    expect(costs).toEqual([cost("tanh", 1), cost("gelu", 2)]); // exactly the worker's numbers
    expect(started).toHaveLength(1);
    expect(started[0]!.posted).toEqual([{ type: "kernelCost", names: ["tanh", "gelu"], rounds: 3 }]);
    expect(started[0]!.terminated).toBe(true);
    expect(await kernelCostInWorker(["tanh", "gelu"], { rounds: 3, worker: start })).toBe(costs); // no second worker
    expect(started).toHaveLength(1);
  });

  it("rejects with the worker's error, and asks again next time", async () => {
    const { start, started } = fakeWorkers(() => ({ type: "error", name: "RangeError", message: "unknown activation 'nope'" }));
    await expect(kernelCostInWorker(["nope"], { worker: start })).rejects.toThrow(RangeError);
    await expect(kernelCostInWorker(["nope"], { worker: start })).rejects.toThrow("unknown activation 'nope'");
    expect(started).toHaveLength(2);
    expect(started.every((w) => w.terminated)).toBe(true);
  });

  // Which kernel is faster is the benchmark's question (`reproduce activation-cost`), not a unit test's: two timings
  // on a shared 2-core machine can come out either way. Here: the worker answers with real timings, in order.
  it("a real worker thread times the kernels: positive ns per element, forward + backward, relative to ReLU", async () => {
    const [relu, elu] = await kernelCostInWorker(["relu", "elu"], { rounds: 7, worker: nodeTrainWorker });
    expect(relu!.activation).toBe("relu");
    expect(relu!.relativeToRelu).toBe(1);
    expect(relu!.ns).toBeCloseTo(relu!.forwardNs + relu!.backwardNs, 12);
    expect(relu!.ns).toBeGreaterThan(0);
    expect(elu!.activation).toBe("elu");
    expect(elu!.ns).toBeCloseTo(elu!.forwardNs + elu!.backwardNs, 12);
    expect(elu!.ns > 0 && Number.isFinite(elu!.ns)).toBe(true);
    expect(elu!.relativeToRelu).toBeCloseTo(elu!.ns / relu!.ns, 12);
  }, 120_000);
});
