/**
 * The rows a training run emits: flat, serialisable objects tagged by `type`, so Plot reads them
 * directly and NDJSON records them as they are. Every row carries `run` and `step`.
 * Field names are public API: add fields freely, never rename or remove one.
 */

/** Fields every row has. */
export interface RowBase {
  type: string;
  /** Which run emitted the row (a name such as "relu", or "run-1"). */
  run: string;
  /** Training steps completed when the row was made (0 = at initialisation). */
  step: number;
}

/** One per step: how the mini-batch did. */
export interface StepRow extends RowBase {
  type: "step";
  /** Mini-batch loss before this step's update. */
  loss: number;
  /** Mini-batch accuracy before this step's update. */
  accuracy: number;
  /** Learning rate used by this step. */
  lr: number;
  /** Wall-clock milliseconds of the step (training only, probes excluded). */
  ms: number;
  /** Milliseconds spent in probes for this step. */
  probeMs: number;
  epoch: number;
}

/** One per dense layer per probed step; `layer` counts from 0 at the input side, the output layer last. */
export interface LayerRow extends RowBase {
  type: "layer";
  layer: number;
  /** "hidden0", …, "output". */
  name: string;
  /** Activation name; "none" on the output layer, whose logits feed the loss. */
  activation: string;
  /** ‖∂L/∂W‖₂ and its RMS. */
  gradNormW: number;
  gradRmsW: number;
  /** ‖∂L/∂b‖₂ and its RMS. */
  gradNormB: number;
  gradRmsB: number;
  /** ‖∂L/∂z‖₂ over the batch (z = pre-activation): what vanishes (Glorot & Bengio 2010), and its RMS. */
  gradNormZ: number;
  gradRmsZ: number;
  /** ‖W‖₂ after the update. */
  weightNorm: number;
  /** ‖ΔW‖ / ‖W‖ of this step's update. */
  updateRatio: number;
  preMean: number;
  preStd: number;
  preMin: number;
  preMax: number;
  actMean: number;
  actStd: number;
  actMin: number;
  actMax: number;
  /** Fraction of (unit, example) pairs with |f′(z)| < ε·max|f′| (ε = 0.05 by default). */
  saturatedFrac: number;
  /** Units with f′(z) = 0 for every example of the batch, and their fraction of the layer. */
  deadCount: number;
  deadFrac: number;
  /**
   * Zig-zag measure: for each unit, the fraction of its incoming weights' nonzero updates that share
   * the majority sign, averaged over units whose weights moved (NaN when none did). 1 = every
   * incoming weight moved the same way, the signature of non-zero-centred inputs (with ReLU inputs
   * and one example per step, ΔW_ij = −lr·a_i·δ_j has the sign of −δ_j for every i); independent
   * signs give ≈ 0.5 + 0.4/√fanIn.
   */
  signAgreement: number;
  /** Learnable activation parameter (PReLU α), mean over units when per unit; absent otherwise. */
  alpha?: number;
  /**
   * How far the distribution of z (the activation's input, after normalisation on a normalised
   * layer) moved since this run's previous layer row: the mean absolute change of its 16th, 50th and
   * 84th percentiles, in units of its spread now, (p84 − p16)/2 (one standard deviation for a
   * normal distribution). 0.1 = the distribution moved a tenth of its width. The percentiles come
   * from the batch's first rows (at least 512 values, or one row when wider). Each batch holds other
   * examples, so the value includes sampling noise: a network that does not change at all shows
   * ≈ 0.15–0.2 on the spiral at batch 32 (measured, seeds 1–3). Read it smoothed over steps and
   * against that floor. Absent on a run's first layer row and in older recordings.
   */
  preShift?: number;
  /** The layer's normalisation, on normalised layers only. */
  norm?: "batch" | "layer";
  /** Mean and standard deviation over units of the normalisation's scale γ and shift β (normalised layers only). */
  gammaMean?: number;
  gammaStd?: number;
  betaMean?: number;
  betaStd?: number;
}

/** Which buffer a distribution row describes. */
export type Distribution = "pre" | "act" | "gradZ";

/** A histogram of one layer's buffer: `bins` are the counts.length + 1 edges. */
export interface HistogramRow extends RowBase {
  type: "histogram";
  layer: number;
  of: Distribution;
  bins: number[];
  counts: number[];
}

/** TensorBoard-style percentile bands of one layer's buffer. */
export interface BandsRow extends RowBase {
  type: "bands";
  layer: number;
  of: Distribution;
  p0: number;
  p7: number;
  p16: number;
  p31: number;
  p50: number;
  p69: number;
  p84: number;
  p93: number;
  p100: number;
}

/** Held-out evaluation, every N steps. */
export interface EvalRow extends RowBase {
  type: "eval";
  loss: number;
  accuracy: number;
}

/**
 * A 2-D model's predicted class on a regular `resolution` × `resolution` grid over the data's range
 * (padded by 10 %), every `probes.boundaryEvery` steps: `classes[i·resolution + j]` is the class at
 * x0 = x0Min + (j + ½)·(x0Max − x0Min)/resolution, x1 = x1Min + (i + ½)·(x1Max − x1Min)/resolution.
 */
export interface BoundaryRow extends RowBase {
  type: "boundary";
  resolution: number;
  x0Min: number;
  x0Max: number;
  x1Min: number;
  x1Max: number;
  classes: number[];
}

/** What an alert is about. */
export type AlertKind = "vanishing" | "exploding" | "dead" | "saturated" | "diverged";

/** Something worth a look; `value` is the measured quantity that crossed `threshold`. */
export interface AlertRow extends RowBase {
  type: "alert";
  kind: AlertKind;
  layer?: number;
  message: string;
  value?: number;
  threshold?: number;
}

/** How a run ended. */
export type RunStatus = "completed" | "diverged" | "stopped";

/** The last row of every run. */
export interface StatusRow extends RowBase {
  type: "status";
  status: RunStatus;
  message?: string;
  /** The kernels the run used: "js", "wasm-relaxed", "wasm-simd128", "wasm-relaxed-2threads", … (absent in older recordings). */
  backend?: string;
  /**
   * With `threads: 2`: matrix products the helper thread shared during this run (see `kernelsUsed`;
   * on a backend that concurrent runs share through `TrainOverrides.backend`, theirs too).
   */
  parallelProducts?: number;
}

/**
 * A run has stopped at a pause: emitted once each time it does, right after the rows of the last step it took
 * (`step`), so nothing more comes from it until a command (step, resume, stop). A view or a test can wait for
 * this event instead of waiting for the rows to stop (which, on a busy machine, can take any time).
 */
export interface PausedRow extends RowBase {
  type: "paused";
}

/** First row of a recording: what produced the rows. */
export interface HeaderRow extends RowBase {
  type: "header";
  /** Format identifier, "gradscope-rows/1". */
  format: string;
  config: Record<string, unknown>;
  versions: Record<string, string>;
  seed: number;
  createdAt: string;
}

/** Any row. */
export type Row = StepRow | LayerRow | HistogramRow | BandsRow | EvalRow | BoundaryRow | AlertRow | StatusRow | PausedRow | HeaderRow;

/** The row type of a `type` tag. */
export type RowOf<T extends Row["type"]> = Extract<Row, { type: T }>;

/** Narrows a row by its type. */
export function isRow<T extends Row["type"]>(type: T) {
  return (row: Row): row is RowOf<T> => row.type === type;
}

/** The format tag written in recordings' header rows. */
export const ROW_FORMAT = "gradscope-rows/1";
