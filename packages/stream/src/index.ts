export * from "./rows.js";
export * from "./runConfig.js";
export * from "./control.js";
export * from "./probes.js";
export * from "./train.js";
export * from "./operators/index.js";
export { encodeRow, headerRow, recordRows, toNdjson, type HeaderInit } from "./record.js";
export { NdjsonError, parseNdjson, replay, replayRows, type ParsedNdjson, type ReplayOptions } from "./replay.js";
export * from "./trainRuns.js";
