import { bar } from "../progress.js";
import type { SweepEvent } from "./runLocalSweep.js";

/** Options of {@link sweepProgress}. */
export interface SweepProgressOptions {
  /** Runs in the sweep (skipped ones included). */
  total: number;
  /** Where to draw; default process.stderr. */
  stream?: NodeJS.WriteStream;
  /** Milliseconds between redraws on a TTY (default 200) and between totals lines elsewhere (default 10,000). */
  every?: number;
  /** The clock, for tests. */
  now?: () => number;
}

interface Running {
  step: number;
  steps: number;
}

/**
 * Live progress of a sweep on stderr that never floods the scrollback. On a TTY it redraws, in place,
 * a totals line (done / running / failed / queued, runs per minute, ETA) and one line per running run,
 * as many as fit the terminal's height (the rest as "… and N more"); the block never has more lines than
 * the terminal and is redrawn at most every 200 ms. Elsewhere (logs, pipes) it prints one plain line per
 * finished or failed run and a totals line at most every 10 s.
 * @example
 * const progress = sweepProgress({ total: runs.length }); progress.event(e); …; progress.close();
 */
export function sweepProgress(options: SweepProgressOptions) {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const now = options.now ?? (() => performance.now());
  const every = options.every ?? (tty ? 200 : 10_000);
  const start = now();
  const running = new Map<string, Running>();
  let done = 0, doneNow = 0, failed = 0, drawn = 0, last = -Infinity;

  const totals = () => {
    const minutes = (now() - start) / 60_000;
    const rate = minutes > 0 ? doneNow / minutes : 0;
    const queued = options.total - done - failed - running.size;
    const eta = rate > 0 && queued + running.size > 0 ? ` · ETA ${duration(((queued + running.size) / rate) * 60)}` : "";
    return `${done}/${options.total} done · ${running.size} running · ${failed} failed · ${queued} queued · ${rate.toFixed(1)} runs/min${eta}`;
  };
  const runLine = (id: string, r: Running, width: number) => {
    const tail = ` ${bar(r.steps > 0 ? r.step / r.steps : 0, 12)} ${r.step}/${r.steps}`;
    const room = Math.max(8, width - tail.length - 2);
    return `  ${id.length > room ? `…${id.slice(id.length - room + 1)}` : id}${tail}`;
  };
  const draw = (force = false) => {
    const t = now();
    if (!force && t - last < every) return;
    last = t;
    const rows = Math.max(2, stream.rows ?? 24) - 1; // one row kept for the cursor
    const width = Math.max(20, stream.columns ?? 80);
    const lines = [totals().slice(0, width)];
    const ids = [...running.keys()];
    const room = rows - 1;
    const shown = ids.length <= room ? ids : ids.slice(0, Math.max(0, room - 1));
    for (const id of shown) lines.push(runLine(id, running.get(id)!, width).slice(0, width));
    if (shown.length < ids.length) lines.push(`  … and ${ids.length - shown.length} more running`);
    // back to the block's first line, rewrite every line, clear what the last block left below
    stream.write((drawn ? `\x1b[${drawn}A` : "") + lines.map((l) => `\r\x1b[2K${l}\n`).join("") + "\x1b[J");
    drawn = lines.length;
  };
  const plain = (line: string) => stream.write(`${line}\n`);

  return {
    event(e: SweepEvent) {
      if (e.kind === "skipped") {
        done++; // finished before: counted as done, not in the rate
        return;
      }
      if (e.kind === "start") running.set(e.id, { step: 0, steps: e.steps });
      else if (e.kind === "step") {
        const r = running.get(e.id);
        if (r) r.step = e.step;
      } else {
        running.delete(e.id);
        if (e.kind === "done") {
          done++;
          doneNow++;
        } else failed++;
        if (!tty) plain(e.kind === "done" ? `done ${e.id} (${e.summary.status}, ${e.summary.steps} steps)` : `failed ${e.id}: ${e.error}`);
      }
      if (tty) draw(e.kind === "done" || e.kind === "failed");
      else if (now() - last >= every) {
        last = now();
        plain(totals());
      }
    },
    /** Draws the final totals (on a TTY the block shrinks to that line). */
    close() {
      if (tty) draw(true);
      else plain(totals());
    },
    /** The totals line as it is now. */
    totals,
  };
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
