export { createWasmBackend, loadWasmBackend, wasmSupport, type WasmBackend, type WasmBackendOptions, type WasmVariant } from "./wasmBackend.js";
export { defaultBackend, setDefaultBackend } from "./defaultBackend.js";
import type { Backend } from "../backend.js";
import { createWasmBackend, wasmSupport } from "./wasmBackend.js";

/** One backend per WebAssembly build this runtime runs (for benchmarks and cross-backend tests). */
export function availableWasmBackends(): Backend[] {
  return wasmSupport().variants.map((variant) => createWasmBackend({ variant }));
}
