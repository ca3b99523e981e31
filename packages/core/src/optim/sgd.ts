import type { Parameter } from "../graph/parameter.js";
import { allocate, type FloatArray } from "../tensor.js";
import { checkRate, type Optimizer } from "./optimizer.js";

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Learning rate. Default 0.1. */
  lr?: number;
  /** Momentum μ (PyTorch form: v ← μv + g; w ← w − lr·v). Default 0. */
  momentum?: number;
  /** Nesterov momentum: w ← w − lr·(g + μv). Needs momentum > 0. Default false. */
  nesterov?: boolean;
  /** L2 weight decay added to the gradient. Default 0. */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent, with optional (Nesterov) momentum.
 * @example const opt = sgd({ lr: 0.05, momentum: 0.9, nesterov: true });
 */
export function sgd(options: SgdOptions = {}): Optimizer {
  const { lr = 0.1, momentum = 0, nesterov = false, weightDecay = 0 } = options;
  checkRate("sgd", "lr", lr);
  checkRate("sgd", "momentum", momentum, { max: 1 });
  checkRate("sgd", "weightDecay", weightDecay);
  if (nesterov && momentum === 0) throw new RangeError("sgd: nesterov needs momentum > 0");
  let params: readonly Parameter[] = [];
  let velocity: FloatArray[] = [];
  return {
    name: nesterov ? "nesterov" : momentum > 0 ? "momentum" : "sgd",
    lr,
    attach(ps) {
      params = ps;
      velocity = momentum > 0 ? ps.map((p) => allocate(p.value instanceof Float64Array ? "float64" : "float32", p.value.length)) : [];
    },
    step() {
      const rate = this.lr;
      for (let k = 0; k < params.length; k++) {
        const { value: w, grad: g } = params[k]!;
        const n = w.length;
        if (momentum === 0) {
          for (let i = 0; i < n; i++) w[i]! -= rate * (g[i]! + weightDecay * w[i]!);
          continue;
        }
        const v = velocity[k]!;
        for (let i = 0; i < n; i++) {
          const gi = g[i]! + weightDecay * w[i]!;
          const vi = momentum * v[i]! + gi;
          v[i] = vi;
          w[i]! -= rate * (nesterov ? gi + momentum * vi : vi);
        }
      }
    },
  };
}
