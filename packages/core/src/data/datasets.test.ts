import { describe, expect, it } from "vitest";
import { dataset, datasets } from "./datasets.js";
import { moons } from "./moons.js";

describe("datasets", () => {
  it("lists every built-in set by name", () => {
    expect(Object.keys(datasets)).toEqual(["spiral", "moons", "circles", "xor", "blobs"]);
    for (const [name, make] of Object.entries(datasets)) expect(make().name).toBe(name);
  });

  it("dataset(name, options) calls the factory", () => {
    expect(dataset("moons", { n: 50, noise: 0.3, seed: 2 })).toEqual(moons({ n: 50, noise: 0.3, seed: 2 }));
    const name: string = "blobs"; // e.g. from a CLI flag
    expect(dataset(name, { classes: 4 }).classes).toBe(4);
  });

  it("throws on unknown names and options", () => {
    expect(() => dataset("foo")).toThrow('unknown dataset "foo" (known: spiral, moons, circles, xor, blobs)');
    expect(() => dataset("toString")).toThrow('unknown dataset "toString"');
    expect(() => dataset("xor", { classes: 3 })).toThrow('xor: unknown option "classes"');
  });
});
