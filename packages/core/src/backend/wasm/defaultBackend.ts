import type { Backend } from "../backend.js";
import { jsBackend } from "../js.js";
import { createWasmBackend } from "./wasmBackend.js";

let chosen: Backend | undefined;

/**
 * The backend graphs use when none is given: the WebAssembly SIMD backend where it loads (relaxed
 * SIMD, else SIMD128), the TypeScript backend otherwise. `GRADSCOPE_BACKEND=js` (Node) or
 * {@link setDefaultBackend} override the choice.
 * @example const net = model.build(128, { backend: defaultBackend() });
 */
export function defaultBackend(): Backend {
  if (chosen) return chosen;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.GRADSCOPE_BACKEND === "js") return (chosen = jsBackend);
  try {
    chosen = createWasmBackend();
  } catch {
    chosen = jsBackend; // no WebAssembly SIMD, or a synchronous compile was refused
  }
  return chosen;
}

/** Overrides {@link defaultBackend}'s choice; `undefined` chooses automatically again. */
export function setDefaultBackend(backend: Backend | undefined): void {
  chosen = backend;
}
