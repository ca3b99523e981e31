import { celu } from "./celu.js";
import { elu } from "./elu.js";
import { gelu } from "./gelu.js";
import { hardSigmoid } from "./hardSigmoid.js";
import { hardTanh } from "./hardTanh.js";
import { identity } from "./identity.js";
import { leakyRelu } from "./leakyRelu.js";
import { mish } from "./mish.js";
import { prelu } from "./prelu.js";
import { relu } from "./relu.js";
import { rrelu } from "./rrelu.js";
import { selu } from "./selu.js";
import { sigmoid } from "./sigmoid.js";
import { silu } from "./silu.js";
import { softplus } from "./softplus.js";
import { softsign } from "./softsign.js";
import { swish } from "./swish.js";
import { tanh } from "./tanh.js";

/**
 * Every built-in activation at its default parameters, one per name, for the CLI, docs and
 * table-driven tests to iterate over. Presets (`geluTanh`, `rreluPaper`) are left out: they are a
 * base activation with other parameters (`gelu.with({ approximate: 1 })`), share its name, and
 * are reached by name + parameters.
 * @example for (const a of activations) console.log(a.name, a.params);
 */
export const activations = Object.freeze([
  identity,
  relu,
  leakyRelu,
  prelu,
  rrelu,
  elu,
  selu,
  celu,
  gelu,
  sigmoid,
  tanh,
  swish,
  silu,
  mish,
  softplus,
  softsign,
  hardTanh,
  hardSigmoid,
] as const);
