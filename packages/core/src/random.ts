/**
 * A seeded pseudo-random generator (sfc32, seeded through splitmix32): the same seed gives the same
 * sequence on every platform, so a seeded run is bit-identical. Never uses Math.random.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Normal with the given mean and standard deviation (Box–Muller). */
  normal(mean?: number, std?: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T;
  /** A new generator whose stream is independent of this one's further draws. */
  fork(): Rng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** One round of splitmix32's output mix (a bijection on uint32 that spreads every input bit). */
function mix32(v: number): number {
  let z = v >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * The seed of one named stream of a run: seeds are split into independent streams, one per consumer, so
 * that one user seed can feed them all without their draws coinciding. Every generator reads a stream of
 * its own: "data" is the user seed itself (the data sets), and `createBatcher` ("batcher"), `mlp`'s weight
 * initialisation ("init"), a `Graph`'s noise – RReLU's slopes – ("graph") and `trainTestSplit`
 * ("trainTestSplit") each derive theirs here. Without it, a batcher seeded like the data set it serves drew
 * the very permutation the generator had used to place the rows, undid it, and served the first epoch class
 * by class. The mixing: the tag's characters are folded into a 32-bit hash (each through splitmix32's
 * output mix), which is combined with the seed's low and high 32 bits and mixed twice more.
 * @example const rng = createRng(streamSeed(run.seed, "batcher")); // independent of createRng(run.seed)
 */
export function streamSeed(seed: number, stream: string): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  let h = 0x9e3779b9;
  for (let i = 0; i < stream.length; i++) h = mix32((h ^ stream.charCodeAt(i)) + 0x9e3779b9);
  const lo = Math.floor(seed) >>> 0, hi = Math.floor(seed / 2 ** 32) >>> 0;
  return mix32((mix32(h ^ lo) + 0x9e3779b9) ^ hi);
}

/**
 * Creates a seeded generator.
 * @example const rng = createRng(1); rng.normal(0, 1);
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const init = splitmix32(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
  // the state lives in typed arrays, not closure variables: a uint32 above 2³¹ − 1 in a closure
  // variable is a boxed heap number, so every draw would allocate (and the batcher draws every epoch,
  // RReLU every element)
  const st = Uint32Array.of(init(), init(), init(), init());
  const spare = Float64Array.of(NaN); // second Box–Muller deviate, kept so no draw is wasted

  const nextU32 = (): number => {
    const a = st[0]!, b = st[1]!, c = st[2]!, d = st[3]!;
    const t = (((a + b) >>> 0) + d) >>> 0;
    st[3] = d + 1;
    st[0] = b ^ (b >>> 9);
    st[1] = c + (c << 3);
    const c2 = ((c << 21) | (c >>> 11)) >>> 0;
    st[2] = c2 + t;
    return t;
  };
  // 53 random bits, so float64 users get a full-precision uniform
  const next = (): number => ((nextU32() >>> 5) * 67108864 + (nextU32() >>> 6)) / 9007199254740992;

  const rng: Rng = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal(mean = 0, std = 1) {
      if (!Number.isNaN(spare[0]!)) {
        const z = spare[0]!;
        spare[0] = NaN;
        return mean + std * z;
      }
      let u = next();
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare[0] = r * Math.sin(2 * Math.PI * v);
      return mean + std * r * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(next() * n),
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
      return items;
    },
    fork: () => createRng(nextU32() * 4096 + (nextU32() >>> 20)),
  };
  return rng;
}
