import { describe, expect, it } from "vitest";
import { stepTicks } from "@gradscope/views";

describe("stepTicks", () => {
  it("keeps ticks at least minGap px apart on a panel whose steps run 0…last, at round steps from 0", () => {
    for (const last of [1, 7, 99, 450, 2000, 4999, 5000, 6700, 20_000, 123_456]) {
      for (const width of [40, 85, 120, 200, 640]) {
        const ticks = stepTicks(last, width);
        expect(ticks[0]).toBe(0);
        for (const t of ticks) expect(t).toBeLessThanOrEqual(last * (1 - Math.min(0.45, 20 / width)) * (1 + 1e-9)); // ≥ 20 px from the right edge
        const every = ticks[1]! - ticks[0]!;
        // the gap in px: at least 70, or half the panel where it has room for one gap only
        expect((every / last) * width).toBeGreaterThanOrEqual(Math.min(width * 0.27, 70));
        const lead = every / 10 ** Math.floor(Math.log10(every)); // one significant digit; 1, 2 or 5 where ticks repeat
        expect(ticks.length === 2 ? Number.isInteger(Math.round(lead * 1e9) / 1e9) : [1, 2, 5].some((k) => Math.abs(lead - k) < 1e-9)).toBe(true);
      }
    }
  });

  it("gives the failing case two ticks: 0…5,000 in an 85 px panel", () => {
    expect(stepTicks(5000, 85)).toEqual([0, 3000]); // 5,000 sits at the edge, where the next panel's "0" is
    expect(stepTicks(4500, 85)).toEqual([0, 3000]);
    expect(stepTicks(800, 100)).toEqual([0, 600]);
    expect(stepTicks(20_000, 640)).toEqual([0, 5000, 10000, 15000]);
  });
});
