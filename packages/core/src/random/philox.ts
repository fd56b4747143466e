/**
 * Philox4x32-10, the counter-based generator of Salmon et al., "Parallel Random Numbers: As Easy as
 * 1, 2, 3" (SC11), as TensorFlow and cuRAND use it. A 128-bit counter and a 64-bit key map to four
 * random 32-bit words; the same (key, counter) gives the same words everywhere, so random tensors
 * are made here on the host and every backend receives identical values.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32 (exact in doubles: each partial product < 2^48). */
function mulhi(a: number, b: number): number {
  const lo16 = a * (b & 0xffff);
  const hi16 = a * (b >>> 16);
  return Math.floor((hi16 + Math.floor(lo16 / 0x10000)) / 0x10000) >>> 0;
}

/**
 * One Philox4x32-10 block: encrypts `counter` (4 words) under `key` (2 words) and writes four words
 * to `out` (which may be `counter`).
 */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>, out: Uint32Array): Uint32Array {
  let c0 = counter[0]! >>> 0;
  let c1 = counter[1]! >>> 0;
  let c2 = counter[2]! >>> 0;
  let c3 = counter[3]! >>> 0;
  let k0 = key[0]! >>> 0;
  let k1 = key[1]! >>> 0;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/**
 * A stream of uint32 words: Philox blocks under one key, with counter words 0–1 counting blocks from
 * `startBlock` and words 2–3 fixed to `stream` (TensorFlow puts the op seed there too).
 */
export class PhiloxStream {
  private readonly key: Uint32Array;
  private readonly counter = new Uint32Array(4);
  private readonly block = new Uint32Array(4);
  private index = 4;
  private nextBlock: number;

  /** `key` and `stream` are 64-bit values as [low, high] uint32 words; `startBlock` < 2^53. */
  constructor(key: readonly [number, number], stream: readonly [number, number], startBlock = 0) {
    this.key = Uint32Array.from(key);
    this.counter[2] = stream[0];
    this.counter[3] = stream[1];
    this.nextBlock = startBlock;
  }

  /** Blocks started so far (including `startBlock`): where the next stream on this key should begin. */
  get blocksUsed(): number {
    return this.nextBlock;
  }

  /** The next uniform uint32. */
  nextUint32(): number {
    if (this.index === 4) {
      this.counter[0] = this.nextBlock >>> 0;
      this.counter[1] = Math.floor(this.nextBlock / 0x100000000) >>> 0;
      philox4x32(this.counter, this.key, this.block);
      this.nextBlock++;
      this.index = 0;
    }
    return this.block[this.index++]!;
  }

  /** A float in [0, 1) with 24 random bits (every float32 multiple of 2^-24). */
  nextFloat24(): number {
    return (this.nextUint32() >>> 8) * 2 ** -24;
  }

  /** A float in [0, 1) with 53 random bits (every float64 multiple of 2^-53). */
  nextFloat53(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 0x4000000 + lo) * 2 ** -53;
  }

  /** A uniform integer in [0, n) for 1 ≤ n ≤ 2^32, by rejection (no modulo bias). */
  nextBelow(n: number): number {
    // The largest multiple of n that fits in 2^32: words at or above it are redrawn.
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }
}
