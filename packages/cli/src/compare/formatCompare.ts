import type { Estimate } from "@gradscope/stream";
import type { CompareResult } from "../commands/compare.js";

/** `v` to `digits` significant digits, plain between 1e-3 and 1e5, short exponent form outside ("1.2e-5"). */
export function sig(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return v > 0 ? "∞" : v < 0 ? "−∞" : "–";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(digits)));
  const [m, e] = v.toExponential(digits - 1).split("e");
  return `${Number(m)}e${Number(e)}`;
}

/**
 * "0.312±0.021": the mean to 3 significant digits and the 95 % interval's half-width to 2, but no finer than
 * the mean's last digit ("1.1±<0.01" when it is smaller); the mean alone from one seed (no interval).
 */
export function pm(e: Estimate | null, scale = 1): string {
  if (!e) return "–";
  const mean = e.mean * scale, hw = e.halfWidth * scale;
  if (!Number.isFinite(hw)) return sig(mean);
  const m = sig(mean);
  if (hw === 0 || /e/.test(m)) return `${m}±${sig(hw, 2)}`;
  const decimals = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(mean) || 1)));
  const h = Number(sig(hw, 2));
  const rounded = Number(h.toFixed(decimals));
  return rounded === 0 ? `${m}±<${(10 ** -decimals).toFixed(decimals)}` : `${m}±${rounded}`;
}

/** The table's two header lines and its rows, as cells: the text table and the HTML report print the same. */
export function compareCells(r: CompareResult): { header: [string[], string[]]; rows: string[][] } {
  const target = sig(r.targetLoss, 2);
  const header: [string[], string[]] = [
    ["tie", "", "held-out", "held-out", "best", "loss", "steps to", "kernel", "step ms", "dead", "grad"],
    ["", "activation", "loss best", "acc% best", "step", "at end", `loss ${target}`, "µs/step", "±95%", "%", "log10"],
  ];
  const rows = r.activations.map((s) => [
    String(s.tieGroup + 1),
    s.activation,
    pm(s.bestTestLoss),
    pm(s.bestTestAccuracy, 100),
    s.bestStep ? sig(Math.round(s.bestStep.mean)) : "–",
    s.testLoss ? sig(s.testLoss.mean) : "–",
    s.stepsToTarget ? `${sig(Math.round(s.stepsToTarget.mean))} ${s.reached}/${s.runs.length}` : `– 0/${s.runs.length}`,
    s.kernelMicrosPerStep !== null ? sig(s.kernelMicrosPerStep, 2) : "–",
    pm(s.msPerStep),
    s.deadFrac ? sig(100 * s.deadFrac.mean, 2) : "–",
    s.log10GradientRatio ? s.log10GradientRatio.mean.toFixed(1) : "–",
  ]);
  return { header, rows };
}

/** The legend lines under the table: what each unusual column means. */
export function compareLegend(r: CompareResult): string[] {
  const n = Math.max(0, ...r.activations.map((s) => s.runs.length));
  return [
    `${n} seed${n === 1 ? "" : "s"} each, the same ${r.config.steps ?? 500} steps; ±95%: half-width of the t-interval of the mean over seeds.`,
    `held-out numbers "at best" are at the step early stopping keeps (patience ${r.protocol.patience} evaluations); "at end" after the whole budget.`,
    `tie: contenders the paired comparison over seeds cannot separate share a number (1 = the leaders); loss in nats.`,
    `kernel µs/step: the activation's forward + backward ns/element, timed in isolation, × elements per step; step ms is wall time (includes scheduling).`,
    `grad log10: log10(‖∂L/∂z‖ first hidden layer ÷ last); negative = smaller at the input (vanishing), −3 = 1000× smaller.`,
  ];
}

/** The table and the recommendation as text, at most 100 columns wide; every number is the JSON's, rounded. */
export function formatCompare(r: CompareResult): string {
  const { header, rows } = compareCells(r);
  const all = [header[0], header[1], ...rows];
  const widths = header[0].map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const numeric = (i: number) => i >= 2;
  // two spaces between columns, one when two would pass 100 columns
  const gap = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1) <= 100 ? "  " : " ";
  const line = (cells: string[]) => cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(gap).trimEnd();
  const rec = r.recommendation;
  const wrap = (text: string, indent: string) => {
    const out: string[] = [];
    let cur = "";
    for (const word of text.split(" ")) {
      if (cur && indent.length + cur.length + 1 + word.length > 100) {
        out.push(cur);
        cur = word;
      } else cur = cur ? `${cur} ${word}` : word;
    }
    if (cur) out.push(cur);
    return out.map((l, i) => (i === 0 ? `${indent}${l}` : `${" ".repeat(indent.length)}${l}`));
  };
  return [
    ...(r.interrupted ? ["interrupted: finished runs only", ""] : []),
    line(header[0]),
    line(header[1]),
    line(widths.map((w) => "─".repeat(w))),
    ...rows.map(line),
    "",
    ...compareLegend(r).flatMap((l) => wrap(l, "")),
    ...r.failed.map((f) => `failed: ${f.activation} seed ${f.seed}: ${f.error}`),
    "",
    `recommendation: ${rec.activation ?? "none"}${rec.tiedWith.length ? ` (tied with ${rec.tiedWith.join(", ")})` : ""}`,
    ...rec.reasons.flatMap((reason) => wrap(reason, "  - ")),
  ].join("\n") + "\n";
}
