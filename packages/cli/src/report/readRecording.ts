import { Decimator, RunScorer, type Row, type RunScore, type ScoreRunOptions } from "@gradscope/stream";
import { readNdjson } from "@gradscope/stream/node";
import { RunSummarizer, type RunSummary } from "../runSummary.js";

/** How many points each series of a report keeps (the notebooks' stride-doubling `Decimator`). */
export const REPORT_POINTS = {
  /** Step rows (the loss curve), per run. */
  step: 2000,
  /** Evaluation rows, per run. */
  eval: 1000,
  /** Probed steps of layer rows, per layer: whole steps are kept, every layer at the same steps. */
  layer: 400,
  /** Probed steps of band and histogram rows, per layer and buffer. */
  distribution: 200,
  /** Decision-boundary rows, per run. */
  boundary: 20,
  /** Rows of other types (alerts, status, unknown types), per type. */
  other: 1000,
} as const;

/** One recording, read for a report: its header's config, a bounded subset of its rows, and its summary. */
export interface ReportRun {
  /** File name it came from. */
  file: string;
  config: Record<string, unknown> | null;
  /** The rows the figures draw: at most {@link REPORT_POINTS} per series, evenly spread, each series' last row included; in step order. */
  rows: Row[];
  /** Computed from every row (not only the kept ones). */
  summary?: RunSummary;
  /** The race protocol's score from every row, and the options it was scored with (a race with others rescores `rows`). */
  scored?: { options: Required<Pick<ScoreRunOptions, "patience" | "targetLoss">>; score: RunScore };
}

/** What a report scores runs with unless told otherwise: compare's defaults. */
export const REPORT_SCORING = { patience: 5, targetLoss: 0.5 } as const;

/**
 * Collects the rows of one run for a report in bounded memory: every series is decimated by stride doubling
 * (a series of n rows keeps between max/2 and max of them, at multiples of its stride, plus its latest row).
 * Layer rows are kept per layer; every layer sees the same probed steps, so the kept steps coincide and each
 * kept step has all its layers.
 */
export class ReportCollector {
  private readonly decimators = new Map<string, Decimator>();
  private readonly summarizer = new RunSummarizer();
  // the score needs every step (a 20-step moving average, the step a target is first reached): decimated rows
  // would average 20 rows up to 2 × stride steps apart
  private readonly scorer: RunScorer;

  constructor(readonly scoring: Required<Pick<ScoreRunOptions, "patience" | "targetLoss">> = REPORT_SCORING) {
    this.scorer = new RunScorer(scoring);
  }

  add(row: Row): void {
    this.summarizer.add(row);
    if (row.type !== "header") this.scorer.add(row);
    if (row.type === "header") return;
    const [group, max] = this.groupOf(row);
    let d = this.decimators.get(group);
    if (d === undefined) this.decimators.set(group, (d = new Decimator(max, { key: (r) => this.seriesKey(r) })));
    d.add(row);
  }

  private groupOf(row: Row): [string, number] {
    switch (row.type) {
      case "step": return ["step", REPORT_POINTS.step];
      case "eval": return ["eval", REPORT_POINTS.eval];
      case "layer": return ["layer", REPORT_POINTS.layer];
      case "bands": case "histogram": return [row.type, REPORT_POINTS.distribution];
      case "boundary": return ["boundary", REPORT_POINTS.boundary];
      default: return [`other:${row.type}`, REPORT_POINTS.other];
    }
  }

  private seriesKey(row: Row): string {
    const layered = row as { layer?: unknown; of?: unknown };
    return `${row.run}/${String(layered.layer ?? "")}/${String(layered.of ?? "")}`;
  }

  /** The kept rows in step order (rows of one step in the order their types were first seen). */
  rows(): Row[] {
    const kept = [...this.decimators.values()].flatMap((d) => d.snapshot(true));
    return kept.map((row, i) => ({ row, i })).sort((a, b) => a.row.step - b.row.step || a.i - b.i).map(({ row }) => row);
  }

  summary(config: Record<string, unknown> | null): RunSummary {
    return this.summarizer.summary(config);
  }

  /** The race protocol's score of every row added (see `RunScorer`). */
  score(): RunScore {
    return this.scorer.score();
  }
}

/**
 * Reads a recording for a report in one pass and bounded memory (see {@link ReportCollector}); malformed
 * lines and empty recordings throw as `readNdjson` does, warnings go to `onWarning`.
 */
export async function readRecording(path: string, file: string, onWarning: (w: string) => void): Promise<ReportRun> {
  let config: Record<string, unknown> | null = null;
  const collector = new ReportCollector();
  for await (const row of readNdjson(path, { onHeader: (h) => { config = h.config; }, onWarning })) collector.add(row);
  return { file, config, rows: collector.rows(), summary: collector.summary(config), scored: { options: collector.scoring, score: collector.score() } };
}
