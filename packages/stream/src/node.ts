/**
 * Node-only helpers (`@gradscope/stream/node`): write rows to an NDJSON file line by line, read one back
 * as a stream, replay it; train in a worker thread.
 */
import { closeSync, createReadStream, openSync, readFileSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { defer, finalize, tap, type MonoTypeOperatorFunction, type Observable } from "rxjs";
import { encodeRow, NdjsonDecoder, type DecoderOptions } from "./internal/ndjson.js";
import { replayRows, type ReplayOptions } from "./replay.js";
import type { HeaderRow, Row } from "./rows.js";
import type { RunConfig } from "./runConfig.js";
import { trainInWorker as trainInWorkerAnywhere, type TrainInWorkerOptions, type WorkerLike } from "./trainInWorker.js";

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
  } catch (e) {
    // a read error (EISDIR, EIO) from the stream carries no path: name the file
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code === "string" && err.path === undefined) err.path = path;
    throw err;
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

// ---- training in a worker thread ----

/**
 * Starts the training worker (`worker/trainWorker.node`) as a `worker_threads` Worker, for
 * {@link trainInWorker}; see {@link nodeWorker} for how it loads from `dist/` or from TypeScript source.
 */
export function nodeTrainWorker(): WorkerLike {
  const fromSource = import.meta.url.endsWith(".ts");
  return nodeWorker(new URL(`./worker/trainWorker.node.${fromSource ? "ts" : "js"}`, import.meta.url), "training worker");
}

/**
 * Starts `entry` as a `worker_threads` Worker behind the `WorkerLike` interface (for `trainInWorker`,
 * `trainWorkerPool`, or a thread of one's own protocol; a worker that exits unasked is an error naming
 * `what`). A `.js` entry runs as it is. A `.ts` entry (TypeScript source: tsx, vitest) runs through tsx,
 * with the `@gradscope/source` export condition, so the worker resolves workspace packages the way the main
 * side does. The worker does not inherit the process's Node flags: `-e`, `--input-type` or a loader are for
 * the process's own entry.
 * @example
 * const w = nodeWorker(new URL("./myThread.js", import.meta.url), "my thread");
 */
export function nodeWorker(entry: URL, what = "worker"): WorkerLike {
  const worker = entry.href.endsWith(".ts")
    ? new Worker(tsxBootstrap(entry.href), { eval: true, execArgv: ["--conditions=@gradscope/source"] })
    : new Worker(entry, { execArgv: [] });
  let done = false;
  return {
    postMessage: (message) => worker.postMessage(message),
    listen(handlers) {
      worker.on("message", handlers.message);
      worker.on("error", (error) => {
        done = true;
        handlers.error(error);
      });
      worker.on("exit", (code) => {
        if (!done) handlers.error(new Error(`the ${what} exited with code ${code}`));
      });
    },
    terminate() {
      done = true;
      void worker.terminate();
    },
  };
}

/**
 * Worker code that registers tsx's hooks, then imports `entry`. Not `execArgv: ["--import", "tsx"]`:
 * on Node 20, tsx registers its hooks on the main thread only, so a worker's `.ts` entry would not load.
 */
function tsxBootstrap(entry: string): string {
  let api: string;
  try {
    // the ESM build of tsx/esm/api (require.resolve would give the CommonJS one)
    const pkg = createRequire(import.meta.url).resolve("tsx/package.json");
    const { exports } = JSON.parse(readFileSync(pkg, "utf8")) as { exports: Record<string, { import: { default: string } }> };
    api = new URL(exports["./esm/api"]!.import.default, pathToFileURL(pkg)).href;
  } catch {
    throw new Error("trainInWorker from TypeScript source needs tsx (a devDependency of the workspace root) to run the worker");
  }
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
}

/**
 * {@link trainInWorkerAnywhere | trainInWorker} with a Node worker thread by default: the same training
 * as `train(config)` off the main thread, as the same Observable (the "digits" data set included).
 * @example
 * import { trainInWorker } from "@gradscope/stream/node";
 * const control = createControl();
 * trainInWorker({ activation: "tanh", depth: 10, steps: 1000 }, { control }).subscribe((row) => log(row));
 * control.pause(); control.step(3); control.resume();
 */
export function trainInWorker(config: RunConfig = {}, options: TrainInWorkerOptions = {}): Observable<Row> {
  return trainInWorkerAnywhere(config, { worker: nodeTrainWorker, ...options });
}
