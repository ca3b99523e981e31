import { asyncScheduler, defer, Observable, type SchedulerLike, type Subscription } from "rxjs";
import { NdjsonDecoder, NdjsonError, RecordingError, rowsOfChunks, rowsOfText, type DecoderOptions } from "./internal/ndjson.js";
import type { HeaderRow, Row } from "./rows.js";

export { NdjsonError, RecordingError };

/** What {@link parseNdjson} found. */
export interface ParsedNdjson {
  /** The first row when its type is "header"; undefined for a recording without one. */
  header: HeaderRow | undefined;
  /** Every other row, in file order; unknown types and fields kept as they are. */
  rows: Row[];
  /** E.g. "line 2001 is truncated (crash mid-write?); kept 2000 rows" (the count includes the header). */
  warnings: string[];
}

/**
 * Parses a whole NDJSON recording. Blank lines are skipped; rows of unknown types and unknown fields are
 * kept; "NaN", "Infinity" and "-Infinity" strings become numbers again (see `toNdjson`).
 * Throws an {@link NdjsonError} naming the line for a line that is not JSON (`line 17: invalid JSON (…)`),
 * not an object, or has no string "type" (`line 17: row has no "type"`), and for a row of a known type with
 * a missing or wrongly typed field (`line 17: a "step" row has no "loss"`, `line 17: "loss" of a "step" row
 * must be a number, got string "abc"`) — except a last line that is not JSON and has no newline: a crash cut
 * it mid-write, so it is dropped with a warning and the rest is kept. A recording with no rows (empty, or a
 * header alone) throws a {@link RecordingError}. A UTF-8 byte order mark at the start is skipped.
 *
 * @example
 * const { header, rows, warnings } = parseNdjson(await (await fetch("run.ndjson")).text());
 */
export function parseNdjson(text: string): ParsedNdjson {
  const decoder = new NdjsonDecoder();
  const rows = [...rowsOfText(text, decoder)];
  return { header: decoder.header, rows, warnings: decoder.warnings };
}

/** Options of {@link replay}, {@link replayRows} and `replayFile`. */
export interface ReplayOptions extends DecoderOptions {
  /**
   * Pace the rows like the run: before each step row, wait its `ms` (or `stepMs`) divided by `speed`.
   * Default false: rows come as fast as they are read.
   */
  realtime?: boolean;
  /** Playback speed in real-time mode; 2 = twice as fast. Default 1. */
  speed?: number;
  /** A fixed wait per step row in real-time mode instead of the recorded `ms`. */
  stepMs?: number;
  /** Scheduler for the real-time waits; default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Replays a recording as the same Observable of rows a run emits (the header is not emitted: it goes to
 * `onHeader`). The source is a whole text or an async iterable of chunks of any size (strings or UTF-8
 * bytes, e.g. a `fetch` body or a file stream); it is read as the rows are consumed, so a long file is never
 * held whole. Errors and warnings are those of {@link parseNdjson}: malformed lines error the Observable,
 * warnings go to `onWarning` (default `console.warn`).
 *
 * @example
 * replay(text, { realtime: true, speed: 4 }).pipe(throttleRender()).subscribe(draw);
 */
export function replay(source: string | AsyncIterable<string | Uint8Array>, options: ReplayOptions = {}): Observable<Row> {
  return defer(() => {
    const decoder = new NdjsonDecoder({ onWarning: (m) => console.warn(m), ...options });
    return replayRows(typeof source === "string" ? rowsOfText(source, decoder) : rowsOfChunks(source, decoder), options);
  });
}

/**
 * Emits rows from an iterable or async iterable, pulling the next one only when the previous one is out (and,
 * in real-time mode, its wait is over), so memory stays flat. Unsubscribing cancels the wait and closes the
 * iterator (e.g. the file behind it).
 *
 * @example
 * replayRows(rows, { realtime: true, stepMs: 50 }) // an in-memory run at 20 steps a second
 */
export function replayRows(rows: Iterable<Row> | AsyncIterable<Row>, options: ReplayOptions = {}): Observable<Row> {
  const { realtime = false, speed = 1, stepMs, scheduler = asyncScheduler } = options;
  if (!(speed > 0)) throw new RangeError(`replay: speed must be > 0, got ${speed}`);
  const waitBefore = (row: Row): number => {
    if (!realtime || row.type !== "step") return 0;
    const ms = stepMs ?? row.ms;
    return Number.isFinite(ms) && ms > 0 ? ms / speed : 0;
  };
  return new Observable<Row>((subscriber) => {
    const it = Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
    let wait: Subscription | undefined;

    /** Emits one row (now or after its wait); true to go on pulling synchronously. */
    const deliver = (result: IteratorResult<Row>): boolean => {
      if (subscriber.closed) return false;
      if (result.done) {
        subscriber.complete();
        return false;
      }
      const row = result.value;
      const ms = waitBefore(row);
      if (ms === 0) {
        subscriber.next(row);
        return true;
      }
      wait = scheduler.schedule(() => {
        subscriber.next(row);
        pull();
      }, ms);
      return false;
    };

    const pull = (): void => {
      while (!subscriber.closed) {
        let result: IteratorResult<Row> | Promise<IteratorResult<Row>>;
        try {
          result = it.next();
        } catch (err) {
          subscriber.error(err);
          return;
        }
        if (result instanceof Promise) {
          result.then(
            (r) => deliver(r) && pull(),
            (err: unknown) => subscriber.error(err),
          );
          return;
        }
        if (!deliver(result)) return;
      }
    };

    pull();
    return () => {
      wait?.unsubscribe();
      // close the source (an async generator finishes its pending next() first)
      Promise.resolve(it.return?.()).catch(() => {});
    };
  });
}
