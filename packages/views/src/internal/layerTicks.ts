/**
 * Axis ticks for layer indices: whole numbers only (a linear scale would also tick 0.5, 1.5, …),
 * thinned to at most `max` ticks for deep nets, always keeping the first and the last layer.
 */
export function layerTicks(layers: Iterable<number>, max = 12): number[] {
  const sorted = [...new Set(layers)].sort((a, b) => a - b);
  if (sorted.length <= max) return sorted;
  const first = sorted[0]!, last = sorted[sorted.length - 1]!;
  const step = Math.ceil((last - first) / (max - 1));
  const ticks: number[] = [];
  for (let t = first; t < last; t += step) ticks.push(t);
  if (last - ticks[ticks.length - 1]! < step / 2) ticks.pop(); // keep the last label clear of its neighbour
  ticks.push(last);
  return ticks;
}
