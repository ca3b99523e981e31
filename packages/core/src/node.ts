/** Node-only entry (`@gradscope/core/node`): loaders that read files. */
export { loadDigits } from "./data/loadDigits.js";
export type { LoadDigitsOptions } from "./data/loadDigits.js";
