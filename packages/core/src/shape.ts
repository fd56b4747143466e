import { InvalidArgumentError, ValueError, opMessage } from "./errors.js";

/** A shape in which dimensions may be unknown (`null`), or the whole shape unknown (`dims === null`). */
export type ShapeLike = readonly (number | null)[] | null | TensorShape;

/**
 * A possibly partially known shape, as `tf.TensorShape`. `new TensorShape(null)` is an unknown shape
 * (printed `<unknown>`); `null` inside the array is an unknown dimension (printed `None`).
 */
export class TensorShape {
  readonly dims: readonly (number | null)[] | null;

  constructor(dims: readonly (number | null)[] | null | TensorShape) {
    if (dims instanceof TensorShape) {
      this.dims = dims.dims;
      return;
    }
    if (dims !== null) {
      if (!Array.isArray(dims)) throw new ValueError(`TensorShape expects an array of dimensions or null, got ${String(dims)}`);
      for (const d of dims) {
        if (d !== null && (typeof d !== "number" || !Number.isInteger(d) || d < 0)) {
          throw new ValueError(`Dimension value must be a non-negative integer or null, got ${String(d)} in ${describeDims(dims)}`);
        }
      }
      this.dims = Object.freeze([...dims]);
    } else {
      this.dims = null;
    }
  }

  /** Rank, or `null` when unknown. */
  get rank(): number | null {
    return this.dims === null ? null : this.dims.length;
  }

  /** True when every dimension is known. */
  get isFullyDefined(): boolean {
    return this.dims !== null && this.dims.every((d) => d !== null);
  }

  /** True when a tensor of `shape` could have this (partial) shape. */
  isCompatibleWith(shape: readonly (number | null)[] | TensorShape | null): boolean {
    const other = shape instanceof TensorShape ? shape.dims : shape;
    if (this.dims === null || other === null) return true;
    if (this.dims.length !== other.length) return false;
    return this.dims.every((d, i) => d === null || other[i] === null || d === other[i]);
  }

  /** The known dimensions as numbers; throws when some are unknown. */
  asList(): number[] {
    if (this.dims === null || !this.isFullyDefined) throw new ValueError(`asList() is not defined on an unknown TensorShape ${this.toString()}`);
    return this.dims as number[];
  }

  /** `(2, 3)`, `(None, 2)`, `<unknown>` as TensorFlow prints shapes. */
  toString(): string {
    return this.dims === null ? "<unknown>" : formatShapeTuple(this.dims);
  }
}

/** Python tuple notation for a shape: `()`, `(2,)`, `(2, 3)`, `(None, 2)`. */
export function formatShapeTuple(dims: readonly (number | null)[]): string {
  const parts = dims.map((d) => (d === null ? "None" : String(d)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`;
}

/** TensorFlow's bracket notation used in op errors: `[2,3]`. */
export function describeDims(dims: readonly (number | null)[]): string {
  return `[${dims.map((d) => (d === null ? "?" : String(d))).join(",")}]`;
}

export function sizeFromShape(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Row-major strides of `shape` read as broadcast to an output of the same rank: 0 where a dim is 1. */
export function broadcastStridesOf(shape: readonly number[]): number[] {
  const s = stridesOf(shape);
  for (let i = 0; i < shape.length; i++) if (shape[i] === 1) s[i] = 0;
  return s;
}

/**
 * Drops size-1 dims and merges each dim into the previous one where every stride set walks the pair
 * contiguously (`prev = stride · n`; a broadcast dim has stride 0 and merges with another broadcast
 * one). Elementwise broadcasts and strided copies (transpose, slice) become as few, as long runs as
 * possible. Never empty: a scalar walk is `[1]` with unit strides.
 */
export function mergeDims(dims: readonly number[], strides: readonly (readonly number[])[]): { dims: number[]; strides: number[][] } {
  const outDims: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < dims.length; d++) {
    const n = dims[d]!;
    if (n === 1) continue;
    const last = outDims.length - 1;
    if (last >= 0 && strides.every((st, k) => outStrides[k]![last] === st[d]! * n)) {
      outDims[last]! *= n;
      strides.forEach((st, k) => (outStrides[k]![last] = st[d]!));
    } else {
      outDims.push(n);
      strides.forEach((st, k) => outStrides[k]!.push(st[d]!));
    }
  }
  if (outDims.length === 0) return { dims: [1], strides: strides.map(() => [1]) };
  return { dims: outDims, strides: outStrides };
}

/** NumPy broadcasting of two shapes; throws `Incompatible shapes: [2] vs. [3] [Op:Name]`. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  if (shapesEqual(a, b)) return a.slice();
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else throw new InvalidArgumentError(opMessage(op, `Incompatible shapes: ${describeDims(a)} vs. ${describeDims(b)}`));
  }
  return out;
}

/** Prepends 1s so `shape` has rank `rank` (a free reshape for broadcasting kernels). */
export function padShapeTo(shape: readonly number[], rank: number): number[] {
  if (shape.length === rank) return shape as number[];
  const out = new Array<number>(rank - shape.length).fill(1);
  for (const d of shape) out.push(d);
  return out;
}

/** Normalises a possibly negative axis for a tensor of rank `rank`, naming the op in the error. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -Math.max(rank, 1) || axis >= Math.max(rank, 1)) {
    throw new InvalidArgumentError(opMessage(op, `axis ${axis} is out of range for a tensor of rank ${rank}; expected an integer in [${-Math.max(rank, 1)}, ${Math.max(rank, 1)})`));
  }
  return axis < 0 ? axis + Math.max(rank, 1) : axis;
}

/** Validates a concrete shape argument (non-negative integers, no NaN). */
export function checkShapeArg(shape: unknown, op: string): number[] {
  if (!Array.isArray(shape)) throw new ValueError(opMessage(op, `shape must be an array of non-negative integers, got ${String(shape)}`));
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new ValueError(opMessage(op, `shape must contain non-negative integers, got [${shape.map(String).join(", ")}]`));
    }
  }
  return shape as number[];
}
