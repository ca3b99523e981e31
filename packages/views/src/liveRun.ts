import { animationFrameScheduler, asyncScheduler, BehaviorSubject, from, mergeAll, Observable, tap, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from "rxjs";
import { Decimator, type Row, type TrainingControl } from "@gradscope/stream";
import { RenderQueue, type QueuedRender } from "./internal/renderQueue.js";
import { placeholder, placeholderText, type PlaceholderOptions } from "./placeholder.js";

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
  /**
   * When to subscribe: `"now"`, or `"visible"` – when one of its views (or its control panel) scrolls into
   * view, or on {@link LiveRun.start} (a Start button) – so the reader is there when it happens. Default
   * `"visible"` where the browser can tell (IntersectionObserver), `"now"` elsewhere.
   */
  start?: "now" | "visible";
  /**
   * With `start: "visible"`, milliseconds the run waits once seen before it subscribes; a run torn down
   * before then never starts. Default 300: dragging a slider re-runs a notebook cell on every move, and
   * only the run of the value the slider rests on starts a worker.
   */
  startDelayMs?: number;
  /**
   * Where the previous run's rows are kept when this one is torn down (an input changed) or restarted,
   * so the next run's views can draw it as a grey ghost ({@link LiveContext.ghost}). Default `"default"`
   * (one live run per page); `false` keeps none.
   */
  ghostKey?: string | false;
  /** The control the rows follow: {@link LiveRun.restart} brings it back to running. */
  control?: TrainingControl;
  /** The step axis views are asked to draw (see {@link LiveContext.stepScale}); default `"linear"`. */
  stepScale?: StepScale;
  /**
   * In a browser, how often a view off screen is redrawn while the run goes, in ms; default 1000. It is
   * redrawn at once when it scrolls into view, and when the run holds or ends.
   */
  offscreenEveryMs?: number;
  /**
   * What the views' placeholders say before the run sends its first row, e.g. "loading 3,000 digits…" while a
   * worker fetches its data. Default: each view's own placeholder words ({@link LiveViewOptions.placeholder}).
   */
  loading?: string;
}

/** A step axis: linear, or log (symlog: step 0 stays on it), which keeps the first percent of a run readable. */
export type StepScale = "linear" | "log";

/** Where a live run is: waiting to start, running, or how it ended ("error" when the rows' Observable failed). */
export type LiveStatus = "waiting" | "running" | "completed" | "stopped" | "diverged" | "error";

/** What a live run has done so far. */
export interface LiveProgress {
  status: LiveStatus;
  /**
   * The slowest run's latest step (runs that have ended count only when all have), 0 before the first:
   * a status line never claims more than every run has done.
   */
  step: number;
  /** Each run's latest step, when there are several runs. */
  steps?: Record<string, number>;
  /**
   * Every run has confirmed a pause (its `paused` row came after its last step) or has ended: no more rows
   * will come until a command. Wait for this, not for the rows to stop, to read a paused picture.
   */
  held?: boolean;
  /** Why it ended, for "diverged", "stopped" and "error". */
  message?: string;
}

/** What a live view draws besides the current rows; pass it on to a view's options. */
export interface LiveContext {
  /** The previous run's rows (before an input change or a restart), to draw in grey; empty at first. */
  ghost: readonly Row[];
  /** The step axis the reader chose. */
  stepScale: StepScale;
}

/** Options of {@link LiveRun.view}. */
export interface LiveViewOptions {
  /** Stops re-rendering when it resolves (the view's cell was invalidated but the run goes on). */
  invalidation?: Promise<unknown>;
  /** The document to make the container in (default: the global one). */
  document?: Document;
  /**
   * Row types the view draws: until the first arrives, a placeholder of the view's own size stands in its
   * place (its container has `data-placeholder`). Default `["step", "layer"]`: the first step, always probed.
   */
  waitFor?: PlaceholderOptions["waitFor"];
  /** The placeholder's words. Default "waiting for the first probe…". */
  placeholder?: string;
}

