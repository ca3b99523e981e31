import { describe, expect, it } from "vitest";
import {
  Graph, createRng, createWasmBackend, elu, jsBackend, mlp, parameter, prelu, relu, rrelu, sigmoid, softplus, tanh, gelu,
  type Activation, type Backend,
} from "@gradscope/core";
import { checkGraph } from "@gradscope/core/testing";

function fillInputs(net: ReturnType<ReturnType<typeof mlp>["build"]>, seed: number, classes: number): void {
  const rng = createRng(seed);
  for (let i = 0; i < net.x.value.length; i++) net.x.value[i] = rng.normal();
  for (let i = 0; i < net.y.value.length; i++) net.y.value[i] = rng.int(classes);
}

describe("Graph", () => {
  it.each<[string, Activation]>([
    ["tanh", tanh], ["sigmoid", sigmoid], ["elu", elu], ["softplus", softplus], ["gelu", gelu], ["relu", relu], ["prelu", prelu],
  ])("back-propagates an MLP with %s exactly (float64 finite differences)", (_, act) => {
    const net = mlp({ inputs: 3, outputs: 4, depth: 3, width: 5, activation: act, dtype: "float64", seed: 2, biasInit: 0.1 }).build(6);
    fillInputs(net, 3, 4);
    const r = checkGraph(net.graph, { name: act.name });
    expect(r.maxRelError).toBeLessThan(1e-6);
    expect(r.ok).toBe(true);
  });

  it("gives PReLU's α a gradient per unit", () => {
    const net = mlp({ inputs: 2, outputs: 2, depth: 2, width: 4, activation: prelu, dtype: "float64", perUnit: true }).build(8);
    fillInputs(net, 5, 2);
    expect(net.layers[0]!.learned[0]!.value.length).toBe(4);
    const r = checkGraph(net.graph);
    expect(r.ok).toBe(true);
    expect(net.layers[0]!.learned[0]!.grad.some((g) => g !== 0)).toBe(true);
  });

  it("accumulates gradients of a node used twice", () => {
    const g = new Graph({ dtype: "float64" });
    const x = g.input("x", [2, 2]);
    const W = g.param(parameter("W", [2, 2], "float64"));
    W.value.set([0.5, -0.2, 0.3, 0.8]);
    x.value.set([1, 2, -1, 0.5]);
    const z = g.dense(x, W, null);
    const t = g.activation(z, tanh);
    const sum = g.add(t, g.mul(t, z)); // t used twice, z used twice
    const y = g.labels("y", 2);
    y.value.set([0, 1]);
    g.softmaxCrossEntropy(sum, y);
    expect(checkGraph(g).ok).toBe(true);
  });

  it("checks shapes when the graph is built, naming them", () => {
    const g = new Graph();
    const x = g.input("x", [4, 3]);
    const W = g.param(parameter("W", [2, 5]));
    expect(() => g.dense(x, W, null, "layer1")).toThrow("layer1: input [4, 3] cannot multiply weight [2, 5] (3 ≠ 2)");
    const b = g.param(parameter("b", [4]));
    expect(() => g.dense(x, g.param(parameter("W2", [3, 5])), b)).toThrow("bias shape [4] should be [5]");
    expect(() => g.add(x, g.input("y", [3, 4]))).toThrow("shapes [4, 3] and [3, 4] differ");
    expect(() => g.param(parameter("W64", [2, 2], "float64"))).toThrow("parameter W64 is float64 but the graph is float32");
  });

  it("is plain data a notebook can draw", () => {
    const net = mlp({ inputs: 2, outputs: 2, depth: 1, width: 3, activation: relu }).build(4);
    const nodes = net.graph.nodes();
    expect(nodes.map((n) => n.op)).toEqual(["input", "param", "param", "dense", "activation", "param", "param", "dense", "softmaxCrossEntropy"]);
    expect(nodes[3]).toMatchObject({ name: "hidden0.z", shape: [4, 3], inputs: [0, 1, 2], requiresGrad: true });
    expect(nodes[4]).toMatchObject({ activation: "relu" });
    expect(nodes[0]!.requiresGrad).toBe(false);
    expect(JSON.parse(JSON.stringify(nodes))).toEqual(nodes);
  });

  it("does not compute the data input's gradient", () => {
    const net = mlp({ inputs: 2, outputs: 2, depth: 1, width: 3, activation: relu }).build(4);
    expect(net.x.grad).toBeNull();
    expect(net.layers[0]!.pre.grad).not.toBeNull();
  });
});

