import { setFlagsFromString } from "node:v8";

/**
 * Turns on WebAssembly relaxed SIMD where Node has it behind a V8 flag (Node 20; on by default from
 * Node 22), so the wasm backend picks its relaxed build – fused multiply-adds, the build Chromium runs
 * in the notebooks – over SIMD128. The flag is process-wide (the worker threads of `compare` see it
 * too), which an application may decide and a library must not: the CLI calls this at start, before
 * any backend is created (builds are detected when first needed). Returns whether it set the flag.
 */
export function enableRelaxedSimd(nodeVersion = process.versions.node): boolean {
  if (Number(nodeVersion.split(".")[0]) >= 22) return false;
  setFlagsFromString("--experimental-wasm-relaxed-simd");
  return true;
}