/** A subscribed run whose rows are kept in a bounded window and re-rendered once per frame. */
export interface LiveRun {
  /** The current window: decimated step, eval and layer rows, the latest distributions, alerts and status rows. */
  readonly rows: readonly Row[];
  /** The window, once now and then once per frame in which rows arrived; completes when the run is torn down. */
  readonly rows$: Observable<readonly Row[]>;
  readonly progress: LiveProgress;
  /** The progress, once now and then once per frame; completes when the run is torn down. */
  readonly progress$: Observable<LiveProgress>;
  /** The ghost and step axis the views draw with. */
  readonly context: LiveContext;
  /**
   * A container that shows `render(rows, context)` of the current window, replaced every frame in which
   * rows arrived. Until the view's first rows it shows a placeholder of the view's size instead (see
   * {@link placeholder}). If the run fails, the container shows the error's message instead. With `start:
   * "visible"`, the run starts when the container scrolls into view.
   */
  view(render: (rows: readonly Row[], context: LiveContext) => Node, options?: LiveViewOptions): HTMLElement;
  /** Starts a waiting run now (a Start button). */
  start(): void;
  /** Starts the run when `element` scrolls into view (with `start: "visible"`; a control panel uses it). */
  startWhenVisible(element: Element): void;
  /**
   * Tears the current run down and starts it again from step 0 (the rows' Observable is subscribed
   * afresh: a new worker); the run so far becomes the ghost.
   */
  restart(): void;
  /** Chooses the step axis views draw; they redraw at once. */
  setStepScale(scale: StepScale): void;
  /** Ends the run now (a worker is terminated); the views keep their last picture. */
  unsubscribe(): void;
}

// The last run of each ghost key, kept across a notebook cell's re-runs (module state lives as long as the page).
const ghosts = new Map<string, readonly Row[]>();
const ghostTypes = new Set<Row["type"]>(["step", "eval", "layer"]);


