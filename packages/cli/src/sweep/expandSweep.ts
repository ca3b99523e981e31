import { createRng } from "@gradscope/core";
import { resolveRunConfig, type RunConfig } from "@gradscope/stream";
import { runIdOf } from "./runId.js";
import type { RandomLaw, SweepSpec } from "./sweepFile.js";

/** A sweep's axis values at one run (grid and random axes). */
export type SweepPoint = Record<string, string | number | boolean>;

/** One run of a sweep: its stable id, its point and seed, and its whole run config. */
export interface SweepRun {
  id: string;
  point: SweepPoint;
  seed: number;
  config: RunConfig;
}

/**
 * Every run of a sweep, in a fixed order (grid points in the file's order, the last axis fastest, then
 * random draws, then seeds). Each config is checked with `resolveRunConfig`, so a bad value fails here,
 * naming the run, before anything starts. Ids are unique (two points that would share one are an error).
 * @example
 * expandSweep(spec).map((r) => r.id); // ["act-depth.activation-relu.depth-2.seed-1", …]
 */
export function expandSweep(spec: SweepSpec): SweepRun[] {
  const points = cross(Object.entries(spec.grid));
  const draws = spec.random ? randomDraws(spec.random) : [{}];
  const runs: SweepRun[] = [];
  const seen = new Set<string>();
  for (const gridPoint of points) {
    for (const draw of draws) {
      for (const seed of spec.seeds) {
        const point = { ...gridPoint, ...draw };
        const id = runIdOf(spec.name, point, seed);
        if (seen.has(id)) throw new RangeError(`sweep file: two runs would share the id ${id} (random draws that round to the same values?)`);
        seen.add(id);
        const config: RunConfig = { ...spec.base, ...(point as RunConfig), seed, run: id };
        if (spec.steps !== undefined) config.steps = spec.steps;
        try {
          resolveRunConfig(config);
        } catch (e) {
          throw new RangeError(`sweep file: run ${id}: ${(e as Error).message}`);
        }
        runs.push({ id, point, seed, config });
      }
    }
  }
  return runs;
}

function cross(axes: [string, (string | number | boolean)[]][]): SweepPoint[] {
  return axes.reduce<SweepPoint[]>((points, [key, values]) => points.flatMap((p) => values.map((v) => ({ ...p, [key]: v }))), [{}]);
}

/** Rounded to 4 significant digits: readable ids, and the config holds exactly the value in the id. */
const round4 = (x: number) => Number(x.toPrecision(4));

function randomDraws(random: NonNullable<SweepSpec["random"]>): SweepPoint[] {
  const rng = createRng(random.seed);
  const draw = (law: RandomLaw): string | number | boolean => {
    if ("choice" in law) return law.choice[Math.min(Math.floor(rng.next() * law.choice.length), law.choice.length - 1)]!;
    if ("uniform" in law) return round4(law.uniform[0] + rng.next() * (law.uniform[1] - law.uniform[0]));
    const [lo, hi] = law.logUniform.map(Math.log) as [number, number];
    return round4(Math.exp(lo + rng.next() * (hi - lo)));
  };
  return Array.from({ length: random.count }, () => Object.fromEntries(Object.entries(random.axes).map(([k, law]) => [k, draw(law)])));
}