describe("losses", () => {
  const rng = createRng(11);
  const build = () => {
    const g = new Graph({ dtype: "float64" });
    const x = g.input("x", [5, 3]);
    x.value.set(Array.from({ length: 15 }, () => rng.normal()));
    const W = parameter("W", [3, 2], "float64");
    W.value.set(Array.from({ length: 6 }, () => rng.normal()));
    const b = parameter("b", [2], "float64");
    return { g, z: g.activation(g.dense(x, g.param(W), g.param(b)), tanh) };
  };
  it("mean squared error: value and gradients", () => {
    const { g, z } = build();
    const t = g.input("t", [5, 2]);
    t.value.set(Array.from({ length: 10 }, (_, i) => i / 10));
    g.mse(z, t);
    let expected = 0;
    g.forward();
    for (let i = 0; i < 10; i++) expected += (z.value[i]! - t.value[i]!) ** 2;
    expect(g.loss).toBeCloseTo(expected / 10, 14);
    expect(checkGraph(g).ok).toBe(true);
  });
  it("binary cross-entropy from logits: value (stable form) and gradients", () => {
    const { g, z } = build();
    const t = g.input("t", [5, 2]);
    t.value.set([1, 0, 0, 1, 1, 1, 0, 0, 1, 0]);
    g.binaryCrossEntropy(z, t);
    g.forward();
    let expected = 0;
    for (let i = 0; i < 10; i++) {
      const p = 1 / (1 + Math.exp(-z.value[i]!));
      expected -= t.value[i]! * Math.log(p) + (1 - t.value[i]!) * Math.log(1 - p);
    }
    expect(g.loss).toBeCloseTo(expected / 10, 12);
    expect(checkGraph(g).ok).toBe(true);
  });
  it("binary cross-entropy stays finite for huge logits", () => {
    const g = new Graph({ dtype: "float64" });
    const z = g.input("z", [1, 2]);
    const t = g.input("t", [1, 2]);
    z.value.set([1000, -1000]);
    t.value.set([0, 1]);
    g.binaryCrossEntropy(z, t);
    expect(g.forward()).toBeCloseTo(1000, 10);
  });
});

describe("bias + activation fusion", () => {
  /** The same backend without the fused kernels: the graph then runs addBias and the activation apart. */
  const unfused = (b: Backend): Backend => ({ ...b, biasActivationForward: undefined, activationBackwardBias: undefined });
  /** Counts the unfused bias kernels a backend is asked to run. */
  function counting(b: Backend) {
    const calls = { addBias: 0, sumRows: 0 };
    const counted: Backend = {
      ...b,
      addBias(...args) { calls.addBias++; b.addBias(...args); },
      sumRows(...args) { calls.sumRows++; b.sumRows(...args); },
    };
    return { counted, calls };
  }
  /** Loss and every parameter gradient of one forward + backward of an MLP on `backend`. */
  function run(backend: Backend, dtype: "float32" | "float64", act: Activation) {
    const net = mlp({ inputs: 5, outputs: 3, depth: 3, width: 7, activation: act, dtype, seed: 4, biasInit: 0.1, backend }).build(9, { backend });
    fillInputs(net, 6, 3);
    const loss = net.graph.forward();
    net.graph.backward();
    return { loss, grads: net.graph.parameters.map((p) => Array.from(p.grad)), values: net.layers.map((l) => Array.from(l.post.value)) };
  }

  it("runs no separate bias kernels when the backend fuses, and gives bit-identical results", () => {
    const wasm = createWasmBackend();
    for (const [backend, dtype] of [[jsBackend, "float64"], [wasm, "float32"]] as const) {
      for (const act of [relu, sigmoid, prelu]) {
        const { counted, calls } = counting(backend);
        const fused = run(counted, dtype, act);
        // only the output layer (no activation after it) adds its bias and sums its gradient apart
        expect(calls, `${backend.name} ${act.name}`).toEqual({ addBias: 1, sumRows: 1 });
        expect(fused).toEqual(run(unfused(backend), dtype, act));
      }
    }
  });

  it("gives the bias the gradient of every consumer of z (float64 finite differences)", () => {
    const g = new Graph({ dtype: "float64" });
    const rng = createRng(8);
    const x = g.input("x", [3, 4]);
    const W = g.param(parameter("W", [4, 4], "float64"));
    const b = g.param(parameter("b", [4], "float64"));
    for (const t of [x.value, W.value, b.value]) for (let i = 0; i < t.length; i++) t[i] = rng.normal();
    const z = g.dense(x, W, b);
    const a = g.activation(z, tanh); // fused with the bias
    const out = g.add(g.mul(a, z), g.activation(z, sigmoid)); // z read twice more, after the fused op
    const y = g.labels("y", 3);
    y.value.set([0, 3, 1]);
    g.softmaxCrossEntropy(out, y);
    const r = checkGraph(g);
    expect(r.maxRelError).toBeLessThan(1e-7);
    expect(r.ok).toBe(true);
  });
});

