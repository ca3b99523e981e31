export { everyN, type EveryNOptions } from "./everyN.js";
export { layerSeries, type LayerSeries, type LayerSeriesOptions, type SeriesPoint } from "./layerSeries.js";
export { rollingMean, type RollingMeanOptions } from "./rollingMean.js";
export { alertThresholds, detectAlerts, type DetectAlertsOptions } from "./detectAlerts.js";
export { throttleRender, type ThrottleRenderOptions } from "./throttleRender.js";
export { decimate, Decimator, type DecimateOptions } from "./decimate.js";
