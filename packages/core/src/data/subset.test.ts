import { describe, expect, it } from "vitest";
import { blobs } from "./blobs.js";
import { subset } from "./subset.js";

describe("subset", () => {
  it("copies the given rows in order", () => {
    const ds = blobs({ n: 9 });
    const part = subset(ds, [4, 0, 4]);
    expect([part.n, part.features, part.classes]).toEqual([3, 2, 3]);
    expect(Array.from(part.x)).toEqual([ds.x[8], ds.x[9], ds.x[0], ds.x[1], ds.x[8], ds.x[9]]);
    expect(Array.from(part.y)).toEqual([ds.y[4], ds.y[0], ds.y[4]]);
    part.x[0] = 99;
    expect(ds.x[8]).not.toBe(99);
  });

  it("rejects rows out of range", () => {
    expect(() => subset(blobs({ n: 9 }), [9])).toThrow("subset: row 9 is out of range for blobs (9 examples)");
  });
});
