import { describe, expect, it } from "vitest";
import { raceJobs, recommendActivation, runRace, scoreRace, train } from "@gradscope/stream";

describe("a race of real runs", () => {
  const base = { dataset: "moons", depth: 4, width: 16, steps: 300, batchSize: 32, probes: { every: 10 } } as const;

  it("gives every contender the same step budget and seeds, and checks configs before starting", () => {
    const jobs = raceJobs(base, ["relu", { name: "relu, bias −3", config: { activation: "relu", biasInit: -3 } }], { seeds: 3 });
    expect(jobs.map((j) => [j.contender, j.seed, j.config.steps])).toEqual([
      ["relu", 1, 300], ["relu", 2, 300], ["relu", 3, 300], ["relu, bias −3", 1, 300], ["relu, bias −3", 2, 300], ["relu, bias −3", 3, 300],
    ]);
    expect(jobs[0]!.config.evalEvery).toBe(8); // ~40 evaluations for early stopping to choose from
    expect(() => raceJobs({ ...base, steps: Infinity }, ["relu"], { seeds: 2 })).toThrow(/finite step budget/);
    expect(() => raceJobs(base, ["nope"], { seeds: 2 })).toThrow(/unknown activation "nope"/);
  });

  it("two equal contenders tie; ReLU handicapped with bias init −3 loses and is not recommended", async () => {
    const contenders = ["relu", { name: "relu again", config: { activation: "relu" } }, { name: "relu, bias −3", config: { activation: "relu", biasInit: -3 } }];
    const runs = await runRace(raceJobs(base, contenders, { seeds: 3 }), { train: (c) => train(c), concurrency: 1 });
    expect(runs.map((r) => r.error)).toEqual(Array(9).fill(undefined));
    const race = scoreRace(runs);
    const [first, second] = race.tieGroups;
    expect(first).toEqual(expect.arrayContaining(["relu", "relu again"]));
    expect(first).toHaveLength(2);
    expect(second).toEqual(["relu, bias −3"]);
    const handicap = race.comparisons.find((c) => c.a === "relu" && c.b === "relu, bias −3")!;
    expect(handicap.verdict).toBe("a");
    expect(handicap.difference!.hi).toBeLessThan(0);
    const advice = recommendActivation(race, { activationOf: { "relu again": "relu", "relu, bias −3": "relu" } });
    expect(advice.activation).not.toBe("relu, bias −3");
    expect(advice.tiedWith).toHaveLength(1);
  });
});

describe("raceRows", () => {
  it("runs at most `concurrency` runs at once and passes every row on", async () => {
    const { raceRows } = await import("@gradscope/stream");
    const { lastValueFrom, toArray, Observable } = await import("rxjs");
    const jobs = raceJobs({ dataset: "xor", depth: 2, width: 4, steps: 5 }, ["relu", "elu"], { seeds: 2 });
    let running = 0, most = 0;
    const seen: string[] = [];
    const rows = await lastValueFrom(raceRows(jobs, {
      concurrency: 2,
      onRow: (r) => seen.push(r.run),
      train: (c) => new Observable((sub) => {
        most = Math.max(most, ++running);
        const s = train(c).subscribe({ next: (r) => sub.next(r), error: (e) => sub.error(e), complete: () => { running--; sub.complete(); } });
        return () => s.unsubscribe();
      }),
    }).pipe(toArray()));
    expect(most).toBe(2);
    expect(new Set(rows.map((r) => r.run))).toEqual(new Set(["relu-seed1", "relu-seed2", "elu-seed1", "elu-seed2"]));
    expect(seen).toHaveLength(rows.length);
  });
});