describe("graph taps", () => {
  it("run right after a node's forward and once its gradient is final; untap removes them", () => {
    const net = mlp({ inputs: 2, outputs: 2, depth: 2, width: 3, activation: tanh, dtype: "float64", seed: 3 }).build(4);
    fillInputs(net, 1, 2);
    const g = net.graph, [l0, l1] = net.layers as [typeof net.layers[0], typeof net.layers[0]];
    const seen: string[] = [];
    const snapshots: number[][] = [];
    g.tap(l0.post, "forward", () => { seen.push("a0"); snapshots.push(Array.from(l0.post.value)); });
    const untap = g.tap(l1.pre, "forward", () => seen.push("z1"));
    g.tap(l0.pre, "gradient", () => { seen.push("dz0"); snapshots.push(Array.from(l0.pre.grad!)); });
    g.forward();
    g.backward();
    // forward in build order, then the first layer's ∂L/∂z once backward reaches it
    expect(seen).toEqual(["a0", "z1", "dz0"]);
    expect(snapshots[0]).toEqual(Array.from(l0.post.value)); // a0 was complete when tapped
    expect(snapshots[1]).toEqual(Array.from(l0.pre.grad!)); // dz0 was final when tapped
    untap();
    g.forward();
    expect(seen.filter((s) => s === "z1")).toHaveLength(1);
    expect(() => g.tap(net.x, "forward", () => {})).toThrow('graph.tap: node "x" is not computed by an op');
  });

  it("see a dense layer's z with its bias even when the bias is fused into the activation", () => {
    const net = mlp({ inputs: 2, outputs: 2, depth: 1, width: 3, activation: tanh, dtype: "float64", seed: 3, biasInit: 10 }).build(2);
    fillInputs(net, 1, 2);
    const l0 = net.layers[0]!;
    let seen: number[] = [];
    net.graph.tap(l0.pre, "forward", () => (seen = Array.from(l0.pre.value)));
    net.graph.forward();
    expect(seen).toEqual(Array.from(l0.pre.value)); // x·W + b, not x·W
    expect(Math.min(...seen)).toBeGreaterThan(5);
  });

  it("refuse a gradient tap where there is no gradient; removing taps during a pass disturbs nothing", () => {
    const g = new Graph({ dtype: "float64" });
    const x = g.input("x", [1, 2]);
    const t = g.activation(x, tanh); // no parameter upstream: no gradient
    expect(() => g.tap(t, "gradient", () => {})).toThrow('graph.tap: node "x.tanh" has no gradient');
    const calls: string[] = [];
    const untapA = g.tap(t, "forward", () => { calls.push("a"); untapA(); });
    g.tap(t, "forward", () => calls.push("b"));
    g.forward();
    g.forward();
    expect(calls).toEqual(["a", "b", "b"]);
  });
});

