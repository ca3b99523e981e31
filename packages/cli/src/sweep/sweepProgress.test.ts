import { describe, expect, it } from "vitest";
import { sweepProgress } from "./sweepProgress.js";

/** A fake terminal: applies the cursor-up, clear-line and clear-below codes the display writes. */
function terminal(rows: number, columns: number, isTTY = true) {
  const screen: string[] = [];
  let cursor = 0, writes = 0, maxBlock = 0;
  const stream = {
    isTTY, rows, columns,
    write(text: string) {
      writes++;
      const up = /^\x1b\[(\d+)A/.exec(text);
      if (up) cursor -= Number(up[1]);
      const lines = text.replace(/^\x1b\[\d+A/, "").replace(/\x1b\[J$/, "").split("\n").slice(0, -1);
      const start = cursor;
      for (const l of lines) screen[cursor++] = l.replace(/^\r\x1b\[2K/, "");
      if (text.endsWith("\x1b[J")) screen.length = cursor;
      maxBlock = Math.max(maxBlock, cursor - start);
      return true;
    },
  };
  return { stream: stream as unknown as NodeJS.WriteStream, screen, lines: () => screen.length, writes: () => writes, maxBlock: () => maxBlock };
}

describe("sweepProgress", () => {
  it("on a 15-row terminal, 30 runs at once stay one block that fits: totals, as many runs as fit, '… and N more'", () => {
    let t = 0;
    const term = terminal(15, 80);
    const p = sweepProgress({ total: 40, stream: term.stream, now: () => t, every: 0 });
    p.event({ kind: "skipped", id: "s.a-0.seed-1" });
    for (let i = 0; i < 30; i++) p.event({ kind: "start", id: `s.activation-relu.depth-${i}.seed-1`, steps: 300 });
    for (let step = 1; step <= 300; step += 7) for (let i = 0; i < 30; i++) {
      t += 10;
      p.event({ kind: "step", id: `s.activation-relu.depth-${i}.seed-1`, step });
    }
    expect(term.lines()).toBe(14); // the block never outgrows the terminal (one row left for the cursor)
    expect(term.maxBlock()).toBeLessThanOrEqual(14);
    expect(term.screen[0]).toMatch(/^1\/40 done · 30 running · 0 failed · 9 queued · 0\.0 runs\/min$/);
    expect(term.screen[1]).toMatch(/^ {2}s\.activation-relu\.depth-0\.seed-1 \[[█·]{12}\] 295\/300$/);
    expect(term.screen[13]).toBe("  … and 18 more running");
    t = 60_000;
    for (let i = 0; i < 30; i++) p.event({ kind: "done", id: `s.activation-relu.depth-${i}.seed-1`, summary: { status: "completed", steps: 300 } as never });
    p.close();
    expect(term.screen).toEqual(["31/40 done · 0 running · 0 failed · 9 queued · 30.0 runs/min · ETA 18 s"]);
    for (const line of term.screen) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("elsewhere prints plain lines: one per finished or failed run and a totals line at most every 10 s", () => {
    let t = 0;
    const term = terminal(0, 0, false);
    const out: string[] = [];
    const stream = { isTTY: false, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream;
    const p = sweepProgress({ total: 3, stream, now: () => t });
    p.event({ kind: "start", id: "s.a", steps: 10 });
    for (let step = 1; step <= 10; step++) p.event({ kind: "step", id: "s.a", step });
    p.event({ kind: "done", id: "s.a", summary: { status: "completed", steps: 10 } as never });
    t = 30_000;
    p.event({ kind: "failed", id: "s.b", error: "boom" });
    p.close();
    expect(out.join("")).toBe([
      "0/3 done · 1 running · 0 failed · 2 queued · 0.0 runs/min\n",
      "done s.a (completed, 10 steps)\n",
      "failed s.b: boom\n",
      "1/3 done · 0 running · 1 failed · 1 queued · 2.0 runs/min · ETA 30 s\n",
      "1/3 done · 0 running · 1 failed · 1 queued · 2.0 runs/min · ETA 30 s\n",
    ].join(""));
    expect(out.every((s) => !s.includes("\x1b"))).toBe(true);
    expect(term.writes()).toBe(0);
  });
});
