import type { Backend, ProbeKernels } from "./backend.js";
import { jsBackend } from "./js.js";

const js = jsBackend as Backend & ProbeKernels;

/**
 * Below this, a backend's sum of squares is recomputed in float64. A float32 kernel squares in float32, so
 * elements under √(smallest normal) ≈ 1.1e-19 square to 0 (or to a subnormal that is flushed): a layer whose
 * gradients are 1e-25 – small, but held exactly by float32 – would read as exactly 0. Such sums are at most
 * n · 1.2e-38; above 1e-28 the loss is below 1e-4 relative for any n ≤ 1e6, so only vanishing layers pay.
 */
const TINY_SUM = 1e-28;

/**
 * A backend's probe reductions, with jsBackend's standing in for any it lacks,
 * callable on their own.
 * @example
 * const k = probeKernels(trainer.network.graph.backend);
 * const gradNormZ = Math.sqrt(k.sumSquares(layer.pre.grad, layer.pre.grad.length));
 */
export function probeKernels(backend: Backend): ProbeKernels {
  const b = backend;
  return {
    copy: b.copy ? (src, dst, n) => b.copy!(src, dst, n) : js.copy,
    sumSquares: b.sumSquares
      ? (x, n) => {
          const s = b.sumSquares!(x, n);
          return s < TINY_SUM ? js.sumSquares(x, n) : s;
        }
      : js.sumSquares,
    probeUpdate: b.probeUpdate ? (W, W0, G, fanIn, fanOut, out) => b.probeUpdate!(W, W0, G, fanIn, fanOut, out) : js.probeUpdate,
    probeActivation: b.probeActivation ? (s, z, a, rows, cols, limit, out) => b.probeActivation!(s, z, a, rows, cols, limit, out) : js.probeActivation,
  };
}
