/** The probe schedules there are (see {@link probeDue}): the one list the type and run configs' check read. */
export const probeSchedules = ["every", "log"] as const;

/** When layer rows are taken: every `every` steps, or densely early and sparser later. */
export type ProbeSchedule = (typeof probeSchedules)[number];

/**
 * Whether step `step` (1-based) of a run of `steps` steps is probed. "every": step 1 and every `every`-th
 * step. "log": step 1, then every `every`-th step up to step 999, every 10·`every`-th up to 9,999, every
 * 100·`every`-th up to 99,999, and so on (a tenfold stride per decade: ~900 probed steps per decade, where
 * early training changes fastest), plus the last step. A 1M-step run is probed at ~3,700 steps instead of
 * 1M, so its recording's layer rows stay in the megabytes. `every` 0 probes nothing.
 *
 * @example
 * probeDue(1500, { every: 1, schedule: "log", steps: 1e6 }) // false: 1500 is not a multiple of 10 … 1510 is
 */
export function probeDue(step: number, { every, schedule, steps }: { every: number; schedule: ProbeSchedule; steps: number }): boolean {
  if (every <= 0) return false;
  if (step === 1) return true;
  if (schedule === "every") return step % every === 0;
  if (step === steps) return true;
  let stride = every;
  for (let decade = 1000; step >= decade; decade *= 10) stride *= 10; // no Math.log10: exact at powers of ten
  return step % stride === 0;
}
