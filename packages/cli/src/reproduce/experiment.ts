/**
 * What every `gradscope reproduce` experiment returns: the checks (ours beside theory or the paper,
 * a tolerance and a verdict) and the experiment's own data, both plain JSON.
 */
export interface Check {
  /** What is compared, in words: "P(product < 1e-18)". */
  quantity: string;
  /** Our measurement. */
  ours: number;
  /** The closed form, or the paper's value. */
  theory: number;
  /** The allowed difference, stated as a rule: "|ours − theory| ≤ 3 SE = 0.006". */
  tolerance: string;
  pass: boolean;
}

/** The result of one experiment. */
export interface Reproduction<D = unknown> {
  experiment: string;
  /** One line on what was measured and against what. */
  description: string;
  checks: Check[];
  /** True when every check passed. */
  pass: boolean;
  /** True when Ctrl-C stopped the experiment early: `data` and `checks` hold what finished. */
  interrupted: boolean;
  data: D;
}

/** How an experiment reports progress and learns it should stop. */
export interface ExperimentContext {
  /** `done` of `total` units of work finished; `label` says which. */
  progress(done: number, total: number, label?: string): void;
  /** Aborted on Ctrl-C: experiments stop at the next unit of work and return what finished. */
  signal: AbortSignal;
}

/** A context that reports nothing and never stops (tests, library use). */
export const quietContext: ExperimentContext = { progress: () => {}, signal: new AbortController().signal };

/**
 * Lets a pending Ctrl-C (a signal event) run between units of synchronous work; true when the
 * experiment should stop.
 */
export async function shouldStop(ctx: ExperimentContext): Promise<boolean> {
  await new Promise((resolve) => setImmediate(resolve));
  return ctx.signal.aborted;
}

/** A check whose rule is |ours − theory| ≤ tol. */
export function within(quantity: string, ours: number, theory: number, tol: number, rule: string): Check {
  return { quantity, ours, theory, tolerance: `|ours − theory| ≤ ${rule} = ${fmt(tol)}`, pass: Math.abs(ours - theory) <= tol };
}

/** A check whose rule is |ln(ours / theory)| ≤ tol (for quantities spanning decades). */
export function withinFactor(quantity: string, ours: number, theory: number, tol: number, rule: string): Check {
  return {
    quantity, ours, theory,
    tolerance: `|ln(ours/theory)| ≤ ${rule} = ${fmt(tol)} (a factor ${fmt(Math.exp(tol))})`,
    pass: ours > 0 && theory > 0 && Math.abs(Math.log(ours / theory)) <= tol,
  };
}

/** A check that a claim holds (theory 1 = holds, ours 1 or 0). */
export function claim(quantity: string, holds: boolean, tolerance = "the claim holds"): Check {
  return { quantity, ours: holds ? 1 : 0, theory: 1, tolerance, pass: holds };
}

/** Wraps checks and data into a result. */
export function reproduction<D>(experiment: string, description: string, checks: Check[], data: D, interrupted: boolean): Reproduction<D> {
  return { experiment, description, checks, pass: checks.length > 0 && checks.every((c) => c.pass), interrupted, data };
}

/** 4 significant digits, exponent notation outside [1e-3, 1e4). */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}
