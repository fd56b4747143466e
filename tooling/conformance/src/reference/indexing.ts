/** Index arithmetic for the reference: row-major strides, (un)ravelling, NumPy broadcasting. */

export { stridesOf } from "@tessera/core/kernel";

export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    if (n === 0) return idx;
    idx[d] = i % n;
    i = Math.floor(i / n);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let p = 0;
  for (let d = 0; d < shape.length; d++) p = p * shape[d]! + idx[d]!;
  return p;
}

/** NumPy's broadcast shape, or null when the shapes are incompatible. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!;
      const o = rank - s.length + i;
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) return null;
    }
  }
  return out;
}

/** For every element of `outShape`, the flat index of the element of `inShape` it reads when broadcast. */
export function broadcastSource(outShape: readonly number[], inShape: readonly number[]): number[] {
  const size = outShape.reduce((a, b) => a * b, 1);
  const offset = outShape.length - inShape.length;
  const src = new Array<number>(size);
  for (let i = 0; i < size; i++) {
    const idx = unravel(i, outShape);
    let p = 0;
    for (let d = 0; d < inShape.length; d++) p = p * inShape[d]! + (inShape[d] === 1 ? 0 : idx[offset + d]!);
    src[i] = p;
  }
  return src;
}
