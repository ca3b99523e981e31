import type { FloatArray, Trainer } from "@gradscope/core";

/** The largest |x| of a buffer, and whether it holds a NaN or ±Infinity. */
function scan(a: FloatArray): { max: number; finite: boolean } {
  let max = 0, finite = true;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v !== v || v === Infinity || v === -Infinity) finite = false;
    else if (Math.abs(v) > max) max = Math.abs(v);
  }
  return { max, finite };
}

const e = (v: number) => v.toExponential(1);

/**
 * Says where a non-finite loss came from, from the buffers of the forward pass that produced it, walking
 * the graph from the input: the data (a non-finite feature in the batch), a layer's parameters (non-finite
 * after the last update: its gradient already was – blamed on the learning rate when the parameters have grown
 * past 1e6, so the gradient overflowed with them – or the learning rate overshot), a pre-activation that
 * overflowed, an activation whose output is NaN or ±Infinity for finite inputs, or the loss of finite
 * logits. Only the learning-rate cases suggest a smaller learning rate. Call it when `trainer.diverged`.
 *
 * @example
 * if (trainer.diverged) console.log(explainDivergence(trainer)); // "activation "mine" in hidden2 returned NaN for finite inputs (…)"
 */
export function explainDivergence(trainer: Trainer): string {
  const net = trainer.network;
  const lr = trainer.optimizer.lr;
  const input = scan(net.x.value);
  if (!input.finite) return "the data: the mini-batch holds NaN or ±Infinity features (check the data set and its noise)";
  let inMax = input.max;
  // the largest finite parameter anywhere: weights in the millions mean the updates overshot, and then a
  // gradient that overflowed is a symptom of their scale, not of a derivative
  const grown = Math.max(...net.layers.flatMap((l) => [l.weight, l.bias, ...l.learned].map((p) => scan(p.value).max)));
  for (const layer of net.layers) {
    for (const p of [layer.weight, layer.bias, ...layer.learned]) {
      if (scan(p.value).finite) continue;
      if (scan(p.grad).finite) {
        return `the learning rate: ${p.name} became NaN or ±Infinity in the last update although its gradient was finite; try a smaller learning rate (now ${lr})`;
      }
      if (grown > 1e6) {
        return `the learning rate: the gradient of ${p.name} overflowed in the last step, with parameters grown to ${e(grown)}; try a smaller learning rate (now ${lr})`;
      }
      return `the backward pass: the gradient of ${p.name} was NaN or ±Infinity in the last step${layer.activation ? ` (the derivative of activation "${layer.activation.name}" in ${layer.name}?)` : ""}`;
    }
    const pre = scan(layer.pre.value);
    if (!pre.finite) {
      const w = scan(layer.weight.value).max;
      // features in the millions would overflow with reasonable weights; otherwise the updates grew the weights
      const blame = input.max > 1e6 ? `the data's scale (features up to ${e(input.max)})` : `weights grown too large: try a smaller learning rate (now ${lr})`;
      return `${layer.name}'s pre-activation overflowed (inputs up to ${e(inMax)}, weights up to ${e(w)}): ${blame}`;
    }
    if (layer.activation && layer.post !== layer.pre) {
      const post = scan(layer.post.value);
      if (!post.finite) {
        return `activation output: "${layer.activation.name}" in ${layer.name} returned NaN or ±Infinity for finite inputs (pre-activations up to ${e(pre.max)})`;
      }
      inMax = post.max;
    } else inMax = pre.max;
  }
  return `the loss: softmax cross-entropy of finite logits (up to ${e(inMax)}) is not finite`;
}
