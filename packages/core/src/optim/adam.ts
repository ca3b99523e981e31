import type { Parameter } from "../graph/parameter.js";
import type { FloatArray } from "../tensor.js";
import { MeasureRequests, checkRate, stateLike, updateKernels, type Optimizer } from "./optimizer.js";

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
  let k = updateKernels(undefined, "adamUpdate");
  const requests = new MeasureRequests();
  return {
    name: "adam",
    lr,
    attach(ps, backend) {
      params = ps;
      k = updateKernels(backend, "adamUpdate");
      m = ps.map((p) => stateLike(p, k));
      v = ps.map((p) => stateLike(p, k));
      t = 0;
      requests.attach(ps);
    },
    step() {
      t++;
      const c1 = 1 / (1 - beta1 ** t), c2 = 1 / (1 - beta2 ** t), rate = this.lr;
      for (let i = 0; i < params.length; i++) {
        const { value: w, grad: g } = params[i]!;
        const out = requests.take(i);
        if (out) {
          const cols = requests.colsOf(i);
          k.adamUpdateMeasured!(w, g, m[i]!, v[i]!, w.length / cols, cols, rate, beta1, beta2, c1, c2, epsilon, weightDecay, out);
        } else {
          k.adamUpdate(w, g, m[i]!, v[i]!, w.length, rate, beta1, beta2, c1, c2, epsilon, weightDecay);
        }
      }
    },
    measureNext(param, cols, out) {
      return k.adamUpdateMeasured !== undefined && requests.request(param, cols, out);
    },
  };
}
