// the union package, as users install it: tfjs-core alone registers no gradients under Node
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng } from "@gradscope/core";
import type { Runner, System } from "./system.js";
import { MLP_SHAPE, mlpBatch, type Workload } from "./workloads.js";

// production mode: no "install tfjs-node" banner on stdout, none of the debug-only checks
tf.env().set("PROD", true);

type Act = (x: tf.Tensor) => tf.Tensor;
const activations: Record<string, Act> = { relu: (x) => tf.relu(x), sigmoid: (x) => tf.sigmoid(x), elu: (x) => tf.elu(x) };

/** TensorFlow.js on one of its backends ("cpu": pure JS, "wasm": XNNPACK SIMD, one thread under Node). */
export function tfjsSystem(backend: "cpu" | "wasm"): System {
  let ready: Promise<boolean> | undefined;
  const use = async () => {
    ready ??= tf.setBackend(backend);
    if (!(await ready)) throw new Error(`tfjs backend ${backend} failed to initialise`);
    if (tf.getBackend() !== backend) await tf.setBackend(backend);
  };
  return {
    name: `tfjs-${backend}`,
    async setup(w: Workload): Promise<Runner | null> {
      if (w.kind === "mlp" && w.probes) return null; // gradscope's probes have no peer
      if (w.kind === "mlp" && w.norm) return null; // normalised W1: gradscope against its own W1 only
      await use();
      const made = build(w);
      return {
        async sample(iters) {
          if (tf.getBackend() !== backend) await tf.setBackend(backend);
          const t0 = performance.now();
          for (let i = 0; i < iters; i++) made.run();
          return (performance.now() - t0) / iters;
        },
        dispose: () => made.dispose(),
      };
    },
  };
}

function build(w: Workload): { run(): void; dispose(): void } {
  const rng = createRng(3);
  const uniform = (shape: number[], limit: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.uniform(-limit, limit);
    return tf.tensor(v, shape);
  };
  switch (w.kind) {
    case "mlp": {
      const { inputs, outputs, batch, lr } = MLP_SHAPE;
      const data = mlpBatch(createRng(7).next);
      const x = tf.tensor2d(data.x, [batch, inputs]);
      const onehot = tf.oneHot(tf.tensor1d(data.y, "int32"), outputs);
      const sizes = [inputs, ...Array<number>(w.depth).fill(w.width), outputs];
      const weights = sizes.slice(1).map((out, i) => tf.variable(uniform([sizes[i]!, out], Math.sqrt(6 / (sizes[i]! + out)))));
      const biases = sizes.slice(1).map((out) => tf.variable(tf.zeros([out])));
      const act = activations[w.activation]!;
      const opt = tf.train.sgd(lr);
      const loss = () => {
        let h: tf.Tensor = x;
        for (let i = 0; i < weights.length; i++) {
          const z = tf.add(tf.matMul(h as tf.Tensor2D, weights[i]!), biases[i]!);
          h = i < w.depth ? act(z) : z;
        }
        return tf.losses.softmaxCrossEntropy(onehot, h) as tf.Scalar;
      };
      return {
        run: () => opt.minimize(loss, true)!.dispose(),
        dispose: () => {
          tf.dispose([x, onehot, ...weights, ...biases]);
          opt.dispose();
        },
      };
    }
    case "matmul": {
      const a = uniform([w.n, w.n], 1), b = uniform([w.n, w.n], 1);
      return { run: () => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D).dispose(), dispose: () => tf.dispose([a, b]) };
    }
    case "activation": {
      const z = uniform([w.length], 4), dy = uniform([w.length], 1);
      const grad = tf.grad(activations[w.activation]!);
      return { run: () => grad(z, dy).dispose(), dispose: () => tf.dispose([z, dy]) };
    }
  }
}
