// What this machine gives WebAssembly at best, measured beside the workloads (bench/src/ceiling.ts):
// multiply-adds with no memory traffic, and memory traffic with no arithmetic.

/**
 * `iters` rounds of ten independent chains a ← a·m + c over f32x4 lanes (ten chains cover the
 * multiply-add latency × throughput of current x86 and Arm cores): 80 flops a round, no loads or
 * stores. Returns the sum of the final lanes, so the work cannot be optimised away.
 */
export function fmaChains(iters: i32, a0: f32, m: f32, c: f32): f64 {
  const vm = f32x4.splat(m), vc = f32x4.splat(c);
  let x0 = f32x4.splat(a0), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0, x6 = x0, x7 = x0, x8 = x0, x9 = x0;
  for (let i = 0; i < iters; i++) {
    x0 = madd(x0, vm, vc); x1 = madd(x1, vm, vc); x2 = madd(x2, vm, vc); x3 = madd(x3, vm, vc); x4 = madd(x4, vm, vc);
    x5 = madd(x5, vm, vc); x6 = madd(x6, vm, vc); x7 = madd(x7, vm, vc); x8 = madd(x8, vm, vc); x9 = madd(x9, vm, vc);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(x0, x1), f32x4.add(x2, x3)), f32x4.add(f32x4.add(f32x4.add(x4, x5), f32x4.add(x6, x7)), f32x4.add(x8, x9)));
  return <f64>f32x4.extract_lane(s, 0) + <f64>f32x4.extract_lane(s, 1) + <f64>f32x4.extract_lane(s, 2) + <f64>f32x4.extract_lane(s, 3);
}

/**
 * The bytes an activation's forward and backward pass must move, with no arithmetic: a = z (read
 * z, write a), then dz = da + z (read da and z, write dz), over n floats (a multiple of 8).
 */
export function activationBytes(z: usize, a: usize, da: usize, dz: usize, n: i32): void {
  memory.copy(a, z, <usize>n << 2);
  const end = <usize>n << 2;
  for (let o: usize = 0; o < end; o += 32) {
    v128.store(dz + o, f32x4.add(v128.load(da + o), v128.load(z + o)));
    v128.store(dz + o, f32x4.add(v128.load(da + o, 16), v128.load(z + o, 16)), 16);
  }
}

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