describe("normalisation nodes (float64 finite differences)", () => {
  /**
   * x (a parameter, so its gradient is checked too: batch normalisation couples the rows, and each
   * row's gradient depends on the others') → dense → norm → tanh → dense → softmax cross-entropy.
   */
  function normGraph(kind: "batch" | "layer", rows: number, seed: number) {
    const rng = createRng(seed);
    const g = new Graph({ dtype: "float64" });
    const p = (name: string, shape: number[], fill: () => number) => {
      const q = parameter(name, shape, "float64");
      for (let i = 0; i < q.value.length; i++) q.value[i] = fill();
      return g.param(q);
    };
    const x = p("x", [rows, 4], () => rng.normal());
    const z = g.dense(x, p("W", [4, 5], () => rng.normal()), null);
    const gamma = p("gamma", [5], () => rng.uniform(0.5, 2)), beta = p("beta", [5], () => rng.normal());
    const n = kind === "batch" ? g.batchNorm(z, gamma, beta) : g.layerNorm(z, gamma, beta);
    const logits = g.dense(g.activation(n, tanh), p("W2", [5, 3], () => rng.normal()), p("b2", [3], () => rng.normal()));
    const y = g.labels("y", rows);
    for (let i = 0; i < rows; i++) y.value[i] = rng.int(3);
    g.softmaxCrossEntropy(logits, y);
    return { g, n };
  }

  it.each([
    ["batch", true], ["batch", false], ["layer", true], ["layer", false],
  ] as const)("%s normalisation, training mode %s: every parameter and every input element", (kind, training) => {
    for (const seed of [1, 2, 3]) {
      const { g } = normGraph(kind, 6, seed);
      if (!training) {
        // eval mode reads running estimates: move them off (0, 1) with a few training passes first
        for (let i = 0; i < 3; i++) g.forward();
      }
      const r = checkGraph(g, { training, perParameter: 64, name: `${kind} ${training ? "train" : "eval"}` });
      expect(r.maxRelError, JSON.stringify(r.worst)).toBeLessThan(1e-6);
      expect(r.ok).toBe(true);
    }
  });

  it("batch normalisation in training mode couples the rows; in eval mode and layer normalisation do not", () => {
    const rowGradientsAfterChangingRow0 = (kind: "batch" | "layer", training: boolean) => {
      const { g } = normGraph(kind, 6, 4);
      g.training = training;
      const x = g.parameters[0]!;
      g.forward(); g.backward();
      const before = Array.from(x.grad.subarray(4)); // rows 1–5
      x.value[0]! += 0.5;
      g.forward(); g.backward();
      return Math.max(...before.map((v, i) => Math.abs(v - x.grad[4 + i]!)));
    };
    expect(rowGradientsAfterChangingRow0("batch", true)).toBeGreaterThan(1e-4);
    expect(rowGradientsAfterChangingRow0("batch", false)).toBe(0);
    expect(rowGradientsAfterChangingRow0("layer", true)).toBe(0);
  });

  it("switches batch normalisation and RReLU together with graph.training", () => {
    const { g, n } = normGraph("batch", 6, 5);
    const r = g.activation(n, rrelu);
    g.training = false;
    g.forward();
    const evalOut = Array.from(r.value);
    g.forward();
    expect(Array.from(r.value)).toEqual(evalOut); // deterministic in eval: running stats unchanged, mean slope
    g.training = true;
    g.forward();
    expect(Array.from(r.value)).not.toEqual(evalOut);
  });

  it("names bad shapes and options, and a training batch of one row", () => {
    const g = new Graph();
    const x = g.input("x", [1, 3]);
    const gamma = g.param(parameter("g", [3])), beta = g.param(parameter("b", [3]));
    expect(() => g.batchNorm(x, g.param(parameter("g4", [4])), beta, { name: "bn" })).toThrow("bn: gamma shape [4] should be [3]");
    expect(() => g.layerNorm(x, gamma, beta, { epsilon: 0 })).toThrow("layerNorm: epsilon must be > 0, got 0");
    expect(() => g.batchNorm(x, gamma, beta, { momentum: 2 })).toThrow("batchNorm: momentum must be in [0, 1], got 2");
    expect(() => g.batchNorm(x, gamma, beta, { runningMean: new Float32Array(2) })).toThrow("batchNorm: runningMean must be 3 float32 values, got 2 float32");
    g.batchNorm(x, gamma, beta);
    expect(() => g.forward()).toThrow("batchNorm: training needs at least 2 rows per batch to estimate a variance, got 1");
    g.training = false;
    expect(() => g.forward()).not.toThrow();
  });
});
