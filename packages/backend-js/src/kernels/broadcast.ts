/**
 * Broadcasting without materialising: the output is walked as rows of its last (collapsed) dimension,
 * and each input is read with a stride of 0 where it broadcasts.
 */
import { broadcastStridesOf } from "@tessera/core/kernel";

/** One run of `n` outputs: `out[oo + i] = f(a[ao + i*sa], b[bo + i*sb])`. */
export type Row<A, B, O> = (a: A, ao: number, sa: number, b: B, bo: number, sb: number, out: O, oo: number, n: number) => void;

/**
 * Merges adjacent output dims across which every input keeps the same broadcast pattern, so typical
 * cases become one long row ([1000,1000] + [1000] → rows of 1000; same shapes → a single row).
 */
export function collapse(outShape: readonly number[], inShapes: readonly (readonly number[])[]): { out: number[]; ins: number[][] } {
  const out: number[] = [];
  const ins: number[][] = inShapes.map(() => []);
  for (let d = 0; d < outShape.length; d++) {
    const od = outShape[d]!;
    if (od === 1) continue; // size-1 output dims carry no information
    const pattern = inShapes.map((s) => s[d] === 1);
    const last = out.length - 1;
    const same = last >= 0 && inShapes.every((s, k) => (ins[k]![last] === 1) === pattern[k]);
    if (same) {
      out[last]! *= od;
      inShapes.forEach((s, k) => (ins[k]![last]! *= s[d]!));
    } else {
      out.push(od);
      inShapes.forEach((s, k) => ins[k]!.push(s[d]!));
    }
  }
  return { out, ins };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Drives `row` over every output row of a two-input broadcast. `outShape` and the input shapes have equal rank. */
export function forEachRow2<A, B, O>(
  outShape: readonly number[], aShape: readonly number[], bShape: readonly number[],
  a: A, b: B, out: O, row: Row<A, B, O>,
): void {
  if (sameShape(outShape, aShape) && sameShape(outShape, bShape)) {
    let n = 1;
    for (let d = 0; d < outShape.length; d++) n *= outShape[d]!;
    row(a, 0, 1, b, 0, 1, out, 0, n);
    return;
  }
  const c = collapse(outShape, [aShape, bShape]);
  const rank = c.out.length;
  if (rank === 0) {
    row(a, 0, 0, b, 0, 0, out, 0, 1);
    return;
  }
  const sa = broadcastStridesOf(c.ins[0]!);
  const sb = broadcastStridesOf(c.ins[1]!);
  const n = c.out[rank - 1]!;
  const lastA = sa[rank - 1]!;
  const lastB = sb[rank - 1]!;
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= c.out[d]!;
  const idx = new Array<number>(rank - 1).fill(0);
  let ao = 0;
  let bo = 0;
  for (let r = 0, oo = 0; r < rows; r++, oo += n) {
    row(a, ao, lastA, b, bo, lastB, out, oo, n);
    for (let d = rank - 2; d >= 0; d--) {
      ao += sa[d]!;
      bo += sb[d]!;
      if (++idx[d]! < c.out[d]!) break;
      ao -= sa[d]! * c.out[d]!;
      bo -= sb[d]! * c.out[d]!;
      idx[d] = 0;
    }
  }
}

/** Offsets of each input for every output element of an n-input broadcast (used by `Where`). */
export function broadcastOffsets(outShape: readonly number[], inShape: readonly number[]): Int32Array {
  let size = 1;
  for (const d of outShape) size *= d;
  const offs = new Int32Array(size);
  forEachStrided(outShape, broadcastStridesOf(inShape), size, (i, o) => {
    offs[i] = o;
  });
  return offs;
}

/**
 * Calls `visit(i, offset)` for the first `size` elements i of `shape` in row-major order, where
 * offset = Σ index[d]·strides[d] (an odometer: no division per element).
 */
export function forEachStrided(shape: readonly number[], strides: readonly number[], size: number, visit: (i: number, offset: number) => void): void {
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  let o = 0;
  for (let i = 0; i < size; i++) {
    visit(i, o);
    for (let d = rank - 1; d >= 0; d--) {
      o += strides[d]!;
      if (++idx[d]! < shape[d]!) break;
      o -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
