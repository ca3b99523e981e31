// Helpers shared by the kernel modules: fused multiply-add, the subnormal flush, horizontal sums.
/** a·b + c: one fused instruction in the relaxed build, a multiply and an add otherwise. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * Results below float32's smallest normal (2⁻¹²⁶ ≈ 1.18e−38) are stored as 0 while this is 2⁻¹²⁶
 * (see setFlushSubnormals); 0 keeps them. WebAssembly has no flush-to-zero mode, and x86 cores take a
 * microcode assist for every multiply that produces a subnormal.
 */
export let flushBelow: f32 = 0;

/** Flush subnormal kernel outputs to zero (on) or keep them (off, IEEE, like the js backend). */
export function setFlushSubnormals(on: bool): void {
  flushBelow = on ? reinterpret<f32>(0x00800000) : 0;
}

/** v with lanes below the flush threshold set to 0 (NaN lanes kept: NaN < t is false). */
// @ts-ignore: decorator
@inline export function flush4(v: v128, t: v128): v128 {
  return v128.andnot(v, f32x4.lt(f32x4.abs(v), t));
}

/** The four lanes of v added in f64. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f64 {
  return (<f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1)) + (<f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3));
}

/** Where the JavaScript side may start allocating: past this module's static data. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}
