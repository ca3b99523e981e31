import { asyncScheduler, BehaviorSubject, from, mergeAll, tap, type Observable, type SchedulerLike, type Subscription } from "rxjs";
import { Decimator, throttleRender, type Row } from "@gradscope/stream";

/** Options of {@link liveRun}. */
export interface LiveRunOptions {
  /** Rows kept per series: step and eval rows per run, layer rows per (run, layer). Default 200. */
  maxPoints?: number;
  /** Bands and histogram rows kept per (run, layer, of). Default 40. */
  maxDistributions?: number;
  /** The latest alert rows kept. Default 20. */
  maxAlerts?: number;
  /** Where frames come from (default: animation frames in a browser). Pass a `TestScheduler` in tests. */
  scheduler?: SchedulerLike;
  /**
   * Largest share of the main thread the views may take, in (0, 1]. Default 0.25: after a redraw that took
   * t ms the next waits at least 3t ms, so heavy figures redraw less often instead of freezing the page.
   */
  renderShare?: number;
  /** A notebook cell's `invalidation` promise: when it resolves the run is unsubscribed (a worker terminated). */
  invalidation?: Promise<unknown>;
}

/** Where a live run is: running, or how it ended ("error" when the rows' Observable failed). */
export type LiveStatus = "running" | "completed" | "stopped" | "diverged" | "error";

/** What a live run has done so far. */
export interface LiveProgress {
  status: LiveStatus;
  /** The latest training step seen (the largest over runs), 0 before the first. */
  step: number;
  /** Why it ended, for "diverged", "stopped" and "error". */
  message?: string;
}

/** Options of {@link LiveRun.view}. */
export interface LiveViewOptions {
  /** Stops re-rendering when it resolves (the view's cell was invalidated but the run goes on). */
  invalidation?: Promise<unknown>;
  /** The document to make the container in (default: the global one). */
  document?: Document;
}

/** A subscribed run whose rows are kept in a bounded window and re-rendered once per frame. */
export interface LiveRun {
  /** The current window: decimated step, eval and layer rows, the latest distributions, alerts and status rows. */
  readonly rows: readonly Row[];
  /** The window, once now and then once per frame in which rows arrived; completes when the run ends. */
  readonly rows$: Observable<readonly Row[]>;
  readonly progress: LiveProgress;
  /** The progress, once now and then once per frame; completes when the run ends. */
  readonly progress$: Observable<LiveProgress>;
  /**
   * A container that shows `render(rows)` of the current window, replaced every frame in which rows
   * arrived. If the run fails, the container shows the error's message instead.
   */
  view(render: (rows: readonly Row[]) => Node, options?: LiveViewOptions): HTMLElement;
  /** Ends the run now (a worker is terminated); the views keep their last picture. */
  unsubscribe(): void;
}

/**
 * Subscribes to a run's rows (or several runs' rows, merged: one control can drive them all) and keeps a bounded window of them for live views: every row goes through
 * `decimate` (per run, per layer; the latest row of each series is always shown too, so a single step is
 * visible), and the views are redrawn at most once per animation frame (`throttleRender`). Memory stays
 * O(maxPoints × series) however long the run.
 *
 * @example
 * // a notebook cell
 * const control = createControl();
 * const run = liveRun(trainInWorker({ activation: "sigmoid", depth: 10 }, { control }), { invalidation });
 * display(controlPanel(control, { run }));
 * display(run.view((rows) => gradientFlow(rows, { width, steps: "latest" })));
 */
