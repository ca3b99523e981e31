import { concat, defer, map, of, tap, type MonoTypeOperatorFunction, type OperatorFunction } from "rxjs";
import { encodeRow } from "./internal/ndjson.js";
import { ROW_FORMAT, type HeaderRow, type Row } from "./rows.js";

export { encodeRow };

/** What {@link headerRow} needs; `createdAt` defaults to now. */
export interface HeaderInit {
  run: string;
  config: Record<string, unknown>;
  /** Package versions, e.g. `{ "@gradscope/core": "0.1.0" }`. */
  versions?: Record<string, string>;
  seed: number;
  /** ISO 8601 time; default `new Date().toISOString()`. */
  createdAt?: string;
}

/**
 * The first row of a recording: `{type: "header", run, step: 0, format: ROW_FORMAT, config, versions, seed,
 * createdAt}`.
 *
 * @example
 * const header = headerRow({ run: "sigmoid", config, seed: 1, versions: { "@gradscope/stream": "0.1.0" } });
 */
export function headerRow(init: HeaderInit): HeaderRow {
  const { run, config, versions = {}, seed, createdAt = new Date().toISOString() } = init;
  return { type: "header", run, step: 0, format: ROW_FORMAT, config, versions, seed, createdAt };
}

/**
 * Serialises rows as NDJSON: emits the header's line first, then one line per row, each ending in "\n", so
 * the concatenated output is the file. JSON has no NaN or ±Infinity, so such numbers (in any field, nested
 * arrays included) are written as the strings "NaN", "Infinity" and "-Infinity"; `parseNdjson` and `replay`
 * turn them back into numbers (except in string fields such as `run` or `message`). -0 is written as 0.
 *
 * @example
 * rows$.pipe(toNdjson(headerRow({ run: "relu", config, seed: 1 }))).subscribe((line) => out.write(line));
 */
export function toNdjson(header: HeaderRow): OperatorFunction<Row, string> {
  return (source) => concat(of(header), source).pipe(map((row) => `${encodeRow(row)}\n`));
}

/**
 * Passes rows through unchanged and hands each one's NDJSON line (with its "\n") to `write`, the header's
 * first when given — a tee for recording while rendering. `write` is called synchronously, once per row, so
 * a sink that writes each line at once (`writeNdjson` in `@gradscope/stream/node`) loses at most the last
 * line in a crash.
 *
 * @example
 * const lines: string[] = [];
 * train(config).pipe(recordRows((line) => lines.push(line), header)).subscribe(render);
 */
export function recordRows<T extends Row>(write: (line: string) => void, header?: HeaderRow): MonoTypeOperatorFunction<T> {
  return (source) =>
    defer(() => {
      if (header !== undefined) write(`${encodeRow(header)}\n`);
      return source.pipe(tap((row) => write(`${encodeRow(row)}\n`)));
    });
}
