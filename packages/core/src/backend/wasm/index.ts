export { createWasmBackend, loadWasmBackend, wasmSupport, type WasmBackend, type WasmBackendOptions, type WasmVariant } from "./wasmBackend.js";
export { helperStarting, waitForHelper, waitForHelperSync } from "./waitForHelper.js";
export { defaultBackend, setDefaultBackend } from "./defaultBackend.js";
import { createWasmBackend, wasmSupport, type WasmBackend } from "./wasmBackend.js";

/** One backend per WebAssembly build this runtime runs (for benchmarks and cross-backend tests). */
export function availableWasmBackends(): WasmBackend[] {
  return wasmSupport().variants.map((variant) => createWasmBackend({ variant }));
}
