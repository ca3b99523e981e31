/**
 * A labelled classification data set held in memory. Features are float64 so either precision
 * can copy from them; a graph of any dtype reads batches through a {@link Batcher}.
 */
export interface Dataset {
  /** Identifier, e.g. "spiral". */
  readonly name: string;
  /** n × features, row-major. */
  readonly x: Float64Array;
  /** n class indices in [0, classes). */
  readonly y: Int32Array;
  readonly n: number;
  readonly features: number;
  readonly classes: number;
}
