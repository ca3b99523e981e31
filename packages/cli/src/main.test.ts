import { describe, expect, it } from "vitest";
import { cli } from "./internal/testing/cli.js";



describe("gradscope activations", () => {
  it("prints f and f′ in eval mode as JSON", async () => {
    const { code, out } = await cli("activations", "--json", "--at", "-1,0,2");
    expect(code).toBe(0);
    const list = JSON.parse(out) as { name: string; params: Record<string, number>; points: { x: number; y: number; dy: number }[] }[];
    const byName = Object.fromEntries(list.map((a) => [a.name, a]));
    expect(byName.relu!.points).toEqual([{ x: -1, y: 0, dy: 0 }, { x: 0, y: 0, dy: 0 }, { x: 2, y: 2, dy: 1 }]);
    expect(byName.elu!.points[0]!.y).toBeCloseTo(Math.exp(-1) - 1, 15);
    expect(byName.elu!.points[0]!.dy).toBeCloseTo(Math.exp(-1), 15);
    expect(byName.sigmoid!.points[1]).toEqual({ x: 0, y: 0.5, dy: 0.25 });
    expect(byName.rrelu!.points[0]!.y).toBeCloseTo(-11 / 48, 15); // eval slope (1/8 + 1/3)/2
    expect(byName.prelu!.params).toEqual({ alpha: 0.25 });
  });
  it("applies --param to the activations that have it", async () => {
    const { out } = await cli("activations", "--json", "--at", "-2", "--param", "alpha=0.2");
    const list = JSON.parse(out) as { name: string; points: { y: number }[] }[];
    expect(list.find((a) => a.name === "leakyRelu")!.points[0]!.y).toBeCloseTo(-0.4, 15);
    const bad = await cli("activations", "--param", "gamma=1");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('no activation has a parameter named "gamma"');
  });
});

describe("gradscope gradcheck", () => {
  it("passes every activation and the MLP, as JSON", async () => {
    const { code, out } = await cli("gradcheck", "--all", "--json");
    const rows = JSON.parse(out) as { name: string; maxRelError: number; ok: boolean }[];
    expect(code).toBe(0);
    expect(rows.length).toBe(19);
    expect(rows.map((r) => r.name)).toContain("mlp");
    for (const r of rows) expect(r.maxRelError, r.name).toBeLessThan(1e-6);
  });
  it("checks named activations and rejects unknown ones", async () => {
    const { code, out } = await cli("gradcheck", "elu", "geluTanh", "--json");
    expect(code).toBe(0);
    expect((JSON.parse(out) as unknown[]).length).toBe(2);
    const bad = await cli("gradcheck", "relu7");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown activation "relu7"');
  });
});

describe("gradscope train", () => {
  it("trains and reports accuracy on the training and a held-out set", async () => {
    const { code, out } = await cli("train", "--steps", "300", "--depth", "2", "--width", "32");
    expect(code).toBe(0);
    const m = /train loss [\d.]+, accuracy ([\d.]+) %; test loss [\d.]+, accuracy ([\d.]+) %/.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(90);
    // two threads compute the same numbers: the same final line but for the time per step
    const two = await cli("train", "--steps", "300", "--depth", "2", "--width", "64", "--batch-size", "64", "--threads", "2");
    const one = await cli("train", "--steps", "300", "--depth", "2", "--width", "64", "--batch-size", "64");
    const result = (o: string) => o.split("\n").find((l) => l.startsWith("after"))!.replace(/\([\d.]+ ms\/step\)/, "");
    expect(result(two.out)).toBe(result(one.out));
    // the relaxed build (fused multiply-adds) on Node 20 too: the CLI turns V8's flag on (relaxedSimd.ts)
    expect(one.out).toMatch(/^kernels: wasm-relaxed$/m);
    // how many the helper shared depends on the machine's load (a busy one may give it no core)
    expect(two.out).toMatch(/^kernels: wasm-relaxed-2threads; \d+ matrix products shared by the second thread$/m);
  });
  it("names bad input and exits 2; a diverging run exits 1 and says so", async () => {
    for (const [argv, message] of [
      [["--depth", "0"], '--depth must be a positive integer, got "0"'],
      [["--lr", "-1"], '--lr must be a positive number, got "-1"'],
      [["--dataset", "mnistt"], 'unknown dataset "mnistt" (known: spiral, moons, circles, xor, blobs, digits)'],
      [["--activation", "rellu"], 'unknown activation "rellu"'],
      [["--batch-size", "5000"], "batch size 5000 is larger than the data set (300 examples)"],
      [["--precision", "float16"], "precision must be float32 or float64, got float16"],
      [["--threads", "3"], "threads must be 1 or 2, got 3"],
      [["--threads", "2", "--precision", "float64"], "threads 2 needs the wasm backend"],
    ] as const) {
      const r = await cli("train", ...argv);
      expect(r.code).toBe(2);
      expect(r.err).toContain(message);
    }
    const div = await cli("train", "--optimizer", "sgd", "--lr", "1e6", "--steps", "50");
    expect(div.code).toBe(1);
    expect(div.out).toMatch(/diverged at step \d+: loss is (NaN|Infinity)/);
    expect(div.out).toMatch(/^kernels: \S+$/m); // a diverged run names its kernels too
  });
});
