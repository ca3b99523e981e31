/**
 * The inputs every notebook's network has – its size, step size and seed – in one place; each notebook's
 * config adds its own (activation, initialiser, bias …) to them.
 */
export interface NetInputs {
  /** Hidden layers. */
  depth: number;
  /** Units per hidden layer (the run config's `width`). */
  units: number;
  /** Learning rate. */
  lr: number;
  /** Seed of data, weights and batches. */
  seed: number;
}
