/** Testing helpers users can run on their own activations and graphs. */
export { checkActivation, relativeError, ErrorTally } from "./gradcheck.js";
export type { GradcheckResult, CheckActivationOptions } from "./gradcheck.js";
