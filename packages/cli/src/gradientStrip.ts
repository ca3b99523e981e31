const BLOCKS = "▁▂▃▄▅▆▇█";

/**
 * A one-line picture of gradient flow: one character per layer (input side first), its height the
 * layer's ‖∂L/∂z‖ relative to the largest, one level per decade over eight decades; "·" below that
 * (vanished), "×" for exactly zero, "!" for NaN/∞.
 * @example gradientStrip([1e-11, 1e-5, 1e-3, 1e-2]) // "·▅▇█"
 */
export function gradientStrip(norms: readonly number[]): string {
  const finite = norms.filter((v) => Number.isFinite(v) && v > 0);
  const max = finite.length ? Math.max(...finite) : 1;
  return norms
    .map((v) => {
      if (!Number.isFinite(v)) return "!";
      if (v === 0) return "×";
      const decades = Math.log10(v / max); // ≤ 0
      if (decades < -7.5) return "·";
      return BLOCKS[Math.min(7, Math.max(0, 7 + Math.round(decades)))]!;
    })
    .join("");
}
