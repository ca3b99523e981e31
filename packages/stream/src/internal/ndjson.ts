/**
 * The NDJSON codec shared by record, replay and the node helpers: one row per line, non-finite numbers as
 * strings, and a line decoder that knows line numbers and tells a truncated last line from a malformed one.
 */
import { ROW_FORMAT, type HeaderRow, type Row } from "../rows.js";
import { rowProblem } from "./checkRow.js";

/** JSON has no NaN or ±Infinity: they are written as these strings and read back as numbers. */
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** Fields that hold strings in every row type: "NaN" there is a string, never decoded as a number. */
const STRING_FIELDS = new Set(["type", "run", "name", "activation", "of", "kind", "message", "status", "format", "createdAt"]);

/** One row as one line of JSON (no newline); NaN and ±Infinity anywhere become "NaN", "Infinity", "-Infinity". */
export function encodeRow(row: Row): string {
  // A replacer is a call back into JavaScript for every key and value. Non-finite numbers are rare: look for one
  // first. In a profiled sweep (rows encoded on its main thread) encodeRow took 589 ms with the replacer, 412 without.
  return allFinite(row) ? JSON.stringify(row) : JSON.stringify(row, (_key, value: unknown) =>
    typeof value === "number" && !Number.isFinite(value) ? String(value) : value,
  );
}

/** No NaN or ±Infinity anywhere in `value` (objects and arrays searched). */
function allFinite(value: object): boolean {
  if (Array.isArray(value)) {
    for (const v of value) if (typeof v === "number" ? v - v !== 0 : v !== null && typeof v === "object" && !allFinite(v as object)) return false;
    return true;
  }
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === "number" ? v - v !== 0 : v !== null && typeof v === "object" && !allFinite(v)) return false;
  }
  return true;
}

/** Undoes {@link encodeRow}'s strings, except in string fields and in a header's `versions`. */
function decode(value: unknown, key: string): unknown {
  if (typeof value === "string") return !STRING_FIELDS.has(key) && value in NON_FINITE ? NON_FINITE[value] : value;
  if (Array.isArray(value)) return value.map((v) => decode(v, key));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === "versions" ? v : decode(v, k);
    return out;
  }
  return value;
}

/** A malformed line: `line` is 1-based, and the message starts with "line N: ". */
export class NdjsonError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = "NdjsonError";
  }
}

/** A recording that parses but holds nothing to replay: empty, or a header and no rows. */
export class RecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordingError";
  }
}

/** Callbacks of a decoder. */
export interface DecoderOptions {
  /** Called with the header row (the first row, when its type is "header"). */
  onHeader?: (header: HeaderRow) => void;
  /** Called with each warning (a truncated last line, an unknown format). */
  onWarning?: (message: string) => void;
}

/**
 * Decodes lines one by one. A line that is not JSON is held back: if another line follows, it was malformed
 * (throw); if it was the last line and had no newline, a crash cut it (warn, keep the rest).
 */
export class NdjsonDecoder {
  header: HeaderRow | undefined;
  readonly warnings: string[] = [];
  private lineNumber = 0;
  private kept = 0;
  private lastLine = 0;
  private unparsed: NdjsonError | undefined;

  constructor(private readonly options: DecoderOptions = {}) {}

  /** One line without its newline → its row; undefined for a blank line, the header, or an unparsed line. */
  line(text: string): Row | undefined {
    if (this.unparsed !== undefined) throw this.unparsed;
    const n = ++this.lineNumber;
    if (n === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte order mark (Windows editors)
    if (text.trim() === "") return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.unparsed = new NdjsonError(n, `invalid JSON (${e instanceof Error ? e.message : String(e)})`);
      return undefined;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new NdjsonError(n, "row is not an object");
    if (typeof (value as { type?: unknown }).type !== "string") throw new NdjsonError(n, 'row has no "type"');
    const row = decode(value, "") as Row;
    const problem = rowProblem(row as unknown as Record<string, unknown>);
    if (problem !== undefined) throw new NdjsonError(n, problem);
    this.lastLine = n;
    const first = this.kept++ === 0;
    if (row.type === "header" && first) {
      this.header = row;
      if (row.format !== ROW_FORMAT) this.warn(`line ${n}: format "${String(row.format)}" is not "${ROW_FORMAT}"; reading it anyway`);
      this.options.onHeader?.(row);
      return undefined;
    }
    return row;
  }

  /**
   * The input has ended; `terminated`: it ended with a newline. Throws a {@link RecordingError} when it held
   * no rows besides a header.
   */
  end(terminated: boolean): void {
    const unparsed = this.unparsed;
    if (unparsed !== undefined) {
      if (terminated) throw unparsed;
      this.unparsed = undefined;
      this.warn(`line ${unparsed.line} is truncated (crash mid-write?); kept ${this.kept} rows`);
    }
    const rows = this.kept - (this.header ? 1 : 0);
    if (rows > 0) return;
    throw new RecordingError(this.header
      ? `the recording has a header (line ${this.lastLine}) but no rows: the run recorded nothing`
      : "the recording is empty: no rows");
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.options.onWarning?.(message);
  }
}

/** The rows of a whole NDJSON text. */
export function* rowsOfText(text: string, decoder: NdjsonDecoder): Generator<Row> {
  let start = 0;
  for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
    const row = decoder.line(text.slice(start, nl));
    start = nl + 1;
    if (row !== undefined) yield row;
  }
  const rest = text.slice(start);
  if (rest !== "") {
    const row = decoder.line(rest);
    if (row !== undefined) yield row;
  }
  decoder.end(rest === "");
}

/** The rows of NDJSON arriving in chunks of any size (text or UTF-8 bytes). */
export async function* rowsOfChunks(chunks: AsyncIterable<string | Uint8Array>, decoder: NdjsonDecoder): AsyncGenerator<Row> {
  const utf8 = new TextDecoder();
  let buffer = "";
  for await (const chunk of chunks) {
    buffer += typeof chunk === "string" ? chunk : utf8.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n", start)) {
      const row = decoder.line(buffer.slice(start, nl));
      start = nl + 1;
      if (row !== undefined) yield row;
    }
    buffer = buffer.slice(start);
  }
  buffer += utf8.decode();
  yield* rowsOfText(buffer, decoder);
}