/**
 * Subscribes to a run's rows (or several runs' rows, merged: one control can drive them all) and keeps a bounded window of them for live views: every row goes through
 * `decimate` (per run, per layer; the latest row of each series is always shown too, so a single step is
 * visible), and the views are redrawn at most once per animation frame each, a few per frame (a page-wide render queue). Memory stays
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
  const share = options.renderShare ?? 0.25;
  const offscreenEveryMs = options.offscreenEveryMs ?? 1000;
  if (!(offscreenEveryMs >= 0)) throw new RangeError(`liveRun: offscreenEveryMs must be ≥ 0, got ${offscreenEveryMs}`);
  if (!(share > 0 && share <= 1)) throw new RangeError(`liveRun: renderShare must be in (0, 1], got ${share}`);
  const canSee = typeof IntersectionObserver === "function";
  const startMode = options.start ?? (canSee ? "visible" : "now");
  const ghostKey = options.ghostKey ?? "default";
  let window = new RowWindow(options);
  const context: LiveContext = {
    ghost: ghostKey === false ? [] : (ghosts.get(ghostKey) ?? []),
    stepScale: options.stepScale ?? "linear",
  };
  const rows = new BehaviorSubject<readonly Row[]>([]);
  const progress = new BehaviorSubject<LiveProgress>({ status: startMode === "now" ? "running" : "waiting", step: 0 });
  const later = options.scheduler ?? asyncScheduler;
  let nextDrawAt = 0;
  let delayed: Subscription | undefined;
  let subscription: Subscription | undefined;
  let started = false;
  let tornDown = false;

  // render time of the last redraw: the synchronous part here plus the views' own tasks (see view())
  let spent = 0;
  let lastDrawAt = 0;
  const draw = () => {
    delayed?.unsubscribe();
    delayed = undefined;
    const t0 = performance.now();
    rows.next(window.rows());
    spent += performance.now() - t0;
    lastDrawAt = t0;
  };
  // a frame with new rows: the progress at once (cheap: a status line), the views now or once the render
  // budget allows (so the last rows are always drawn)
  const frame = () => {
    const p = window.progress();
    progress.next({ status: "running", ...p });
    if (spent > 0) {
      nextDrawAt = lastDrawAt + spent / share; // the redraw took `spent` ms of the main thread: wait (1/share − 1)× that
      spent = 0;
    }
    const wait = nextDrawAt - performance.now();
    if (wait <= 0 || p.held) draw(); // held: the last picture until a command, so it is drawn at once
    else delayed ??= later.schedule(draw, wait);
  };
  // the run ended (or failed): the last picture and how it ended; the streams stay open for a restart
  const end = (p: LiveProgress) => {
    delayed?.unsubscribe();
    delayed = undefined;
    progress.next(p); // first: the views' last redraw shows a failure
    rows.next(window.rows());
  };

  const subscribe = () => {
    const current = window;
    subscription = source
      .pipe(
        tap((row) => current.add(row)),
        // the per-frame clock: the window above already holds every row, so no batch is kept (throttleRender's
        // would cost a key and a slot per row, for nothing)
        perFrame(options.scheduler),
      )
      .subscribe({
        next: frame,
        complete: () => end(current.ending()),
        error: (err: unknown) => {
          end({ status: "error", ...current.progress(), message: err instanceof Error ? err.message : String(err) });
        },
      });
  };
  const start = () => {
    if (started || tornDown) return;
    started = true;
    if (progress.value.status === "waiting") progress.next({ status: "running", step: 0 });
    subscribe();
  };

  // Phase: start when seen, once the reader has stopped dragging (see startDelayMs).
  let observer: IntersectionObserver | undefined;
  let startTimer: ReturnType<typeof setTimeout> | undefined;
  const startWhenVisible = (element: Element) => {
    if (startMode !== "visible" || started || !canSee) return;
    observer ??= new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting) || startTimer !== undefined) return;
      observer?.disconnect();
      startTimer = setTimeout(start, options.startDelayMs ?? 300);
    });
    observer.observe(element);
  };
  if (startMode === "now") start();

  /** Keeps the current run's rows as the ghost of the next one. */
  const keepGhost = () => {
    if (ghostKey === false || window.step === 0) return;
    const kept = window.rows().filter((r) => ghostTypes.has(r.type));
    ghosts.set(ghostKey, kept);
    return kept;
  };
  const unsubscribe = () => {
    if (tornDown) return;
    tornDown = true;
    observer?.disconnect();
    if (startTimer !== undefined) clearTimeout(startTimer);
    subscription?.unsubscribe();
    keepGhost();
    if (progress.value.status === "running" || progress.value.status === "waiting") {
      end({ status: "stopped", ...window.progress(), message: "the run was torn down" });
    }
    rows.complete();
    progress.complete();
  };
  void options.invalidation?.then(unsubscribe);

  const restart = () => {
    if (tornDown) return;
    subscription?.unsubscribe();
    const kept = keepGhost();
    if (kept) context.ghost = kept;
    window = new RowWindow(options);
    options.control?.reset();
    started = true;
    nextDrawAt = 0;
    spent = 0;
    progress.next({ status: "running", step: 0 });
    rows.next([]);
    subscribe();
  };

  return {
    get rows() { return rows.value; },
    rows$: rows.asObservable(),
    get progress() { return progress.value; },
    progress$: progress.asObservable(),
    context,
    view(render, viewOptions = {}) {
      const doc = viewOptions.document ?? globalThis.document;
      const container = doc.createElement("div");
      container.className = "gradscope-live";
      const waiting = { waitFor: viewOptions.waitFor, text: viewOptions.placeholder, loading: options.loading };
      const draw = (current: readonly Row[]) => {
        // nothing to draw yet (data loading, no probe yet): words in the view's place, at its size
        const words = placeholderText(current, progress.value.status, waiting);
        const showGhost = context.ghost.length > 0;
        try {
          const figure = render(current, context);
          container.replaceChildren(words === undefined ? figure : placeholder(doc, figure, words, { showFigure: showGhost }));
        } catch (err) {
          const failed = message(doc, `This view failed: ${err instanceof Error ? err.message : String(err)}`);
          container.replaceChildren(words === undefined ? failed : placeholder(doc, undefined, words));
        }
        container.toggleAttribute("data-placeholder", words !== undefined);
        const p = progress.value;
        if (p.status === "error") container.append(message(doc, `The run failed: ${p.message ?? "unknown error"}`));
      };
      // In a browser the views redraw through the page's render queue: in tasks after animation frames, at
      // most once per frame each, a few milliseconds of them per frame (six figures are six smooth frames,
      // not one frozen one), coalesced to the latest rows; their cost counts against the run's budget. A
      // view off screen is redrawn at most once a second (offscreenEveryMs) while the run goes (data-stale while it waits) – at
      // once when it scrolls into view, and every view is when the run holds or ends, so a paused or finished
      // page is whole.
      const separate = splitTasks && !options.scheduler;
      let latest: readonly Row[] = [];
      let onScreen = true; // until the observer has said
      const settled = () => progress.value.status !== "running" || progress.value.held === true;
      // data-renders, data-render-ms, data-render-max-ms: what this view's redraws have cost (the perf script reads them)
      let renders = 0, renderMs = 0, renderMaxMs = 0, lastRender = -Infinity;
      const entry: QueuedRender = {
        // a placeholder is replaced at once wherever it is: the first picture is not held back
        ready: () => onScreen || settled() || container.hasAttribute("data-placeholder") || performance.now() - lastRender >= offscreenEveryMs,
        render() {
          const t0 = performance.now();
          draw(latest);
          delete container.dataset.pending;
          delete container.dataset.stale;
          lastRender = performance.now();
          const ms = lastRender - t0;
          spent += ms;
          renderMs += ms;
          renderMaxMs = Math.max(renderMaxMs, ms);
          container.dataset.renders = String(++renders);
          container.dataset.renderMs = renderMs.toFixed(1);
          container.dataset.renderMaxMs = renderMaxMs.toFixed(1);
        },
      };
      // data-pending: a redraw is on its way (tests wait for it to go: an event, not a delay); data-stale: one
      // waits for the view to be seen
      const mark = () => {
        if (!renderQueue.has(entry)) return;
        if (entry.ready()) {
          container.dataset.pending = "true";
          delete container.dataset.stale;
        } else {
          container.dataset.stale = "true";
          delete container.dataset.pending;
        }
      };
      // an off-screen view asked too soon comes back when its second is up, even if no more rows come
      let recheck: ReturnType<typeof setTimeout> | undefined;
      const request = () => {
        renderQueue.request(entry);
        mark();
        if (entry.ready() || recheck !== undefined) return;
        recheck = setTimeout(() => {
          recheck = undefined;
          if (renderQueue.has(entry)) request();
        }, Math.max(0, lastRender + offscreenEveryMs - performance.now()));
      };
      const sub = rows.subscribe((current) => {
        if (!separate) return void draw(current);
        latest = current;
        request();
      });
      const seen = separate
        ? new IntersectionObserver((entries) => {
          onScreen = entries.at(-1)!.isIntersecting;
          if (renderQueue.has(entry)) request();
        }, { rootMargin: "200px 0px" }) // drawn just before it scrolls in
        : undefined;
      seen?.observe(container);
      void viewOptions.invalidation?.then(() => {
        sub.unsubscribe();
        renderQueue.cancel(entry);
        seen?.disconnect();
        clearTimeout(recheck);
      });
      startWhenVisible(container);
      return container;
    },
    start,
    startWhenVisible,
    restart,
    setStepScale(scale) {
      if (scale === context.stepScale) return;
      context.stepScale = scale;
      rows.next(rows.value); // redraw every view with the new axis
    },
    unsubscribe,
  };
}

