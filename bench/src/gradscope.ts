import {
  createRng, elu, mlp, relu, sgd, sigmoid,
  type Activation, type ActivationState, type Backend, type Mlp, type Network, type Optimizer,
} from "@gradscope/core";
import { createProbes } from "@gradscope/stream";
import { syncRunner, type System } from "./system.js";
import { MLP_SHAPE, mlpBatch, type MlpWorkload, type Workload } from "./workloads.js";

const activations: Record<string, Activation> = { relu, sigmoid, elu };

/** Caveats found while setting up, printed under the table. */
export const notes = new Set<string>();

/** Warns when a backend that owns memory (wasm) did not get the network's buffers. */
function checkPlacement(backend: Backend, net: Network): void {
  const owns = (backend as { owns?: (x: Float32Array | Float64Array) => boolean }).owns;
  const layer = net.layers[0]!;
  if (owns && !(owns(net.x.value) && owns(layer.weight.value))) {
    notes.add(`gradscope-${backend.name}: the graph's buffers are not in its memory (Graph and mlp() do not allocate through the backend yet), so its W1/W2 rows measure the js fallback`);
  }
}

/**
 * An MLP workload built on one backend from seed 1, with its fixed batch loaded. A step is
 * `gradients()` (forward and backward) then `update()` (SGD); `step()` does both.
 */
export function buildMlp(w: MlpWorkload, backend: Backend): { model: Mlp; net: Network; opt: Optimizer; gradients(): number; update(): void; step(): number } {
  const { inputs, outputs, batch, lr } = MLP_SHAPE;
  // `backend` puts the parameters in the backend's memory once mlp() accepts it (see bench/README.md);
  // passed as a variable so the call type-checks before that change lands
  const options = { inputs, outputs, depth: w.depth, width: w.width, activation: activations[w.activation]!, seed: 1, backend, norm: w.norm ?? ("none" as const) };
  const model = mlp(options);
  const net = model.build(batch, { backend });
  checkPlacement(backend, net);
  const data = mlpBatch(createRng(7).next);
  net.x.value.set(data.x);
  net.y.value.set(data.y);
  const opt = sgd({ lr });
  opt.attach(model.parameters, backend);
  const gradients = () => {
    const loss = net.graph.forward();
    net.graph.backward();
    return loss;
  };
  const update = () => opt.step();
  const step = () => {
    const loss = gradients();
    update();
    return loss;
  };
  return { model, net, opt, gradients, update, step };
}

/** The losses of the first `steps` SGD steps of an MLP workload: what every backend must agree on. */
export function mlpLosses(w: MlpWorkload, backend: Backend, steps: number): number[] {
  const { step } = buildMlp(w, backend);
  return Array.from({ length: steps }, step);
}

/** gradscope on one backend. */
export function gradscopeSystem(backend: Backend): System {
  return {
    name: `gradscope-${backend.name}`,
    async setup(w: Workload) {
      switch (w.kind) {
        case "mlp": {
          if (w.probes) return probedMlp(w, backend);
          const { step } = buildMlp(w, backend);
          return syncRunner(step);
        }
        case "matmul": {
          const rng = createRng(3);
          const [a, b, c] = [0, 1, 2].map(() => backend.allocate("float32", w.n * w.n)) as [Float32Array, Float32Array, Float32Array];
          for (let i = 0; i < a.length; i++) { a[i] = rng.uniform(-1, 1); b[i] = rng.uniform(-1, 1); }
          return syncRunner(() => backend.matmul(a, b, c, w.n, w.n, w.n, false));
        }
        case "activation": {
          const act = activations[w.activation]!;
          const rng = createRng(5);
          const [z, a, da, dz] = [0, 1, 2, 3].map(() => backend.allocate("float32", w.length)) as Float32Array[];
          for (let i = 0; i < w.length; i++) { z![i] = rng.uniform(-4, 4); da![i] = rng.uniform(-1, 1); }
          const state: ActivationState = {
            act, params: { ...act.params }, learned: [], learnedGrad: [],
            noise: new Float32Array(0), rng: createRng(1),
          };
          const cols = 1024, rows = w.length / cols;
          return syncRunner(() => {
            backend.activationForward(state, z!, a!, rows, cols, true);
            backend.activationBackward(state, z!, a!, da!, dz!, rows, cols, true, false);
          });
        }
      }
    },
  };
}

/**
 * W1's step with @gradscope/stream's default probes, as `train()` runs them by default: the weight
 * snapshot between backward and update, layer rows after the update. Exactly the W1 row's step
 * otherwise (same network, batch and optimiser), so W1+probes ÷ W1 is what the probes cost.
 */
function probedMlp(w: MlpWorkload, backend: Backend) {
  const { net, opt, gradients, update } = buildMlp(w, backend);
  const probes = createProbes({ network: net, optimizer: opt }, { run: "bench" });
  let step = 0;
  return syncRunner(() => {
    probes.arm();
    gradients();
    probes.beforeUpdate();
    update();
    probes.layerRows(step++);
  });
}
