// A small seeded PRNG (mulberry32) for randomized tests, so a failing run can be replayed from
// its seed.

/** Returns a function yielding numbers in [0, 1), determined by `seed`. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
