import { describe, expect, it } from "vitest";
import { layerTicks } from "./layerTicks.js";

describe("layerTicks", () => {
  it("keeps every layer of a shallow net, sorted and unique", () => {
    expect(layerTicks([2, 0, 1, 1, 2])).toEqual([0, 1, 2]);
  });
  it("thins a deep net's layers to whole numbers, keeping the first and last", () => {
    const ticks = layerTicks(Array.from({ length: 50 }, (_, i) => i));
    expect(ticks.length).toBeLessThanOrEqual(12);
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBe(49);
    expect(ticks.every(Number.isInteger)).toBe(true);
  });
  it("gives no ticks for no layers", () => {
    expect(layerTicks([])).toEqual([]);
  });
});
