/**
 * Mulberry32: a small seeded 32-bit generator of uniform floats in [0, 1). The conformance checks,
 * the backend-local tests and the benchmarks draw their inputs from it, so every backend sees the
 * same values for the same seed.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
