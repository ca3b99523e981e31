// AssemblyScript entry of the WebAssembly backend's kernels (float32, SIMD128 or relaxed SIMD).
// Built by asm/build.mjs into src/backend/wasm/kernels.wasm.ts; the TypeScript side
// (src/backend/wasm/wasmBackend.ts) hands in byte pointers into the shared memory and sizes.
// Matrices are row-major; `acc` adds into the output instead of overwriting it. One module per
// family of kernels; this file only names what the binary exports.

export { heapBase, setFlushSubnormals } from "./common";
export { gemm, gemmScratch } from "./gemm";
export { addBias, binary, softmaxCrossEntropy, sumRows } from "./elementwise";
export { activationBackward, activationForward } from "./activations";
export { copy, probeActivation, probeUpdate, sumSquares } from "./probes";
export { adamUpdate, adamUpdateMeasured, setOptimScratch, sgdUpdate, sgdUpdateMeasured } from "./optim";
export { activationBackwardBias, biasActivationForward } from "./dense";
export { batchNormBackward, batchNormForward, layerNormBackward, layerNormForward } from "./norm";
