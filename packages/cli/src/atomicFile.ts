import { closeSync, fsync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UsageError } from "./args.js";

/** Options of {@link atomicFile}. */
export interface AtomicFileOptions {
  /** The files this command reads: the output may not be one of them (same file, by device and inode). */
  inputs?: readonly string[];
  /** The flag that named the output, for messages; default "--out". */
  flag?: string;
}

/** An output being written: `path` is where to write now, `commit()` puts it in place. */
export interface AtomicFile {
  /** The file to write: a temporary file beside the target, or the target itself when it is not a regular file. */
  readonly path: string;
  /** The file the output is for. */
  readonly target: string;
  /** Appends text (synchronously). */
  write(text: string): void;
  /** Closes the file and renames it over the target: readers see the old file or the whole new one. */
  commit(): void;
  /**
   * `commit()` with its fsync on libuv's thread pool: the event loop stays free meanwhile (an fsync took
   * ~7 ms here; a sweep commits a recording per run while other runs stream rows in). Write nothing after
   * calling it.
   */
  commitAsync(): Promise<void>;
  /** Closes and removes the temporary file; the target is left as it was. Idempotent. */
  abort(): void;
}

let counter = 0; // temporary names differ within a process too (compare writes many files at once)

const statOrNull = (path: string): Stats | null => {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
};

/**
 * Checks an output path against the inputs, before any work: a directory, or a file the command also reads
 * (the same device and inode, so a symlink or `./run.ndjson` is caught too), is a UsageError.
 */
export function checkOutput(target: string, options: AtomicFileOptions = {}): void {
  const { inputs = [], flag = "--out" } = options;
  const out = statOrNull(target);
  if (out === null) return;
  if (out.isDirectory()) throw new UsageError(`${flag} ${target} is a directory; name a file`);
  for (const input of inputs) {
    const s = statOrNull(input);
    if (s !== null && s.dev === out.dev && s.ino === out.ino) {
      throw new UsageError(`${flag} ${target} is the input ${input}; refusing to write over it (name another file)`);
    }
  }
}

/**
 * Opens an output so that a failure never leaves it half-written or truncated: the text goes to a temporary
 * file beside the target (`.run.ndjson.<pid>.<n>.tmp`), renamed over it by `commit()`; `abort()` removes it
 * and leaves an existing target untouched. A target that exists and is not a regular file (`/dev/stdout`, a
 * pipe) is written directly. Refuses, as {@link checkOutput} does, a directory or one of the inputs.
 * Write errors name the target (`out.ndjson: no space left on the device`).
 *
 * @example
 * const out = atomicFile("report.html", { inputs: ["run.ndjson"] });
 * try { out.write(html); out.commit(); } catch (e) { out.abort(); throw e; }
 */
export function atomicFile(target: string, options: AtomicFileOptions = {}): AtomicFile {
  checkOutput(target, options);
  const existing = statOrNull(target);
  const direct = existing !== null && !existing.isFile();
  const path = direct ? target : join(dirname(target), `.${basename(target)}.${process.pid}.${counter++}.tmp`);
  const named = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.path === undefined || err.path === path) err.path = target;
      throw err;
    }
  };
  let fd: number | undefined = named(() => openSync(path, direct ? "w" : "wx"));
  const close = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  let done = false;
  return {
    path,
    target,
    write: (text) => named(() => { writeSync(fd!, text); }),
    commit() {
      if (done) return;
      named(() => {
        if (!direct) fsyncSync(fd!);
        close();
        if (!direct) renameSync(path, target);
      });
      done = true;
    },
    async commitAsync() {
      if (done) return;
      done = true; // nothing else may touch the file now (abort() after this is a no-op)
      try {
        if (!direct) await new Promise<void>((resolve, reject) => fsync(fd!, (e) => (e ? reject(e) : resolve())));
        named(() => {
          close();
          if (!direct) renameSync(path, target);
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.path === undefined || err.path === path) err.path = target;
        try { close(); } finally { if (!direct) try { unlinkSync(path); } catch { /* already gone */ } }
        throw err;
      }
    },
    abort() {
      if (done) return;
      done = true;
      try {
        close();
      } finally {
        if (!direct) try { unlinkSync(path); } catch { /* already gone */ }
      }
    },
  };
}
