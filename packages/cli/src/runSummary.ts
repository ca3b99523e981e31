import { gradientRatio, type AlertRow, type EvalRow, type LayerRow, type Row, type StatusRow, type StepRow } from "@gradscope/stream";

/** What `replay --summary --json` prints. */
export interface RunSummary {
  run: string;
  config: Record<string, unknown> | null;
  steps: number;
  finalLoss: number;
  finalAccuracy: number;
  evalLoss: number | null;
  evalAccuracy: number | null;
  gradientRatio: number | null;
  deadFrac: number[];
  saturatedFrac: number[];
  /** The first {@link MAX_ALERTS} alerts; `alertCount` counts them all. */
  alerts: { step: number; kind: string; message: string }[];
  alertCount: number;
  status: string;
}

/** Alerts a summary lists (a long run whose alerts flap could have millions). */
export const MAX_ALERTS = 1000;

/**
 * Summarises a run row by row in constant memory: it keeps the last step, evaluation and status rows, the
 * layer rows of the last probed step, and the first {@link MAX_ALERTS} alerts — so `replay --summary` and
 * `report` read a recording of any length in one pass.
 *
 * @example
 * const s = new RunSummarizer();
 * for await (const row of readNdjson("run.ndjson")) s.add(row);
 * s.summary(config).gradientRatio;
 */
export class RunSummarizer {
  private run: string | undefined;
  private lastStep: StepRow | undefined;
  private lastEval: EvalRow | undefined;
  private lastStatus: StatusRow | undefined;
  private layers: LayerRow[] = [];
  private readonly alerts: AlertRow[] = [];
  private alertCount = 0;

  add(row: Row): void {
    if (row.type === "header") return;
    this.run ??= row.run;
    switch (row.type) {
      case "step": this.lastStep = row; break;
      case "eval": this.lastEval = row; break;
      case "status": this.lastStatus = row; break;
      case "alert":
        this.alertCount++;
        if (this.alerts.length < MAX_ALERTS) this.alerts.push(row);
        break;
      case "layer":
        if (this.layers.length > 0 && this.layers[0]!.step !== row.step) this.layers = [];
        this.layers.push(row);
        break;
    }
  }

  summary(config: Record<string, unknown> | null): RunSummary {
    const last = this.lastStep;
    const hidden = this.layers.filter((l) => l.activation !== "none");
    return {
      run: this.run ?? "",
      config,
      steps: last?.step ?? 0,
      finalLoss: last?.loss ?? NaN,
      finalAccuracy: last?.accuracy ?? NaN,
      evalLoss: this.lastEval?.loss ?? null,
      evalAccuracy: this.lastEval?.accuracy ?? null,
      gradientRatio: gradientRatio(hidden),
      deadFrac: hidden.map((l) => l.deadFrac),
      saturatedFrac: hidden.map((l) => l.saturatedFrac),
      alerts: this.alerts.map(({ step, kind, message }) => ({ step, kind, message })),
      alertCount: this.alertCount,
      status: this.lastStatus?.status ?? "incomplete (no status row: the run did not finish)",
    };
  }
}

/** Summarises a run's rows (see {@link RunSummarizer}). */
export function summarize(rows: Iterable<Row>, config: Record<string, unknown> | null): RunSummary {
  const s = new RunSummarizer();
  for (const row of rows) s.add(row);
  return s.summary(config);
}
