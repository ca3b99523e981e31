/**
 * The runs to show, in the order given (the inputs' order), never the order rows happened to arrive:
 * runs named in `order` first, in that order, even before they have a row; then any others, sorted by name.
 */
export function runOrder(runs: Iterable<string>, order: readonly string[] = []): string[] {
  const seen = new Set(runs);
  const rest = [...seen].filter((r) => !order.includes(r)).sort();
  return [...new Set(order), ...rest];
}

/** The number of layers: one more than the largest layer index seen, or `given` when that is larger. */
export function layerCount(layers: Iterable<number>, given = 0): number {
  let max = -1;
  for (const l of layers) if (l > max) max = l;
  return Math.max(given, max + 1);
}
