/**
 * Axis words a reader would say, for the row fields views plot: never the field name itself.
 * Fields given as fractions of 1 are shown in percent ({@link isPercentField}).
 */
const labels: Readonly<Record<string, string>> = {
  gradNormZ: "‖∂L/∂z‖",
  gradRmsZ: "RMS of ∂L/∂z",
  gradNormW: "‖∂L/∂W‖",
  gradRmsW: "RMS of ∂L/∂W",
  gradNormB: "‖∂L/∂b‖",
  gradRmsB: "RMS of ∂L/∂b",
  updateRatio: "update size ‖ΔW‖ / ‖W‖",
  weightNorm: "‖W‖",
  deadFrac: "dead units (% of layer)",
  saturatedFrac: "saturated (% of units × examples)",
  signAgreement: "same-sign updates (share)",
  actMean: "mean activation",
  actStd: "std of activations",
  preMean: "mean pre-activation z",
  preStd: "std of pre-activations z",
  loss: "loss",
  accuracy: "accuracy (%)",
  alpha: "slope α",
  step: "step",
  layer: "layer (0 = input side)",
  ms: "ms per step",
  lr: "learning rate",
  // run-config fields, as sweep axes
  depth: "depth (hidden layers)",
  width: "width (units per layer)",
  init: "initialisation",
  biasInit: "bias initialisation",
  norm: "normalisation",
  residual: "skip connections",
  batchSize: "batch size",
  optimizer: "optimiser",
  precision: "precision",
  dataset: "data set",
  bestTestLoss: "held-out loss at the best step",
  bestTestAccuracy: "held-out accuracy at the best step (%)",
  testLoss: "held-out loss at the end",
  testAccuracy: "held-out accuracy at the end (%)",
};

const percent = new Set(["deadFrac", "saturatedFrac", "accuracy", "bestTestAccuracy", "testAccuracy"]);

/**
 * The axis words for a row field; an unknown field's name is returned as it is.
 * @example axisLabel("gradNormZ") // "‖∂L/∂z‖"
 */
export function axisLabel(field: string): string {
  return labels[field] ?? field;
}

/**
 * True for fields that are fractions of 1 and read as percentages (dead units, saturation, accuracy).
 * @example isPercentField("deadFrac") // true
 */
export function isPercentField(field: string): boolean {
  return percent.has(field);
}
