import { isRow, type LayerRow, type Row } from "./rows.js";

/**
 * The hidden layers' rows of the last probed step of one run's rows (the output layer, activation
 * "none", left out), input side first: what a run ended with.
 * @example const hidden = finalHiddenLayers(rows); gradientRatio(hidden);
 */
export function finalHiddenLayers(rows: readonly Row[]): LayerRow[] {
  const layers = rows.filter(isRow("layer"));
  const lastStep = layers.at(-1)?.step;
  return layers.filter((l) => l.step === lastStep && l.activation !== "none");
}

/**
 * ‖∂L/∂z‖ of the first hidden layer ÷ that of the last (from one step's layer rows, input side first):
 * far below 1 when gradients vanish. Null with fewer than two hidden layers.
 */
export function gradientRatio(hidden: readonly LayerRow[]): number | null {
  return hidden.length >= 2 ? hidden[0]!.gradNormZ / hidden.at(-1)!.gradNormZ : null;
}
