import type { Activation } from "../activation.js";
import { activations } from "./activations.js";
import { geluTanh } from "./gelu.js";
import { rreluPaper } from "./rrelu.js";

const presets: Record<string, Activation> = { geluTanh, rreluPaper };

/** Every name {@link activationNamed} accepts: the built-ins plus the presets geluTanh and rreluPaper. */
export const activationNames: readonly string[] = [...activations.map((a) => a.name), ...Object.keys(presets)];

/**
 * A built-in activation by name (as a CLI flag or a notebook input gives it), optionally with
 * some parameters changed. Throws, listing the known names, on an unknown one.
 * @example activationNamed("leakyRelu", { alpha: 0.2 })
 */
export function activationNamed(name: string, params: Record<string, number> = {}): Activation {
  const base = (activations as readonly Activation[]).find((a) => a.name === name) ?? presets[name];
  if (!base) throw new RangeError(`unknown activation "${name}" (known: ${activationNames.join(", ")})`);
  return Object.keys(params).length > 0 ? base.with(params) : base;
}
