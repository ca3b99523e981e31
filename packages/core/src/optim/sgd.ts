import type { Parameter } from "../graph/parameter.js";
import type { FloatArray } from "../tensor.js";
import { MeasureRequests, checkRate, stateLike, updateKernels, type Optimizer } from "./optimizer.js";

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
  let k = updateKernels(undefined, "sgdUpdate");
  const requests = new MeasureRequests();
  return {
    name: nesterov ? "nesterov" : momentum > 0 ? "momentum" : "sgd",
    lr,
    attach(ps, backend) {
      params = ps;
      k = updateKernels(backend, "sgdUpdate");
      // without momentum the kernels never read v: the value itself stands in
      velocity = ps.map((p) => (momentum > 0 ? stateLike(p, k) : p.value));
      requests.attach(ps);
    },
    step() {
      const rate = this.lr;
      for (let i = 0; i < params.length; i++) {
        const { value: w, grad: g } = params[i]!;
        const out = requests.take(i);
        if (out) {
          const cols = requests.colsOf(i);
          k.sgdUpdateMeasured!(w, g, velocity[i]!, w.length / cols, cols, rate, momentum, nesterov, weightDecay, out);
        } else {
          k.sgdUpdate(w, g, velocity[i]!, w.length, rate, momentum, nesterov, weightDecay);
        }
      }
    },
    measureNext(param, cols, out) {
      return k.sgdUpdateMeasured !== undefined && requests.request(param, cols, out);
    },
  };
}
