/**
 * Step-axis ticks for a panel `panelWidth` px wide whose steps run from 0 to `lastStep`: 0 and multiples of a
 * round step (1, 2 or 5 × 10ⁿ) at least `minGap` px apart, so labels such as "4,000" never touch in a narrow
 * panel; a panel with room for one gap only gets 0 and `lastStep` rounded down to one significant digit (at
 * least half the panel away). No tick within 20 px of the panel's right edge: its label would reach into the next
 * panel's "0". (A tick count given to Plot is only a hint: asked for 2 on 0…5,000 it draws 0, 2,000 and 4,000, which
 * overlapped in a 85 px panel.)
 * @example
 * Plot.plot({ x: { ticks: stepTicks(4500, 85) } }) // [0, 4000]
 */
export function stepTicks(lastStep: number, panelWidth: number, minGap = 70): number[] {
  const last = Number.isFinite(lastStep) && lastStep > 0 ? lastStep : 1;
  const width = Math.max(1, panelWidth);
  const end = last * (1 - Math.min(0.45, 20 / width)); // the last tick's label stays inside the panel
  const intervals = Math.max(1, Math.floor(width / minGap));
  const raw = last / intervals;
  const power = 10 ** Math.floor(Math.log10(raw));
  const every = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!); // steps are whole numbers
  const ticks: number[] = [];
  for (let t = 0; t <= end + every * 1e-9; t += every) ticks.push(Math.round(t / every) * every);
  if (ticks.length >= 2) return ticks;
  // room for one gap (or a round step past the end): 0 and the end to one significant digit
  const unit = 10 ** Math.floor(Math.log10(end));
  return [0, Math.floor(end / unit) * unit];
}
