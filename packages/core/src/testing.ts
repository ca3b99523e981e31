/** Testing helpers users can run on their own activations and graphs. */
export { checkActivation, checkGraph, relativeError, ErrorTally } from "./gradcheck.js";
export type { GradcheckResult, CheckActivationOptions, CheckGraphOptions, CheckableGraph } from "./gradcheck.js";