/** Browsers: views redraw through the render queue. Node (tests, jsdom): synchronously, in order. */
const splitTasks = typeof window !== "undefined" && typeof MessageChannel === "function" && typeof IntersectionObserver === "function"
  && typeof requestAnimationFrame === "function";

// one queue per page: its frame budget is shared by every live view of every run on the page
let queue: RenderQueue | undefined;
const renderQueue = {
  request: (view: QueuedRender) => (queue ??= new RenderQueue()).request(view),
  cancel: (view: QueuedRender) => queue?.cancel(view),
  has: (view: QueuedRender) => queue?.has(view) ?? false,
};

/**
 * Once per frame in which rows arrived, the frame's last row (the clock of throttleRender("frame"): the next
 * animation frame, or 16 ms of `scheduler` in tests and Node); what is pending is emitted before completion
 * or an error.
 */
function perFrame(scheduler: SchedulerLike | undefined): MonoTypeOperatorFunction<Row> {
  const [clock, delay] = scheduler ? [scheduler, 16] : typeof requestAnimationFrame === "function" ? [animationFrameScheduler, 0] : [asyncScheduler, 16];
  return (source) =>
    new Observable<Row>((subscriber) => {
      let last: Row | undefined;
      let tick: Subscription | undefined;
      const emit = () => {
        tick?.unsubscribe();
        tick = undefined;
        const row = last;
        last = undefined;
        if (row !== undefined) subscriber.next(row);
      };
      const subscription = source.subscribe({
        next(row) {
          const waiting = last !== undefined;
          last = row;
          if (!waiting) tick = clock.schedule(emit, delay);
        },
        error: (err: unknown) => (emit(), subscriber.error(err)),
        complete: () => (emit(), subscriber.complete()),
      });
      return () => {
        tick?.unsubscribe();
        subscription.unsubscribe();
      };
    });
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
  private runSteps = new Map<string, number>();
  private families = new Map<string, Family>();
  private alerts: Row[] = [];
  private statuses = new Map<string, Row>();
  private runs = new Set<string>();
  private paused = new Set<string>();
  private boundaries = new Map<string, Row>();
  private readonly maxAlerts: number;
  private readonly control: LiveRunOptions["control"];

  constructor(options: LiveRunOptions) {
    const { maxPoints = 200, maxDistributions = 40 } = options;
    this.control = options.control;
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
    this.runs.add(row.run);
    if (row.type === "paused") this.paused.add(row.run);
    if (row.type === "step") {
      this.paused.delete(row.run);
      if (row.step > this.step) this.step = row.step;
      if (row.step > (this.runSteps.get(row.run) ?? 0)) this.runSteps.set(row.run, row.step);
    }
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

  /** The slowest run still going (or, once all have ended, the furthest), and each run's step when there are several. */
  progress(): Pick<LiveProgress, "step" | "steps" | "held"> {
    const going = [...this.runSteps].filter(([run]) => !this.statuses.has(run)).map(([, step]) => step);
    const step = going.length > 0 ? Math.min(...going) : this.step;
    const live = [...this.runs].filter((run) => !this.statuses.has(run));
    // held: every run heard from stands at a pause, and the control has no follower we have not heard from
    // (a worker still starting when Pause was pressed pauses later, and its first rows would change the plots)
    const held = this.paused.size > 0 && live.every((run) => this.paused.has(run)) && (this.control?.followers ?? 0) <= live.length;
    return { step, ...(held ? { held } : {}), ...(this.runSteps.size > 1 ? { steps: Object.fromEntries(this.runSteps) } : {}) };
  }

  /** How the run ended, from its status rows: stopped before diverged before completed. */
  ending(): LiveProgress {
    const statuses = [...this.statuses.values()] as Extract<Row, { type: "status" }>[];
    const first = (s: string) => statuses.find((r) => r.status === s);
    const worst = first("stopped") ?? first("diverged") ?? first("completed");
    const status: LiveStatus = worst?.status ?? "completed";
    return { status, ...this.progress(), ...(worst?.message ? { message: worst.message } : {}) };
  }
}
