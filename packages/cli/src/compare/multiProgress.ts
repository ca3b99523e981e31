import { bar } from "../progress.js";

/**
 * One progress line per run on stderr. On a TTY every line is redrawn in place at most every 150 ms;
 * elsewhere (logs, pipes) a line is printed when a run passes each quarter and when it ends.
 */
export function multiProgress(labels: string[], total: number, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  const done = labels.map(() => 0);
  const notes = labels.map(() => "waiting");
  const quarter = labels.map(() => -1);
  const w = Math.max(...labels.map((l) => l.length));
  let drawn = 0, last = 0;
  const text = (i: number) => {
    const frac = total > 0 && Number.isFinite(total) ? Math.min(done[i]! / total, 1) : 0;
    return `${labels[i]!.padEnd(w)} ${bar(frac, 20)} ${done[i]}/${total} ${notes[i]}`;
  };
  const draw = (force = false) => {
    const now = performance.now();
    if (!force && now - last < 150) return;
    last = now;
    stream.write((drawn ? `\x1b[${drawn}A` : "") + labels.map((_, i) => `\r\x1b[2K${text(i)}\n`).join(""));
    drawn = labels.length;
  };
  return {
    update(i: number, step: number) {
      done[i] = step;
      notes[i] = "running";
      if (tty) return draw();
      const q = Math.floor((4 * step) / Math.max(total, 1));
      if (q !== quarter[i] && q < 4) {
        quarter[i] = q;
        stream.write(`${text(i)}\n`);
      }
    },
    finish(i: number, note: string) {
      notes[i] = note;
      if (tty) draw(true);
      else stream.write(`${text(i)}\n`);
    },
    close() {
      if (tty) draw(true);
    },
  };
}
