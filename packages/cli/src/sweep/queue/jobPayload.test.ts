import { describe, expect, it } from "vitest";
import { expandSweep } from "../expandSweep.js";
import { parseSweepFile } from "../sweepFile.js";
import { RefusedJob, sweepJob, validateJob } from "./jobPayload.js";

const spec = parseSweepFile("name: s\nbase: {width: 8}\ngrid: {activation: [relu]}\nsteps: 10", "yaml");
const run = expandSweep(spec)[0]!;
const good = sweepJob(run, "s", { stop: { targetLoss: 0.1 }, keep: ["step"] }, "0.1.0");
const refused = (data: unknown) => {
  try {
    validateJob(data, "0.1.0");
  } catch (e) {
    expect(e).toBeInstanceOf(RefusedJob);
    return (e as Error).message;
  }
  return "accepted";
};

describe("validateJob: a job is untrusted data", () => {
  it("accepts a sweep's own job and gives back its run and rules", () => {
    const { run: r, rules, sweep } = validateJob(JSON.parse(JSON.stringify(good)), "0.1.0");
    expect(sweep).toBe("s");
    expect(r).toMatchObject({ id: run.id, seed: 1, config: run.config });
    expect(rules).toEqual({ stop: { targetLoss: 0.1 }, keep: ["step"] });
  });
  it("refuses ids that would leave the output directory, unknown keys, bad configs, other versions", () => {
    expect(refused({ ...good, id: "../x", config: { ...good.config, run: "../x" } })).toContain('run id "../x" is not a safe name');
    expect(refused({ ...good, id: "s./../../x" })).toContain("is not a safe name");
    expect(refused({ ...good, id: "other.a" })).toContain('is not in sweep "s"');
    expect(refused({ ...good, config: { ...good.config, evil: "process.exit()" } })).toContain('job config: unknown run-config key "evil"');
    expect(refused({ ...good, config: { ...good.config, probes: { every: 1, hook: "x" } } })).toContain('job config: unknown run-config probes key "hook"');
    expect(refused({ ...good, config: { ...good.config, digitsUrl: "http://127.0.0.1/x" } })).toContain("job config: digitsUrl is not allowed");
    expect(refused({ ...good, config: { ...good.config, activation: "x => x" } })).toContain('unknown activation "x => x"');
    expect(refused({ ...good, config: { ...good.config, depth: -1 } })).toContain("depth must be a positive integer");
    expect(refused({ ...good, config: { ...good.config, steps: Infinity } })).toContain("must end");
    expect(refused({ ...good, extra: 1 })).toContain('unknown key "extra" in the job');
    expect(refused({ ...good, stop: { targetLoss: 0.1, run: 1 } })).toContain('unknown key "stop.run"');
    expect(refused({ ...good, version: "9.9.9" })).toBe('submitted by gradscope "9.9.9", this worker runs 0.1.0: run a worker of the same version (recordings of two versions would not compare)');
    expect(refused({ ...good, format: "x" })).toContain("not a gradscope sweep job");
    expect(refused("a string")).toBe("job data is not an object");
    expect(refused({ ...good, config: { ...good.config, run: "s.other" } })).toContain("is not the run id");
  });
});
