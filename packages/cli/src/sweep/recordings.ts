import { closeSync, existsSync, openSync, readdirSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { atomicFile } from "../atomicFile.js";
import { checkSafeId } from "./runId.js";

/** Where a run stands in an output directory. */
export type RecordingState = "finished" | "failed" | "missing";

/** `DIR/<id>.ndjson`, the id checked first: no id names a path outside `dir`. */
export const recordingPath = (dir: string, id: string) => join(dir, `${checkSafeId(id, "run id")}.ndjson`);
/** `DIR/<id>.failed.json`: why a run failed (it has no recording). */
export const failurePath = (dir: string, id: string) => join(dir, `${checkSafeId(id, "run id")}.failed.json`);

/**
 * A run is finished when its recording exists and ends with a status row (a recording is only ever
 * renamed into place whole, so this holds unless someone edited the file); failed when its
 * `.failed.json` exists; missing otherwise.
 */
export function recordingState(dir: string, id: string): RecordingState {
  const path = recordingPath(dir, id);
  if (existsSync(path) && isStatusLine(lastLine(path))) return "finished";
  if (existsSync(failurePath(dir, id))) return "failed";
  return "missing";
}

function isStatusLine(line: string): boolean {
  try {
    return (JSON.parse(line) as { type?: unknown }).type === "status";
  } catch {
    return false;
  }
}

function lastLine(path: string): string {
  const size = statSync(path).size;
  const n = Math.min(size, 4096);
  const buf = Buffer.alloc(n);
  const fd = openSync(path, "r");
  try {
    readSync(fd, buf, 0, n, size - n);
  } finally {
    closeSync(fd);
  }
  const text = buf.toString("utf8").replace(/\n$/, "");
  return text.slice(text.lastIndexOf("\n") + 1);
}

/** Bytes of lines held before they are written: one write per ~64 kB instead of one per row. */
const FLUSH_BYTES = 1 << 16;

/**
 * Lines held and handed to `write` joined, about 64 kB at a time, and on `flush()`: a recording's writes
 * (here, and in a sweep thread appending to a recording's temporary file).
 */
export function lineBuffer(write: (text: string) => void) {
  let held: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (held.length === 0) return;
    const text = held.join("");
    held = [];
    bytes = 0;
    write(text);
  };
  return {
    add(line: string) {
      held.push(line);
      bytes += line.length;
      if (bytes >= FLUSH_BYTES) flush();
    },
    flush,
    /** Drops what is held. */
    clear() {
      held = [];
      bytes = 0;
    },
  };
}

/**
 * A recording being written: lines go, in writes of about 64 kB, to a temporary file beside
 * `DIR/<id>.ndjson` (`atomicFile`), `commit()` writes the rest, fsyncs and renames it over `DIR/<id>.ndjson`
 * (replacing an older one, never appending to it) and removes a `.failed.json`; `discard()` removes the
 * temporary file. A crash leaves only the temporary file, which the next sweep in DIR removes.
 * @example
 * const rec = openRecording(dir, id); rec.write(line); …; rec.commit();
 */
export function openRecording(dir: string, id: string) {
  const file = atomicFile(recordingPath(dir, id));
  const lines = lineBuffer(file.write);
  const flush = lines.flush;
  return {
    /** The temporary file being written (another thread may append to it: see `sweepRunInThread`). */
    path: file.path,
    /** `DIR/<id>.ndjson`, which `commit()` puts in place. */
    target: file.target,
    write: lines.add,
    commit() {
      flush();
      file.commit();
      rmSync(failurePath(dir, id), { force: true });
    },
    /** `commit()` with the fsync off the event loop (see `AtomicFile.commitAsync`). */
    async commitAsync() {
      flush();
      await file.commitAsync();
      rmSync(failurePath(dir, id), { force: true });
    },
    discard() {
      lines.clear();
      file.abort();
    },
  };
}

/** Writes a whole recording's text (from a queue) the same way: temporary file, then rename. */
export function writeRecording(dir: string, id: string, text: string): void {
  const rec = openRecording(dir, id);
  try {
    rec.write(text);
    rec.commit();
  } catch (e) {
    rec.discard();
    throw e;
  }
}

/** Notes that a run failed, with why, so a resumed sweep skips it unless told to retry failures. */
export function writeFailure(dir: string, id: string, error: string): void {
  writeFileSync(failurePath(dir, id), JSON.stringify({ id, error, at: new Date().toISOString() }) + "\n");
}

/** Removes temporary files of earlier, interrupted sweeps (any process's: the caller owns DIR now). */
export function removeStaleTemporaries(dir: string): number {
  const stale = readdirSync(dir).filter((f) => f.startsWith(".") && f.endsWith(".tmp"));
  for (const f of stale) rmSync(join(dir, f), { force: true });
  return stale.length;
}
