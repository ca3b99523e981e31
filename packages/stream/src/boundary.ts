import type { Dataset, Trainer } from "@gradscope/core";
import type { BoundaryRow } from "./rows.js";

/**
 * Makes decision-boundary rows for a 2-D data set: the grid is laid out once (its range is the
 * data's, padded by 10 %) and each call predicts every cell with the trainer's eval network.
 */
export function createBoundaryProbe(trainer: Trainer, data: Dataset, run: string, resolution: number) {
  if (data.features !== 2) throw new RangeError(`decision-boundary rows need 2-D data; "${data.name}" has ${data.features} features`);
  const range = (k: number): [number, number] => {
    let lo = Infinity, hi = -Infinity;
    for (let i = k; i < data.x.length; i += 2) {
      lo = Math.min(lo, data.x[i]!);
      hi = Math.max(hi, data.x[i]!);
    }
    const pad = 0.1 * (hi - lo || 1);
    return [lo - pad, hi + pad];
  };
  const [x0Min, x0Max] = range(0), [x1Min, x1Max] = range(1);
  const n = resolution * resolution;
  const grid = new Float64Array(2 * n);
  for (let i = 0; i < resolution; i++) {
    for (let j = 0; j < resolution; j++) {
      const c = i * resolution + j;
      grid[2 * c] = x0Min + ((j + 0.5) * (x0Max - x0Min)) / resolution;
      grid[2 * c + 1] = x1Min + ((i + 0.5) * (x1Max - x1Min)) / resolution;
    }
  }
  const predicted = new Int32Array(n);
  return (step: number): BoundaryRow => {
    trainer.predict(grid, n, predicted);
    return { type: "boundary", run, step, resolution, x0Min, x0Max, x1Min, x1Max, classes: Array.from(predicted) };
  };
}
