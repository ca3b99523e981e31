// Run as a child process with --trace-gc by trainer.test.ts: warms a trainer up, then prints START,
// takes `steps` training steps and prints END, so the test can count the scavenges in between.
import { adam, createTrainer, createWasmBackend, jsBackend, mlp, prelu, relu, rrelu, spiral } from "@gradscope/core";

const steps = Number(process.argv[2] ?? 300_000);
// "js" or "wasm" (its kernels for relu, fused with the bias; TypeScript fallbacks for PReLU and RReLU)
const backend = process.argv[3] === "wasm" ? createWasmBackend() : jsBackend;
// every activation kind on the path: plain, learnable (PReLU), random per element in training (RReLU)
// "none" (default), "batch" or "layer": normalised hidden layers with residual skips
const norm = (process.argv[4] ?? "none") as "none" | "batch" | "layer";
const model = mlp({ inputs: 2, outputs: 3, depth: 3, width: 4, activation: [relu, prelu, rrelu], seed: 1, backend, norm, residual: norm !== "none" });
const trainer = createTrainer({ model, data: spiral(), batchSize: 4, optimizer: adam({ lr: 0.001 }), backend });
for (let i = 0; i < 50_000; i++) trainer.step();
console.log("START");
for (let i = 0; i < steps; i++) trainer.step();
console.log("END");
