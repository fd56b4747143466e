/**
 * Bits of 2/π for Payne–Hanek argument reduction of huge sin/cos arguments, computed exactly with
 * BigInt (Machin's formula) rather than typed in.
 */

function arctanInverse(n: bigint, scale: bigint): bigint {
  // arctan(1/n)·scale = Σ (−1)^k · scale / ((2k+1)·n^(2k+1))
  let sum = 0n;
  let power = scale / n;
  const n2 = n * n;
  for (let k = 0n; power !== 0n; k++) {
    const term = power / (2n * k + 1n);
    sum += k % 2n === 0n ? term : -term;
    power /= n2;
  }
  return sum;
}

/** The first `words` 32-bit words of the binary fraction of 2/π (word 0 holds bits 1..32 after the point). */
export function twoOverPiWords(words: number): number[] {
  const guard = 64n;
  const bits = BigInt(words * 32);
  const scale = 1n << (bits + guard);
  const pi = 4n * (4n * arctanInverse(5n, scale) - arctanInverse(239n, scale));
  // 2/π · 2^bits = 2 · scale · 2^bits / (π · scale)
  const frac = (2n * scale * (1n << bits)) / pi;
  const out: number[] = [];
  for (let i = words - 1; i >= 0; i--) out.push(Number((frac >> BigInt(i * 32)) & 0xffffffffn));
  return out;
}
