export * from "./tensor.js";
export * from "./random.js";
export * from "./activation.js";
export * from "./activations/index.js";
