/** Small helpers the `ops/*.grad.ts` files share. Everything here is written with core ops. */
import type { DType } from "../dtypes.js";
import { shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { conj } from "../ops/complex.js";
import { reduceSum } from "../ops/reduce.js";
import { reshape } from "../ops/reshape.js";

/** Dtypes that carry gradients (TensorFlow: floating and complex). */
export function isDifferentiableDtype(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64" || dtype === "complex64";
}

/**
 * Sums a broadcast gradient back to an input's shape: over the leading axes the input lacked and over
 * the axes where it had size 1. Returns `g` itself when the shapes already agree.
 */
export function reduceToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length ? reduceSum(g, { axis: axes }) : g;
  return reshape(summed, shape);
}

/** conj(x) for complex64 (TensorFlow's convention for complex gradients), x itself otherwise. */
export function conjIfComplex(x: Tensor): Tensor {
  return x.dtype === "complex64" ? conj(x) : x;
}
