import { lastValueFrom, take, toArray } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import { encodeRow, headerRow } from "./record.js";
import { NdjsonError, parseNdjson, RecordingError, replay, replayRows } from "./replay.js";
import type { Row } from "./rows.js";

const header = headerRow({ run: "a", config: {}, seed: 1, createdAt: "2024-01-01T00:00:00.000Z" });
const step = (s: number, ms = 10) => ({ type: "step", run: "a", step: s, loss: 1, accuracy: 0, lr: 0.1, ms, probeMs: 0, epoch: 0 }) as Row;
const layer = (s: number) => ({ type: "layer", run: "a", step: s, layer: 0, activation: "relu", gradNormZ: 0.5 }) as unknown as Row;
const status = (s: number) => ({ type: "status", run: "a", step: s, status: "completed" }) as Row;
const ndjson = (...rows: Row[]) => rows.map((r) => `${encodeRow(r)}\n`).join("");

/** An async iterable of the text in chunks of `size` characters, cut anywhere (mid-line, mid-character). */
async function* chunks(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

describe("parseNdjson", () => {
  it("separates the header, keeps unknown row types and fields, skips blank lines", () => {
    const future = { type: "future", run: "a", step: 1, x: 1 } as unknown as Row;
    const text = ndjson(header, step(1)) + "\n" + ndjson({ ...step(2), extra: "new" } as unknown as Row, future);
    expect(parseNdjson(text)).toEqual({ header, rows: [step(1), { ...step(2), extra: "new" }, future], warnings: [] });
    expect(parseNdjson(ndjson(step(1))).header).toBeUndefined();
  });

  it("names the line of invalid JSON, a row without type, and a row that is not an object", () => {
    const good = ndjson(header, step(1));
    expect(() => parseNdjson(good + '{"type":"step",\n' + ndjson(step(2)))).toThrow(/^line 3: invalid JSON \(/);
    expect(() => parseNdjson(good + '{"run":"a","step":2}\n')).toThrow('line 3: row has no "type"');
    expect(() => parseNdjson(good + "\n[1,2]\n")).toThrow("line 4: row is not an object");
    try {
      parseNdjson("\n\n\nnope\n");
    } catch (e) {
      expect(e).toBeInstanceOf(NdjsonError);
      expect((e as NdjsonError).line).toBe(4);
    }
  });

  it("drops a truncated last line with a warning and keeps the rest", () => {
    const text = ndjson(header, step(1), step(2)) + encodeRow(step(3)).slice(0, 20);
    expect(parseNdjson(text)).toEqual({
      header,
      rows: [step(1), step(2)],
      warnings: ["line 4 is truncated (crash mid-write?); kept 3 rows"],
    });
  });

  it("treats an invalid last line that ends in a newline as malformed, not truncated", () => {
    expect(() => parseNdjson(ndjson(header, step(1)) + '{"type":\n')).toThrow(/^line 3: invalid JSON/);
  });

  it("warns about an unknown format", () => {
    expect(parseNdjson(ndjson({ ...header, format: "gradscope-rows/2" }, step(1))).warnings).toEqual([
      'line 1: format "gradscope-rows/2" is not "gradscope-rows/1"; reading it anyway',
    ]);
  });
});

describe("recording validation", () => {
  it("names the line and field of a missing or wrongly typed field", () => {
    const good = ndjson(header, step(1));
    const line3 = (row: object) => () => parseNdjson(good + JSON.stringify(row) + "\n");
    const { loss: _, ...noLoss } = step(2) as unknown as Record<string, unknown>;
    expect(line3(noLoss)).toThrow('line 3: a "step" row has no "loss"');
    expect(line3({ ...step(2), loss: "abc" })).toThrow('line 3: "loss" of a "step" row must be a number, got string "abc"');
    expect(line3({ ...step(2), step: null })).toThrow('line 3: "step" of a "step" row must be a number, got null');
    expect(line3({ ...step(2), run: 7 })).toThrow('line 3: "run" of a "step" row must be a string, got number 7');
    expect(line3({ ...layer(2), gradNormZ: [1] })).toThrow('line 3: "gradNormZ" of a "layer" row must be a number, got an array');
    expect(line3({ ...layer(2), deadFrac: "0.5" })).toThrow('line 3: "deadFrac" of a "layer" row must be a number, got string "0.5"');
    expect(line3({ type: "alert", run: "a", step: 2, kind: "dead" })).toThrow('line 3: an "alert" row has no "message"');
    expect(() => parseNdjson(JSON.stringify({ ...header, config: "x" }) + "\n" + ndjson(step(1)))).toThrow('line 1: "config" of a "header" row must be an object, got string "x"');
    // NaN written as "NaN" is a number again, and a row of an unknown type is kept unchecked
    expect(parseNdjson(good + ndjson({ ...step(2), loss: NaN } as Row)).rows[1]).toMatchObject({ loss: NaN });
    expect(parseNdjson(good + '{"type":"future","run":"a","step":2}\n').rows).toHaveLength(2);
  });

  it("a recording with no rows says so: empty, or a header alone", async () => {
    expect(() => parseNdjson("")).toThrow(new RecordingError("the recording is empty: no rows"));
    expect(() => parseNdjson("\n\n")).toThrow("the recording is empty: no rows");
    expect(() => parseNdjson(ndjson(header))).toThrow("the recording has a header (line 1) but no rows: the run recorded nothing");
    await expect(lastValueFrom(replay(chunks(ndjson(header), 3)).pipe(toArray()))).rejects.toThrow("but no rows");
  });

  it("accepts a UTF-8 byte order mark", async () => {
    const text = ndjson(header, step(1));
    expect(parseNdjson("\uFEFF" + text)).toEqual(parseNdjson(text));
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect(await lastValueFrom(replay((async function* () { yield bytes; })()).pipe(toArray()))).toEqual([step(1)]);
  });
});

describe("replay", () => {
  const rows = [step(1), layer(1), step(2, 20), status(2)];
  const text = ndjson(header, ...rows);

  it("emits the rows of a text, and of chunks cut anywhere, handing the header to onHeader", async () => {
    let seen: unknown;
    expect(await lastValueFrom(replay(text, { onHeader: (h) => (seen = h) }).pipe(toArray()))).toEqual(rows);
    expect(seen).toEqual(header);
    expect(await lastValueFrom(replay(chunks(text, 7)).pipe(toArray()))).toEqual(rows);
    const bytes = (async function* () {
      const utf8 = new TextEncoder().encode(ndjson({ ...step(1), run: "é→λ" } as Row));
      for (const b of utf8) yield new Uint8Array([b]);
    })();
    expect(await lastValueFrom(replay(bytes).pipe(toArray()))).toEqual([{ ...step(1), run: "é→λ" }]);
  });

  it("errors with the line number, and warns about a truncated last line in chunked input", async () => {
    await expect(lastValueFrom(replay(chunks(ndjson(header) + "oops\n" + ndjson(step(1)), 5)))).rejects.toThrow(/^line 2: invalid JSON/);
    const warnings: string[] = [];
    const cut = ndjson(header, step(1)) + '{"type":"st';
    expect(await lastValueFrom(replay(chunks(cut, 4), { onWarning: (w) => warnings.push(w) }).pipe(toArray()))).toEqual([step(1)]);
    expect(warnings).toEqual(["line 3 is truncated (crash mid-write?); kept 2 rows"]);
  });

  it("paces rows in real time by the step rows' ms, at a speed, or at a fixed step time", () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ expectObservable }) => {
      const values = { a: rows[0], b: rows[1], c: rows[2], d: rows[3] };
      expectObservable(replay(text, { realtime: true, scheduler })).toBe("10ms (ab) 16ms (cd|)", values);
      expectObservable(replay(text, { realtime: true, speed: 2, scheduler })).toBe("5ms (ab) 6ms (cd|)", values);
      expectObservable(replayRows(rows, { realtime: true, stepMs: 5, scheduler })).toBe("5ms (ab) 1ms (cd|)", values);
      expectObservable(replay(text, { scheduler })).toBe("(abcd|)", values);
    });
  });

  it("stops reading and closes the source when unsubscribed", async () => {
    let closed = false;
    let read = 0;
    const source = (async function* () {
      try {
        for (let s = 0; ; s++) {
          read++;
          yield ndjson(step(s));
        }
      } finally {
        closed = true;
      }
    })();
    expect(await lastValueFrom(replay(source).pipe(take(3), toArray()))).toEqual([step(0), step(1), step(2)]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(true);
    expect(read).toBeLessThan(6);
  });

  it("replays rows from memory", async () => {
    expect(await lastValueFrom(replayRows(rows).pipe(toArray()))).toEqual(rows);
  });
});
