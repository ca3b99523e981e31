import { scheduleMacrotask } from "@gradscope/stream";

/** A view waiting in a {@link RenderQueue}. */
export interface QueuedRender {
  /** Draws the view's latest rows (the queue calls it at most once per frame). */
  render(): void;
  /** Whether it may be drawn now; one that may not (off screen) stays queued until it is requested again. */
  ready(): boolean;
}

/** Options of {@link RenderQueue}. */
export interface RenderQueueOptions {
  /** Calls back at the next frame. Default `requestAnimationFrame`. */
  frame?: (callback: () => void) => void;
  /** Calls back in a task of its own. Default `scheduleMacrotask`: right after the frame is painted, not before it. */
  task?: (callback: () => void) => void;
  /** Milliseconds of rendering per frame after which the rest wait for the next frame (at least one renders). Default 8. */
  budgetMs?: number;
  /**
   * Views rendered per frame at most, however fast: each replaced figure is laid out again in that frame, which
   * the budget (script time) does not see. Default 2.
   */
  maxPerFrame?: number;
  now?: () => number;
}

/**
 * Redraws of a page's live views, spread over animation frames: each frame, in a task after it is painted,
 * the queued views that are ready render in the order they were queued until `budgetMs` is spent or
 * `maxPerFrame` have (at least one), and the rest wait for the next frame. A view queued again before it renders still renders once, with
 * its latest rows. Six figures that each take 15 ms so cost six smooth frames instead of one frozen 90 ms one.
 * @example
 * const queue = new RenderQueue();
 * const view = { render: () => draw(latest), ready: () => onScreen };
 * rows$.subscribe((rows) => { latest = rows; queue.request(view); });
 */
export class RenderQueue {
  private readonly queued = new Set<QueuedRender>();
  private scheduled = false;
  private readonly frame: (callback: () => void) => void;
  private readonly task: (callback: () => void) => void;
  private readonly budgetMs: number;
  private readonly maxPerFrame: number;
  private readonly now: () => number;

  constructor(options: RenderQueueOptions = {}) {
    this.frame = options.frame ?? ((callback) => void requestAnimationFrame(() => callback()));
    this.task = options.task ?? ((callback) => void scheduleMacrotask(callback));
    this.budgetMs = options.budgetMs ?? 8;
    this.maxPerFrame = options.maxPerFrame ?? 2;
    this.now = options.now ?? (() => performance.now());
  }

  /** Queues a redraw of `view` (once, however often it is asked before the next frame). */
  request(view: QueuedRender): void {
    this.queued.add(view);
    if (view.ready()) this.schedule();
  }

  /** Takes `view` out of the queue (its cell was invalidated). */
  cancel(view: QueuedRender): void {
    this.queued.delete(view);
  }

  /** Whether `view` waits for a redraw. */
  has(view: QueuedRender): boolean {
    return this.queued.has(view);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.frame(() => this.task(() => this.drain()));
  }

  private drain(): void {
    this.scheduled = false;
    const t0 = this.now();
    let rendered = 0;
    for (const view of [...this.queued]) {
      if (!view.ready()) continue;
      if (rendered > 0 && (rendered >= this.maxPerFrame || this.now() - t0 >= this.budgetMs)) return this.schedule(); // the rest: next frame
      this.queued.delete(view);
      view.render();
      rendered++;
    }
  }
}