export function liveRun(rows$: Observable<Row> | readonly Observable<Row>[], options: LiveRunOptions = {}): LiveRun {
  const source: Observable<Row> = isList(rows$) ? from(rows$).pipe(mergeAll()) : rows$;
  const window = new RowWindow(options);
  const rows = new BehaviorSubject<readonly Row[]>([]);
  const progress = new BehaviorSubject<LiveProgress>({ status: "running", step: 0 });
  const share = options.renderShare ?? 0.25;
  if (!(share > 0 && share <= 1)) throw new RangeError(`liveRun: renderShare must be in (0, 1], got ${share}`);
  const later = options.scheduler ?? asyncScheduler;
  let nextDrawAt = 0;
  let delayed: Subscription | undefined;
  const draw = () => {
    delayed?.unsubscribe();
    delayed = undefined;
    const t0 = performance.now();
    rows.next(window.rows());
    progress.next({ status: "running", step: window.step });
    const t1 = performance.now();
    nextDrawAt = t1 + (t1 - t0) * (1 / share - 1);
  };
  // a frame with new rows: draw now, or once the render budget allows (so the last rows are always drawn)
  const frame = () => {
    const wait = nextDrawAt - performance.now();
    if (wait <= 0) draw();
    else delayed ??= later.schedule(draw, wait);
  };
  const end = (p: LiveProgress) => {
    delayed?.unsubscribe();
    if (rows.closed || rows.isStopped) return;
    rows.next(window.rows());
    progress.next(p);
    rows.complete();
    progress.complete();
  };

  const subscription: Subscription = source
    .pipe(
      tap((row) => window.add(row)),
      // the per-frame clock: the window above already holds every row, so the batch itself is not needed
      throttleRender("frame", options.scheduler ? { scheduler: options.scheduler } : {}),
    )
    .subscribe({
      next: frame,
      complete: () => end(window.ending()),
      error: (err: unknown) => {
        end({ status: "error", step: window.step, message: err instanceof Error ? err.message : String(err) });
      },
    });
  const unsubscribe = () => {
    subscription.unsubscribe();
    end({ status: "stopped", step: window.step, message: "the run was torn down" });
  };
  void options.invalidation?.then(unsubscribe);

  return {
    get rows() { return rows.value; },
    rows$: rows.asObservable(),
    get progress() { return progress.value; },
    progress$: progress.asObservable(),
    view(render, viewOptions = {}) {
      const doc = viewOptions.document ?? globalThis.document;
      const container = doc.createElement("div");
      container.className = "gradscope-live";
      const draw = (current: readonly Row[]) => {
        try {
          container.replaceChildren(render(current));
        } catch (err) {
          container.replaceChildren(message(doc, `This view failed: ${err instanceof Error ? err.message : String(err)}`));
        }
      };
      const sub = rows.subscribe({
        next: draw,
        complete: () => {
          const p = progress.value;
          if (p.status === "error") container.append(message(doc, `The run failed: ${p.message ?? "unknown error"}`));
        },
      });
      void viewOptions.invalidation?.then(() => sub.unsubscribe());
      return container;
    },
    unsubscribe,
  };
}

function isList(rows$: Observable<Row> | readonly Observable<Row>[]): rows$ is readonly Observable<Row>[] {
  return Array.isArray(rows$);
}

function message(doc: Document, text: string): HTMLElement {
  const p = doc.createElement("p");
  p.className = "gradscope-error";
  p.textContent = text;
  return p;
}

/** One decimated series family: rows of one type, a series per key. */
interface Family {
  // a Decimator, not the decimate operator: the snapshot is taken once per frame, when drawing,
  // instead of once per kept row (which grew quadratically with the rows kept)
  decimator: Decimator;
}

const field = (row: Row, name: string) => String((row as unknown as Record<string, unknown>)[name] ?? "");

/** The bounded window of rows behind a live run. */
class RowWindow {
  step = 0;
  private families = new Map<string, Family>();
  private alerts: Row[] = [];
  private statuses = new Map<string, Row>();
  private boundaries = new Map<string, Row>();
  private readonly maxAlerts: number;

  constructor(options: LiveRunOptions) {
    const { maxPoints = 200, maxDistributions = 40 } = options;
    this.maxAlerts = options.maxAlerts ?? 20;
    const byRun = (row: Row) => row.run;
    const byLayer = (row: Row) => `${row.run}\u0000${field(row, "layer")}`;
    const byDistribution = (row: Row) => `${byLayer(row)}\u0000${field(row, "of")}`;
    this.family("step", maxPoints, byRun);
    this.family("eval", maxPoints, byRun);
    this.family("layer", maxPoints, byLayer);
    this.family("bands", maxDistributions, byDistribution);
    this.family("histogram", maxDistributions, byDistribution);
  }

  private family(type: Row["type"], maxPoints: number, key: (row: Row) => string): void {
    this.families.set(type, { decimator: new Decimator(maxPoints, { key }) });
  }

  add(row: Row): void {
    if (row.type === "step" && row.step > this.step) this.step = row.step;
    const f = this.families.get(row.type);
    if (f) {
      f.decimator.add(row);
    } else if (row.type === "alert") {
      this.alerts.push(row);
      if (this.alerts.length > this.maxAlerts) this.alerts.shift();
    } else if (row.type === "status") {
      this.statuses.set(row.run, row);
    } else if (row.type === "boundary") {
      this.boundaries.set(row.run, row); // a whole grid: only the latest per run is worth keeping
    }
  }

  /** The kept rows of every family plus each series' latest row, then alerts and status rows. */
  rows(): Row[] {
    const out: Row[] = [];
    for (const f of this.families.values()) out.push(...f.decimator.snapshot(true));
    return [...out, ...this.boundaries.values(), ...this.alerts, ...this.statuses.values()];
  }

  /** How the run ended, from its status rows: stopped before diverged before completed. */
  ending(): LiveProgress {
    const statuses = [...this.statuses.values()] as Extract<Row, { type: "status" }>[];
    const first = (s: string) => statuses.find((r) => r.status === s);
    const worst = first("stopped") ?? first("diverged") ?? first("completed");
    const status: LiveStatus = worst?.status ?? "completed";
    return { status, step: this.step, ...(worst?.message ? { message: worst.message } : {}) };
  }
}
