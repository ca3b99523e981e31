import { describe, expect, it } from "vitest";
import { lastValueFrom, toArray } from "rxjs";
import { isRow, probeDue, train } from "@gradscope/stream";

const probed = (steps: number, every: number, schedule: "every" | "log") =>
  Array.from({ length: steps }, (_, i) => i + 1).filter((s) => probeDue(s, { every, schedule, steps }));

describe("probeDue", () => {
  it('"every": step 1 and every N-th step', () => {
    expect(probed(10, 3, "every")).toEqual([1, 3, 6, 9]);
    expect(probed(10, 0, "every")).toEqual([]);
  });
  it('"log": every step below 1000, then ten times sparser per decade, and the last step', () => {
    const s = probed(12_345, 1, "log");
    expect(s.slice(0, 3)).toEqual([1, 2, 3]);
    expect(s.filter((x) => x < 1000)).toHaveLength(999);
    expect(s.filter((x) => x >= 1000 && x < 10_000)).toEqual(Array.from({ length: 900 }, (_, i) => 1000 + 10 * i));
    // 10,000 … 12,300 every 100, then the last step
    expect(s.filter((x) => x >= 10_000)).toEqual([...Array.from({ length: 24 }, (_, i) => 10_000 + 100 * i), 12_345]);
    expect(s.at(-1)).toBe(12_345);
    expect(probed(12_345, 2, "log").filter((x) => x >= 1000 && x < 1100)).toEqual([1000, 1020, 1040, 1060, 1080]);
  });
  it("probes ~3,700 of a million steps", () => {
    let n = 0;
    for (let s = 1; s <= 1_000_000; s++) if (probeDue(s, { every: 1, schedule: "log", steps: 1_000_000 })) n++;
    expect(n).toBe(999 + 900 + 900 + 900 + 1);
  });
  it("train takes layer rows on the schedule", async () => {
    const rows = await lastValueFrom(train({ depth: 1, width: 4, steps: 1205, evalEvery: 0, probes: { schedule: "log" } }).pipe(toArray()));
    const steps = [...new Set(rows.filter(isRow("layer")).map((r) => r.step))];
    expect(steps).toEqual(probed(1205, 1, "log"));
    expect(steps.slice(-3)).toEqual([1190, 1200, 1205]);
  });
});
