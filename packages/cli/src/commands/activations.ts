import { activations, type Activation } from "@gradscope/core";
import { numberList, paramFlags, parse, UsageError } from "../args.js";

export const help = `gradscope activations [--json] [--at x1,x2,…] [--param name=value]…
  Every activation with its parameters and defaults; with --at, f(x) and f′(x) in eval mode.
  --param sets a parameter on every activation that has it (e.g. --param alpha=0.2).
  JSON: [{name, params, formula, derivative, kinks, points: [{x, y, dy}]}]`;

/** One activation's description as printed and as JSON. */
export interface ActivationInfo {
  name: string;
  params: Record<string, number>;
  learnable: string[];
  formula: string;
  derivative: string;
  kinks: number[];
  points: { x: number; y: number; dy: number }[];
}

/** Describes every built-in activation, with parameters applied where they exist. */
export function describeActivations(at: number[], params: Record<string, number>): ActivationInfo[] {
  const used = new Set<string>();
  const list = (activations as readonly Activation[]).map((base) => {
    const own = Object.fromEntries(Object.entries(params).filter(([k]) => k in base.params));
    Object.keys(own).forEach((k) => used.add(k));
    const act = Object.keys(own).length ? base.with(own) : base;
    const p = act.params;
    return {
      name: act.name,
      params: { ...p },
      learnable: [...act.learnable],
      formula: act.formula ?? "",
      derivative: act.derivative ?? "",
      kinks: [...act.kinks],
      points: at.map((x) => {
        const y = act.f(x, p);
        return { x, y, dy: act.df(x, p, y) };
      }),
    };
  });
  const unused = Object.keys(params).filter((k) => !used.has(k));
  if (unused.length) throw new UsageError(`no activation has a parameter named ${unused.map((k) => `"${k}"`).join(", ")}`);
  return list;
}

export function run(argv: string[]): number {
  const { values } = parse(argv, { json: { type: "boolean" }, at: { type: "string" }, param: { type: "string", multiple: true } } as const);
  const at = values.at ? numberList("at", values.at) : [];
  const infos = describeActivations(at, paramFlags(values.param));
  if (values.json) {
    process.stdout.write(JSON.stringify(infos, null, 2) + "\n");
    return 0;
  }
  const fmt = (v: number) => String(Number(v.toPrecision(6)));
  for (const a of infos) {
    const ps = Object.entries(a.params).map(([k, v]) => `${k}=${fmt(v)}${a.learnable.includes(k) ? " (learnable)" : ""}`).join(", ");
    process.stdout.write(`${a.name.padEnd(12)} ${a.formula}${ps ? `   [${ps}]` : ""}\n`);
    for (const { x, y, dy } of a.points) process.stdout.write(`${"".padEnd(12)} x=${fmt(x)}  f=${fmt(y)}  f′=${fmt(dy)}\n`);
  }
  return 0;
}
