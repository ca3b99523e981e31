/**
 * The messages between `trainInWorker` (main side) and the training worker. Internal: both ends ship
 * in the same package version, so the protocol has no versioning.
 */
import type { ControlCommand, ControlState } from "../control.js";
import type { Row } from "../rows.js";
import type { RunConfig } from "../runConfig.js";
import type { KernelCost } from "../race/kernelCost.js";

/** Main side → worker. */
export type ToWorker =
  /** Start training; `control` is the main control's state at subscription (absent: no control). */
  | { type: "start"; config: RunConfig; control?: { state: ControlState; lr: number | undefined; speed?: number } }
  /** A command of the main side's control, forwarded as it happens. */
  | { type: "control"; command: ControlCommand }
  /** The main side has emitted one batch of rows: the worker may have `MAX_IN_FLIGHT` batches unacknowledged. */
  | { type: "ack" }
  /** The main side unsubscribed: tear the run down (the main side terminates the worker too). */
  | { type: "stop" }
  /** Time these activations' kernels here (`kernelCost`), off the main thread; answered by a `kernelCost` message. */
  | { type: "kernelCost"; names: string[]; elements?: number; rounds?: number; params?: Record<string, Record<string, number>> };

/** Worker → main side. */
export type FromWorker =
  /** Rows in emission order, batched: one message per slice of training (at most `MAX_BATCH` rows). */
  | { type: "rows"; rows: Row[] }
  /** The run completed (after its status row). */
  | { type: "complete" }
  /** The run failed: a bad config or an exception, with the original error's name, message and stack. */
  | { type: "error"; name: string; message: string; stack?: string }
  /** The answer to a `kernelCost` message. */
  | { type: "kernelCost"; costs: KernelCost[] };

/** Rows per message at most, so a long slice of a deep net still streams out in bounded messages. */
export const MAX_BATCH = 256;

/**
 * Batches posted but not yet acknowledged, at most: past this the worker stops training until the main
 * side catches up, so a busy page never accumulates an unbounded queue of rows (and a pause takes
 * effect within a few batches, not thousands of steps later).
 */
export const MAX_IN_FLIGHT = 4;
