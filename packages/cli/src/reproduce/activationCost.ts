import { activations, createRng, jsBackend, type Activation, type ActivationState } from "@gradscope/core";
import { claim, reproduction, shouldStop, type ExperimentContext, type Reproduction } from "./experiment.js";

/** Options of {@link activationCost}. */
export interface ActivationCostOptions {
  /** Elements per kernel call. Default 65 536. */
  elements?: number;
  /** Timed repetitions per activation and direction (the fastest is kept). Default 15. */
  repeats?: number;
  /** Default: every built-in activation except identity. */
  names?: string[];
  seed?: number;
}

/** One activation's cost in `reproduce activation-cost`. */
export interface ActivationCost {
  activation: string;
  /** Fastest ns per element of the backend's forward kernel (eval mode) and backward kernel. */
  forwardNs: number;
  backwardNs: number;
  /** forward / relu's forward. */
  relativeToRelu: number;
}

/**
 * ns per element of every activation's forward and backward kernel in the JS backend (the one the
 * trainer uses by default), on N(0, 2) inputs, the fastest of repeated timings after a warm-up (other work on
 * the machine only ever adds time, so the minimum is the kernel's own cost; a median flipped ReLU and ELU on a
 * loaded CI machine: 25.7 vs 18.1 ns). The
 * tutorial's claim: an exponential (ELU) costs more than a comparison (ReLU, Leaky ReLU); checked as
 * "ELU's forward costs more than ReLU's". Timings depend on the machine and its load: the JSON keeps
 * the numbers, the verdict only the ordering.
 */
export async function activationCost(options: ActivationCostOptions, ctx: ExperimentContext): Promise<Reproduction<ActivationCost[]>> {
  const { elements = 65_536, repeats = 15, seed = 1 } = options;
  const names = options.names ?? activations.filter((a) => a.name !== "identity").map((a) => a.name);
  const rng = createRng(seed);
  const z = new Float32Array(elements).map(() => rng.normal(0, Math.SQRT2));
  const a = new Float32Array(elements), da = new Float32Array(elements).fill(1), dz = new Float32Array(elements);
  const rows: Omit<ActivationCost, "relativeToRelu">[] = [];
  let interrupted = false;
  for (const name of names) {
    const act: Activation | undefined = activations.find((x) => x.name === name);
    if (!act) throw new RangeError(`unknown activation "${name}"`);
    const state: ActivationState = {
      act, params: { ...act.params },
      learned: act.learnable.map((k) => Float32Array.of(act.params[k] as number)),
      learnedGrad: act.learnable.map(() => new Float32Array(1)),
      noise: new Float32Array(act.train ? elements : 0),
      rng: createRng(seed),
    };
    const time = (f: () => void) => {
      for (let i = 0; i < 3; i++) f(); // warm-up: let the JIT compile the kernel
      const ts: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const t0 = process.hrtime.bigint();
        f();
        ts.push(Number(process.hrtime.bigint() - t0) / elements);
      }
      return Math.min(...ts);
    };
    const forwardNs = time(() => jsBackend.activationForward(state, z, a, elements, 1, false));
    const backwardNs = time(() => jsBackend.activationBackward(state, z, a, da, dz, elements, 1, false, false));
    rows.push({ activation: name, forwardNs, backwardNs });
    ctx.progress(rows.length, names.length, name);
    if (rows.length < names.length && (await shouldStop(ctx))) {
      interrupted = true;
      break;
    }
  }
  const reluNs = rows.find((r) => r.activation === "relu")?.forwardNs ?? NaN;
  const data = rows.map((r) => ({ ...r, relativeToRelu: r.forwardNs / reluNs }));
  const elu = data.find((r) => r.activation === "elu");
  const checks = elu && Number.isFinite(reluNs)
    ? [{ ...claim("ELU's forward kernel costs more per element than ReLU's", elu.forwardNs > reluNs), ours: elu.forwardNs, theory: reluNs, tolerance: "ours (ELU ns) > theory (ReLU ns)" }]
    : [];
  return reproduction("activation-cost", `ns per element, forward and backward, JS backend kernels, ${elements} float32 elements, fastest of ${repeats}`, checks, data, interrupted);
}
