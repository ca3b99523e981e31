export { MeasureRequests, type Optimizer } from "./optimizer.js";
export { sgd, type SgdOptions } from "./sgd.js";
export { adam, type AdamOptions } from "./adam.js";
import { adam } from "./adam.js";
import type { Optimizer } from "./optimizer.js";
import { sgd } from "./sgd.js";

/** Names accepted by {@link optimizer}. */
export const optimizerNames = ["sgd", "momentum", "nesterov", "adam"] as const;

/** An optimiser by name (momentum and Nesterov use μ = 0.9), for CLIs and configs. */
export function optimizer(name: string, lr?: number): Optimizer {
  switch (name) {
    case "sgd": return sgd({ lr });
    case "momentum": return sgd({ lr, momentum: 0.9 });
    case "nesterov": return sgd({ lr, momentum: 0.9, nesterov: true });
    case "adam": return adam({ lr });
    default: throw new RangeError(`unknown optimizer "${name}" (known: ${optimizerNames.join(", ")})`);
  }
}
