import type { Parameter } from "../graph/parameter.js";
import { allocate, type FloatArray } from "../tensor.js";
import { checkRate, type Optimizer } from "./optimizer.js";

/** Options of {@link adam}. */
export interface AdamOptions {
  /** Learning rate. Default 0.001. */
  lr?: number;
  /** Decay of the first moment. Default 0.9. */
  beta1?: number;
  /** Decay of the second moment. Default 0.999. */
  beta2?: number;
  /** Added to √v̂. Default 1e-8. */
  epsilon?: number;
  /** L2 weight decay added to the gradient. Default 0. */
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba 2015) with bias correction.
 * @example const opt = adam({ lr: 0.003 });
 */
export function adam(options: AdamOptions = {}): Optimizer {
  const { lr = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0 } = options;
  checkRate("adam", "lr", lr);
  checkRate("adam", "beta1", beta1, { max: 1 });
  checkRate("adam", "beta2", beta2, { max: 1 });
  checkRate("adam", "epsilon", epsilon, { open: true });
  checkRate("adam", "weightDecay", weightDecay);
  let params: readonly Parameter[] = [];
  let m: FloatArray[] = [];
  let v: FloatArray[] = [];
  let t = 0;
  const like = (p: Parameter) => allocate(p.value instanceof Float64Array ? "float64" : "float32", p.value.length);
  return {
    name: "adam",
    lr,
    attach(ps) {
      params = ps;
      m = ps.map(like);
      v = ps.map(like);
      t = 0;
    },
    step() {
      t++;
      const c1 = 1 / (1 - beta1 ** t), c2 = 1 / (1 - beta2 ** t), rate = this.lr;
      for (let k = 0; k < params.length; k++) {
        const { value: w, grad: g } = params[k]!;
        const mk = m[k]!, vk = v[k]!;
        for (let i = 0; i < w.length; i++) {
          const gi = g[i]! + weightDecay * w[i]!;
          const mi = beta1 * mk[i]! + (1 - beta1) * gi;
          const vi = beta2 * vk[i]! + (1 - beta2) * gi * gi;
          mk[i] = mi;
          vk[i] = vi;
          w[i]! -= (rate * mi * c1) / (Math.sqrt(vi * c2) + epsilon);
        }
      }
    },
  };
}
