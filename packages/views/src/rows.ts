/**
 * The flat event rows a training run emits (issue 3's public contract). Every row carries `run` and `step`.
 *
 * NOTE: this file mirrors @gradscope/stream's rows (packages/stream/src/rows.ts); it is replaced by an
 * import when stream lands. Field names are identical to the stream's; views require only the fields of
 * the issue's contract and leave the stream's extra fields optional, so the stream's rows are assignable.
 */

/** Fields every row carries. */
export interface RowBase {
  /** Name of the run the row belongs to (several runs may be merged into one array). */
  run: string;
  /** Training step the row describes, counted from 0. */
  step: number;
}

/** One per training step. */
export interface StepRow extends RowBase {
  type: "step";
  loss: number;
  accuracy: number;
  lr: number;
  /** Milliseconds the step took. */
  ms: number;
  probeMs?: number;
  epoch?: number;
}

/** One per layer and step; `layer` counts from 0 at the input side. */
export interface LayerRow extends RowBase {
  type: "layer";
  layer: number;
  name: string;
  activation: string;
  /** ‖∂L/∂W‖ */
  gradNormW: number;
  /** ‖∂L/∂b‖ */
  gradNormB: number;
  /** ‖∂L/∂z‖, z the pre-activation: the quantity that vanishes. */
  gradNormZ: number;
  weightNorm: number;
  /** ‖ΔW‖ / ‖W‖ */
  updateRatio: number;
  preMean: number;
  preStd: number;
  actMean: number;
  actStd: number;
  /** Fraction of (unit, example) pairs with |f′(z)| < ε·max|f′|. */
  saturatedFrac: number;
  /** Fraction of units with f′(z) = 0 on every example. */
  deadFrac: number;
  /** Fraction of a unit's incoming-weight updates sharing one sign (the zig-zag signature). */
  signAgreement: number;
  /** Learned activation slope (PReLU), when the activation has one. */
  alpha?: number;
  /** RMS of ∂L/∂z, and other optional statistics. */
  gradRmsZ?: number;
  gradRmsW?: number;
  gradRmsB?: number;
  preMin?: number;
  preMax?: number;
  actMin?: number;
  actMax?: number;
  deadCount?: number;
}

/** Which tensor a distribution row summarises: pre-activations, activations or ∂L/∂z. */
export type Distribution = "pre" | "act" | "gradZ";

/** A fixed-bin histogram: `counts[i]` values fell in [bins[i], bins[i + 1]). */
export interface HistogramRow extends RowBase {
  type: "histogram";
  layer: number;
  of: Distribution;
  /** Bin edges, one more than `counts`. */
  bins: number[];
  counts: number[];
}

/** TensorBoard-style percentile bands (min, 7, 16, 31, 50, 69, 84, 93, max). */
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

/** Loss and accuracy on held-out data. */
export interface EvalRow extends RowBase {
  type: "eval";
  loss: number;
  accuracy: number;
}

/** Something a user should look at: vanishing, exploding, dead, saturated, diverged. */
export interface AlertRow extends RowBase {
  type: "alert";
  kind: AlertKind | (string & {});
  layer?: number;
  message: string;
  value?: number;
  threshold?: number;
}

/** What an alert is about. */
export type AlertKind = "vanishing" | "exploding" | "dead" | "saturated" | "diverged";

/** The run's final state. */
export interface StatusRow extends RowBase {
  type: "status";
  status: RunStatus;
  message?: string;
}

/** How a run ended. */
export type RunStatus = "completed" | "diverged" | "stopped";

/** First row of a recording: what produced the rows. Views ignore it. */
export interface HeaderRow extends RowBase {
  type: "header";
  format: string;
  config: Record<string, unknown>;
  versions: Record<string, string>;
  seed: number;
  createdAt: string;
}

/** Any row a run emits. Views read the types they need and ignore the rest. */
export type Row = StepRow | LayerRow | HistogramRow | BandsRow | EvalRow | AlertRow | StatusRow | HeaderRow;
