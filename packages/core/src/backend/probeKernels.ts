import type { Backend, ProbeKernels } from "./backend.js";
import { jsBackend } from "./js.js";

const js = jsBackend as Backend & ProbeKernels;

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
    sumSquares: b.sumSquares ? (x, n) => b.sumSquares!(x, n) : js.sumSquares,
    probeUpdate: b.probeUpdate ? (W, W0, G, fanIn, fanOut, out) => b.probeUpdate!(W, W0, G, fanIn, fanOut, out) : js.probeUpdate,
    probeActivation: b.probeActivation ? (s, z, a, rows, cols, limit, out) => b.probeActivation!(s, z, a, rows, cols, limit, out) : js.probeActivation,
  };
}
