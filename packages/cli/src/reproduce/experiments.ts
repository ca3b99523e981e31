import { activationCost } from "./activationCost.js";
import { batchnormMnist } from "./batchnormMnist.js";
import { bornDead } from "./bornDead.js";
import { eluBiasShift } from "./eluBiasShift.js";
import type { ExperimentContext, Reproduction } from "./experiment.js";
import { glorotInit } from "./glorotInit.js";
import { heInit } from "./heInit.js";
import { productOfUniforms } from "./productOfUniforms.js";
import { residualDepth } from "./residualDepth.js";
import { rreluLaws } from "./rreluLaws.js";
import { seluFixedPoint } from "./seluFixedPoint.js";

/** Every `gradscope reproduce` experiment by name; options are each function's documented options. */
export const experiments: Record<string, (options: Record<string, unknown>, ctx: ExperimentContext) => Promise<Reproduction>> = {
  "product-of-uniforms": productOfUniforms,
  "glorot-init": glorotInit,
  "he-init": heInit,
  "selu-fixed-point": seluFixedPoint,
  "born-dead": bornDead,
  "elu-bias-shift": eluBiasShift,
  "rrelu-laws": rreluLaws,
  "activation-cost": activationCost,
  "batchnorm-mnist": batchnormMnist,
  "residual-depth": residualDepth,
};
