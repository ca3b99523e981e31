/**
 * Node file helpers for recordings (`@gradscope/stream/node`): write rows to an NDJSON file line by line,
 * read one back as a stream, replay it.
 */
import { closeSync, createReadStream, openSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { defer, finalize, tap, type MonoTypeOperatorFunction, type Observable } from "rxjs";
import { encodeRow, NdjsonDecoder, type DecoderOptions } from "./internal/ndjson.js";
import { replayRows, type ReplayOptions } from "./replay.js";
import type { HeaderRow, Row } from "./rows.js";

/** Options of {@link writeNdjson}. */
export interface WriteNdjsonOptions {
  /** Written first (see `headerRow`). */
  header?: HeaderRow;
  /** Append to an existing file instead of replacing it; default false. */
  append?: boolean;
}

/**
 * Records the rows passing through to an NDJSON file (see `toNdjson` for the format) and passes them on.
 * The file is opened on subscription and closed on completion, error or unsubscription; each row is one
 * synchronous write of one whole line, so a crash of the process loses at most the line being written
 * (which `readNdjson` then reports as truncated).
 *
 * @example
 * train(config).pipe(writeNdjson("run.ndjson", { header: headerRow({ run: "a", config, seed: 1 }) })).subscribe();
 */
export function writeNdjson<T extends Row>(path: string, options: WriteNdjsonOptions = {}): MonoTypeOperatorFunction<T> {
  const { header, append = false } = options;
  return (source) =>
    defer(() => {
      const fd = openSync(path, append ? "a" : "w");
      let closed = false;
      const close = () => {
        if (!closed) closeSync(fd);
        closed = true;
      };
      try {
        if (header !== undefined) writeSync(fd, `${encodeRow(header)}\n`);
      } catch (err) {
        close();
        throw err;
      }
      return source.pipe(
        tap((row) => writeSync(fd, `${encodeRow(row)}\n`)),
        finalize(close),
      );
    });
}

/**
 * Reads an NDJSON recording line by line with `readline`, yielding its rows (the header goes to
 * `onHeader`), so a file of any size is read in constant memory. Throws an `NdjsonError` naming the line
 * of a malformed line; a truncated last line (no newline at the end of the file) goes to `onWarning`
 * (default `console.warn`) and the rows before it are kept. Breaking out of the loop closes the file.
 *
 * @example
 * for await (const row of readNdjson("run.ndjson", { onHeader: (h) => console.log(h.config) })) count++;
 */
export async function* readNdjson(path: string, options: DecoderOptions = {}): AsyncGenerator<Row> {
  const decoder = new NdjsonDecoder({ onWarning: (m) => console.warn(m), ...options });
  const input = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const row = decoder.line(line);
      if (row !== undefined) yield row;
    }
    // readline hides whether the last line had its newline: ask the file
    decoder.end(await endsWithNewline(path));
  } finally {
    lines.close();
    input.destroy();
  }
}

/**
 * Replays an NDJSON file as the Observable of its rows, read as they are consumed; see `replay` for the
 * options (real-time pacing, speed) and `readNdjson` for errors and warnings.
 *
 * @example
 * replayFile("run.ndjson", { realtime: true, speed: 10 }).subscribe((row) => console.log(row));
 */
export function replayFile(path: string, options: ReplayOptions = {}): Observable<Row> {
  return defer(() => replayRows(readNdjson(path, options), options));
}

async function endsWithNewline(path: string): Promise<boolean> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    if (size === 0) return true;
    const { buffer } = await file.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await file.close();
  }
}
