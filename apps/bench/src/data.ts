/** Seeded input data, identical for both libraries. */

/** mulberry32: a small, fast 32-bit PRNG; plenty for benchmark inputs. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform floats in [-scale, scale). */
export function randomFloats(n: number, seed: number, scale = 1): Float32Array {
  const next = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (next() * 2 - 1) * scale;
  return out;
}

/** Integers in [0, max). */
export function randomInts(n: number, seed: number, max: number): Int32Array {
  const next = rng(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * max);
  return out;
}

/** Glorot-uniform weights for a dense layer, as Keras initialises them. */
export function glorot(fanIn: number, fanOut: number, seed: number): Float32Array {
  return randomFloats(fanIn * fanOut, seed, Math.sqrt(6 / (fanIn + fanOut)));
}

/** A seeded permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, seed: number): Int32Array {
  const next = rng(seed);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
