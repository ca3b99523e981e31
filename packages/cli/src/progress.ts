/** `[████····]`: a bar of `width` cells, `fraction` of them full (clamped to [0, 1]). */
export function bar(fraction: number, width: number): string {
  const full = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
  return `[${"█".repeat(full)}${"·".repeat(width - full)}]`;
}

/** Options of {@link progressBar}. */
export interface ProgressOptions {
  total: number;
  label?: string;
  /** Where to draw; default process.stderr. */
  stream?: NodeJS.WriteStream;
}

/**
 * A terminal progress bar on stderr. On a TTY it redraws one line at most every 100 ms; elsewhere
 * (CI logs, pipes) it prints a line at every 10 %, so logs stay short.
 */
export function progressBar({ total, label = "", stream = process.stderr }: ProgressOptions) {
  const tty = stream.isTTY === true;
  const start = performance.now();
  let lastDraw = -Infinity, lastDecile = -1;
  const line = (done: number, extra: string) => {
    const frac = total > 0 ? Math.min(done / total, 1) : 1;
    const secs = (performance.now() - start) / 1000;
    const eta = frac > 0 && frac < 1 ? ` eta ${((secs / frac) * (1 - frac)).toFixed(0)}s` : "";
    return `${label}${bar(frac, 24)} ${done}/${total} ${extra}${eta}`;
  };
  return {
    update(done: number, extra = "") {
      const now = performance.now();
      if (tty) {
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        stream.write(`\r\x1b[2K${line(done, extra)}`);
      } else {
        const decile = Math.floor((10 * done) / Math.max(total, 1));
        if (decile === lastDecile) return;
        lastDecile = decile;
        stream.write(`${line(done, extra)}\n`);
      }
    },
    done(extra = "") {
      if (tty) stream.write(`\r\x1b[2K${line(total, extra)}\n`);
    },
  };
}
