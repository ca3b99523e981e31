export { relu } from "./relu.js";
export { sigmoid } from "./sigmoid.js";
