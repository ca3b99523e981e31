import {
  animationFrameScheduler,
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from "rxjs";
import type { Row } from "../rows.js";

/** Options of {@link throttleRender}. */
export interface ThrottleRenderOptions {
  /**
   * Where frames come from. Default: `animationFrameScheduler` for "frame" when `requestAnimationFrame`
   * exists, else `asyncScheduler` (a setTimeout of 16 ms for "frame"). Pass a `TestScheduler` in tests.
   */
  scheduler?: SchedulerLike;
  /**
   * Cap on the rows of low-rate types (step, eval and unknown types) held for one batch; default 10 000.
   * Beyond it the oldest of them are dropped. Alert, status and header rows are never dropped: they are
   * rare by construction (once per run, or once per alert episode, see `detectAlerts`).
   */
  maxRows?: number;
}

/** Types of which only the latest row per (type, run, layer, of) is worth drawing. */
const HIGH_RATE = new Set<string>(["layer", "histogram", "bands"]);
/** Types a consumer must see every row of. */
const NEVER_DROPPED = new Set<string>(["alert", "status", "header"]);
/** ≈ 60 Hz, when a frame must be emulated by a timer (setTimeout rounds to whole ms anyway). */
const FRAME_MS = 16;

/**
 * Conflates rows for rendering: emits, once per animation frame (or every `interval` ms), one array of the
 * rows that arrived since the last emission, in arrival order. Memory is bounded whatever the rate of the
 * source or the speed of the consumer:
 * - of "high-rate" types (layer, histogram, bands) only the latest row per (type, run, layer, of) is kept
 *   — a newer one replaces it and moves to its arrival position;
 * - step, eval and unknown types are all kept up to `maxRows` per batch (the oldest dropped beyond it);
 * - alert, status and header rows are always kept.
 * No timer runs while the source is idle; on completion or error the pending batch is emitted first.
 * Keep accumulators (`layerSeries`, `decimate`, recording) upstream: this is the render edge.
 *
 * @example
 * rows$.pipe(throttleRender()).subscribe((batch) => { rows.push(...batch); redraw(); });
 * rows$.pipe(throttleRender(250)) // a terminal: 4 updates a second
 */
export function throttleRender(
  intervalOrFrame: number | "frame" = "frame",
  options: ThrottleRenderOptions = {},
): OperatorFunction<Row, Row[]> {
  const { maxRows = 10_000 } = options;
  const [scheduler, delay] = clock(intervalOrFrame, options.scheduler);
  return (source) =>
    new Observable<Row[]>((subscriber) => {
      const batch = new Batch(maxRows);
      let pending = false;
      let tick: Subscription | undefined;
      const emit = () => {
        pending = false;
        tick?.unsubscribe();
        tick = undefined;
        const rows = batch.take();
        if (rows.length > 0) subscriber.next(rows);
      };
      const subscription = source.subscribe({
        next: (row) => {
          batch.add(row);
          if (pending) return;
          pending = true;
          const t = scheduler.schedule(emit, delay);
          if (pending) tick = t; // (a synchronous scheduler has already emitted)
        },
        error: (err: unknown) => {
          emit();
          subscriber.error(err);
        },
        complete: () => {
          emit();
          subscriber.complete();
        },
      });
      return () => {
        tick?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}

function clock(intervalOrFrame: number | "frame", scheduler: SchedulerLike | undefined): [SchedulerLike, number] {
  if (intervalOrFrame !== "frame") {
    if (!(intervalOrFrame >= 0)) throw new RangeError(`throttleRender: interval must be ≥ 0 ms, got ${intervalOrFrame}`);
    return [scheduler ?? asyncScheduler, intervalOrFrame];
  }
  if (scheduler !== undefined) return [scheduler, FRAME_MS];
  return typeof requestAnimationFrame === "function" ? [animationFrameScheduler, 0] : [asyncScheduler, FRAME_MS];
}

/** The rows of one batch: slots in arrival order, holes where a row was replaced or dropped. */
class Batch {
  private slots: (Row | undefined)[] = [];
  private holes = 0;
  /** Slot of the latest row per high-rate key. */
  private latest = new Map<string, number>();
  /** Slots of droppable rows, oldest first from `head`. */
  private droppable: number[] = [];
  private head = 0;

  constructor(private readonly maxRows: number) {}

  add(row: Row): void {
    const index = this.slots.length;
    this.slots.push(row);
    if (HIGH_RATE.has(row.type)) {
      const key = keyOf(row);
      const old = this.latest.get(key);
      if (old !== undefined) this.clear(old);
      this.latest.set(key, index);
    } else if (!NEVER_DROPPED.has(row.type)) {
      this.droppable.push(index);
      if (this.droppable.length - this.head > this.maxRows) this.clear(this.droppable[this.head++]!);
    }
    if (this.holes > 64 && this.holes > this.slots.length / 2) this.compact();
  }

  take(): Row[] {
    const rows = this.slots.filter((row): row is Row => row !== undefined);
    this.slots = [];
    this.holes = 0;
    this.latest.clear();
    this.droppable = [];
    this.head = 0;
    return rows;
  }

  private clear(index: number): void {
    this.slots[index] = undefined;
    this.holes++;
  }

  /** Removes the holes, so slots stay within (distinct keys + maxRows + never-dropped rows) × 2. */
  private compact(): void {
    const rows = this.take();
    for (const row of rows) {
      const index = this.slots.length;
      this.slots.push(row);
      if (HIGH_RATE.has(row.type)) this.latest.set(keyOf(row), index);
      else if (!NEVER_DROPPED.has(row.type)) this.droppable.push(index);
    }
  }
}

function keyOf(row: Row): string {
  const r = row as unknown as Record<string, unknown>;
  return `${row.type}\u0000${row.run}\u0000${String(r.layer ?? "")}\u0000${String(r.of ?? "")}`;
}
