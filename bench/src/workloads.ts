/** The reference workloads of notes/performance.md: float32, fixed seeds. */
export interface MlpWorkload {
  kind: "mlp";
  id: "W1" | "W2" | "W1+probes" | "W1+batchnorm" | "W1+layernorm";
  depth: number;
  width: number;
  activation: "relu" | "sigmoid";
  /** Run @gradscope/stream's default probes (layer rows every step) after each step: gradscope only. */
  probes?: boolean;
  /** Normalise every hidden layer (mlp's `norm`: no dense bias there, β instead): gradscope only. */
  norm?: "batch" | "layer";
}
export interface MatmulWorkload {
  kind: "matmul";
  id: `W3-${number}`;
  n: number;
}
export interface ActivationWorkload {
  kind: "activation";
  id: `W4-${string}`;
  activation: "relu" | "sigmoid" | "elu";
  length: number;
}
export type Workload = MlpWorkload | MatmulWorkload | ActivationWorkload;

/** Shared by every MLP workload: input 128, 10 classes, batch 128, softmax-CE, plain SGD. */
export const MLP_SHAPE = { inputs: 128, outputs: 10, batch: 128, lr: 0.01 } as const;

export const workloads: readonly Workload[] = [
  { kind: "mlp", id: "W1", depth: 20, width: 128, activation: "relu" },
  { kind: "mlp", id: "W1+probes", depth: 20, width: 128, activation: "relu", probes: true },
  { kind: "mlp", id: "W1+batchnorm", depth: 20, width: 128, activation: "relu", norm: "batch" },
  { kind: "mlp", id: "W1+layernorm", depth: 20, width: 128, activation: "relu", norm: "layer" },
  { kind: "mlp", id: "W2", depth: 50, width: 64, activation: "sigmoid" },
  { kind: "matmul", id: "W3-128", n: 128 },
  { kind: "matmul", id: "W3-512", n: 512 },
  { kind: "activation", id: "W4-relu", activation: "relu", length: 2 ** 20 },
  { kind: "activation", id: "W4-sigmoid", activation: "sigmoid", length: 2 ** 20 },
  { kind: "activation", id: "W4-elu", activation: "elu", length: 2 ** 20 },
];

/** Workloads the bench cannot measure yet, printed as such rather than faked. */
export const pendingWorkloads: readonly { id: string; why: string }[] = [];

/** Multiply-adds ×2 of one unit of work, for GFLOP/s columns (matmul only). */
export function flops(w: Workload): number | null {
  return w.kind === "matmul" ? 2 * w.n ** 3 : null;
}

/** Input data of an MLP workload, identical for every system: standard normal features, labels 0…9. */
export function mlpBatch(seedRandom: () => number): { x: Float32Array; y: Int32Array } {
  const { inputs, outputs, batch } = MLP_SHAPE;
  const x = new Float32Array(batch * inputs);
  for (let i = 0; i < x.length; i++) x[i] = gaussian(seedRandom);
  const y = new Int32Array(batch);
  for (let i = 0; i < batch; i++) y[i] = Math.floor(seedRandom() * outputs);
  return { x, y };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}
