/**
 * A sweep run's worker thread (started by `sweepThread()` in `sweepRunInThread.ts`): it trains the run, applies
 * the stop rules, summarises it and encodes and writes its recording, all here. The main thread only hands
 * out runs, hears progress and summaries, and renames finished recordings: encoding every row there kept it
 * busy 14–27 % of a sweep (now 1–7 %), on the cores the lanes train on.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import { gzipSync } from "node:zlib";
import { loadDigits } from "@gradscope/core/node";
import { train } from "@gradscope/stream";
import type { FromSweepThread, ToSweepThread } from "./sweepRunInThread.js";
import { lineBuffer } from "./recordings.js";
import type { SweepRunSummary } from "./sweepRunSummary.js";
import { trainSweepRun, type TrainSweepRunOptions } from "./trainSweepRun.js";

const port = parentPort;
if (!port) throw new Error("sweepThread runs in a worker thread (see sweepThread() in sweepRunInThread.ts)");
const post = (message: FromSweepThread) => port.postMessage(message);

/** Progress messages at most this often (ms): a step count per step would be most of the messages. */
const PROGRESS_MS = 100;

let current: { stop(): void } | undefined;

port.on("message", (message: ToSweepThread) => {
  if (message.type === "stop") {
    current?.stop();
    current = undefined;
    post({ type: "stopped" });
    return;
  }
  current?.stop(); // a new run: whatever the last one left is dropped
  current = start(message);
});

function start({ run, rules, path, target }: Extract<ToSweepThread, { type: "run" }>): { stop(): void } {
  // the recording goes to `path` (a temporary file the main thread made and will rename), or is kept
  // here and returned gzipped (a queue worker sends it back to the submitting process)
  const fd = path === undefined ? undefined : openSync(path, "a");
  const kept: string[] = [];
  let closed = false;
  const close = () => {
    if (fd !== undefined && !closed) closeSync(fd);
    closed = true;
  };
  const abort = new AbortController();
  const fail = (e: Error) => {
    abort.abort();
    try { close(); } catch { /* the error posted is the news */ }
    post({ type: "error", name: e.name, message: e.message });
  };
  const lines = lineBuffer((text) => {
    try {
      writeSync(fd!, text);
    } catch (e) {
      fail(new Error(`${target ?? path}: ${(e as Error).message}`)); // ENOSPC, EIO: name the recording
    }
  });
  let lastProgress = -Infinity; // the first step is reported: a thread's clock starts near 0
  const options: TrainSweepRunOptions = {
    write(line) {
      if (abort.signal.aborted) return;
      if (fd === undefined) kept.push(line);
      else lines.add(line);
    },
    onStep(step) {
      const now = performance.now();
      if (now - lastProgress < PROGRESS_MS) return;
      lastProgress = now;
      post({ type: "step", step });
    },
    signal: abort.signal,
    source: (config, control) => train(config, { control, loadDigits }),
  };
  let trained: Promise<SweepRunSummary>;
  try {
    trained = trainSweepRun(run, rules, options);
  } catch (e) {
    fail(e as Error); // a bad config throws at the call: the run fails, the thread stays for the next one
    return { stop() {} };
  }
  trained.then(
    (summary) => {
      if (fd !== undefined) lines.flush();
      if (abort.signal.aborted) return; // the write failed (posted) or the run was stopped
      try {
        close();
      } catch (e) {
        return fail(new Error(`${target ?? path}: ${(e as Error).message}`));
      }
      post(fd === undefined ? { type: "done", summary, gzip: gzipSync(kept.join("")) } : { type: "done", summary });
    },
    (e: Error) => void (abort.signal.aborted || fail(e)),
  );
  return {
    stop() {
      abort.abort();
      lines.clear();
      close();
    },
  };
}
