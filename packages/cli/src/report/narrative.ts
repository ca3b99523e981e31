import { adviceThresholds, alertThresholds, isRow, mean, median, scoreRun, type DetectAlertsOptions, type LayerRow, type RaceRun, type Row } from "@gradscope/stream";
import { sig } from "../compare/formatCompare.js";

/** Options of {@link narrative}: the alert thresholds (default detectAlerts' own, `alertThresholds`). */
export interface NarrativeOptions extends Pick<DetectAlertsOptions, "vanishingRatio" | "deadFrac" | "saturatedFrac"> {
  /** Contenders in this order (the inputs'). */
  order?: readonly string[];
}

/** Per probed step of a run, a condition on its hidden layers; when it last held, and whether it holds at the end. */
function episode(rows: readonly Row[], holds: (hidden: LayerRow[]) => boolean): { first: number; recovered: number | null } | null {
  const bySteps = new Map<number, LayerRow[]>();
  for (const l of rows.filter(isRow("layer"))) {
    if (l.activation === "none") continue;
    const list = bySteps.get(l.step) ?? [];
    list.push(l);
    bySteps.set(l.step, list);
  }
  const steps = [...bySteps.keys()].sort((a, b) => a - b);
  let first: number | null = null, lastHeld: number | null = null;
  for (const s of steps) {
    if (holds(bySteps.get(s)!)) {
      first ??= s;
      lastHeld = s;
    }
  }
  if (first === null) return null;
  const after = steps.find((s) => s > lastHeld!);
  return { first, recovered: after ?? null };
}

/** Mean mini-batch loss over the steps within `half` of `step`. */
function lossNear(rows: readonly Row[], step: number, half = 10): number {
  const xs = rows.filter(isRow("step")).filter((s) => Math.abs(s.step - step) <= half).map((s) => s.loss);
  return mean(xs);
}

/**
 * What happened in a race, in sentences built from the alerts and the layer rows behind them: when gradients
 * vanished and whether (and when) they recovered, with the loss then; layers that died or saturated and
 * stayed so; divergence; held-out loss rising after its best (overfitting). Medians over the seeds concerned.
 * @example narrative(race) // ["sigmoid: gradients vanished (…) from step 0 in 3 of 3 seeds, then recovered around step ~150 as the training loss fell from 1.1 to 0.62"]
 */
export function narrative(runs: readonly RaceRun[], options: NarrativeOptions = {}): string[] {
  const vanishing = options.vanishingRatio ?? alertThresholds.vanishingRatio;
  const deadAt = options.deadFrac ?? alertThresholds.deadFrac, saturatedAt = options.saturatedFrac ?? alertThresholds.saturatedFrac;
  const names = [...new Set([...(options.order ?? []), ...runs.map((r) => r.contender)])].filter((n) => runs.some((r) => r.contender === n));
  const lines: string[] = [];
  for (const name of names) {
    const mine = runs.filter((r) => r.contender === name);
    const n = mine.length;
    const of = (k: number) => `in ${k} of ${n} seed${n === 1 ? "" : "s"}`;
    const alerted = (kind: string) => mine.filter((r) => r.rows.some((x) => isRow("alert")(x) && x.kind === kind));

    // vanishing gradients, and their recovery
    const vRuns = alerted("vanishing");
    if (vRuns.length) {
      const eps = vRuns.map((r) => ({ r, e: episode(r.rows, (h) => h.length >= 2 && h[0]!.gradNormZ / h.at(-1)!.gradNormZ < vanishing) })).filter((x) => x.e);
      const rec = eps.filter((x) => x.e!.recovered !== null);
      const start = median(eps.map((x) => x.e!.first));
      let line = `${name}: gradients vanished (first ÷ last hidden layer ‖∂L/∂z‖ below ${vanishing}) from step ~${Math.round(start)} ${of(vRuns.length)}`;
      if (rec.length) {
        const at = median(rec.map((x) => x.e!.recovered!));
        const from = median(rec.map((x) => lossNear(x.r.rows, x.e!.first)));
        const to = median(rec.map((x) => lossNear(x.r.rows, x.e!.recovered!)));
        line += `, then recovered around step ~${Math.round(at)} ${of(rec.length)}` + (Number.isFinite(from) && Number.isFinite(to) && to < from ? ` as the loss left its plateau (training loss ${sig(from, 2)} → ${sig(to, 2)})` : "");
        if (rec.length < eps.length) line += `; in the others they stayed vanished to the end`;
      } else line += ", and stayed vanished to the end: the early layers barely learned";
      lines.push(line);
    }
    // dead and saturated layers
    for (const [kind, field, at, words] of [["dead", "deadFrac", deadAt, "units died"], ["saturated", "saturatedFrac", saturatedAt, "units saturated"]] as const) {
      const k = alerted(kind);
      if (!k.length) continue;
      const eps = k.map((r) => episode(r.rows, (h) => h.some((l) => l[field] >= at))).filter((e): e is NonNullable<typeof e> => e !== null);
      const stayed = eps.filter((e) => e.recovered === null).length;
      const worst = median(k.map((r) => Math.max(...r.rows.filter(isRow("alert")).filter((a) => a.kind === kind).map((a) => a.value ?? 0))));
      lines.push(`${name}: ${words} (a layer ${sig(100 * worst, 2)} % ${kind}, threshold ${100 * at} %) from step ~${Math.round(median(eps.map((e) => e.first)))} ${of(k.length)}` +
        (stayed === eps.length ? "; they stayed so to the end" : stayed === 0 ? `; they came back by step ~${Math.round(median(eps.map((e) => e.recovered!)))}` : `; ${stayed} stayed so to the end`));
    }
    const exploding = alerted("exploding");
    if (exploding.length) lines.push(`${name}: gradients exploded ${of(exploding.length)} (first at step ~${Math.round(median(exploding.map((r) => r.rows.filter(isRow("alert")).find((a) => a.kind === "exploding")!.step)))})`);
    const diverged = mine.filter((r) => r.rows.some((x) => isRow("status")(x) && x.status === "diverged"));
    if (diverged.length) lines.push(`${name}: the loss diverged (NaN or infinite) ${of(diverged.length)}; a smaller learning rate may help`);
    // overfitting: held-out loss rose after its best
    const scores = mine.map((r) => r.score ?? scoreRun(r.rows)).filter((s) => s.best && s.end);
    const rising = scores.filter((s) => s.end!.loss - s.best!.loss > Math.max(adviceThresholds.overfitRiseMin, adviceThresholds.overfitRise * s.best!.loss));
    if (rising.length) {
      lines.push(`${name}: held-out loss bottomed at ${sig(median(rising.map((s) => s.best!.loss)), 2)} around step ~${Math.round(median(rising.map((s) => s.best!.step)))} and rose to ${sig(median(rising.map((s) => s.end!.loss)), 2)} by the end ${of(rising.length)}, while the training loss fell to ${sig(median(rising.map((s) => s.trainLoss)), 2)}: overfitting – the table reads held-out numbers at the best step`);
    }
  }
  return lines;
}
