import { describe, expect, it } from "vitest";
import { cli } from "../internal/testing/cli.js";
import type { AdviceRow } from "./advise.js";

describe("gradscope advise", () => {
  const flags = ["--datasets", "xor,moons", "--depths", "2", "--activations", "relu,elu", "--seeds", "2", "--steps", "60", "--width", "8", "--jobs", "2"];

  it("races every (data set, depth) and prints the advisor's table, one row each, the JSON's answer", async () => {
    const json = await cli("advise", ...flags, "--json");
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.out) as AdviceRow[];
    expect(rows.map((r) => [r.dataset, r.depth])).toEqual([["xor", 2], ["moons", 2]]);
    for (const r of rows) {
      expect(["relu", "elu"]).toContain(r.activation);
      expect(r.tieGroups.flat().sort()).toEqual(["elu", "relu"]);
      expect(r.reasons.length).toBeGreaterThan(0);
      expect(r.contenders.map((c) => c.activation)).toEqual(["relu", "elu"]);
    }
    const md = await cli("advise", ...flags);
    expect(md.code).toBe(0);
    const lines = md.out.split("\n").filter((l) => l.startsWith("| "));
    expect(lines[0]).toMatch(/^\| data set \| depth \| recommended \|/);
    // the same seeds and steps give the same runs: the table's answer is the JSON's
    expect(lines.slice(1).map((l) => l.split(" | ")[2])).toEqual(rows.map((r) => `**${r.activation}**`));
  });

  it("names a bad data set before any run", async () => {
    const r = await cli("advise", "--datasets", "nope", "--steps", "5");
    expect(r.code).toBe(2);
    expect(r.err).toContain("nope");
  });
});
