/**
 * Tensor methods: every op entry declared with a method (the default) is also `t.op(...)`
 * (`tf.square(2).add(tf.square(3))`), installed from the entries' `info` and typed from them too.
 * Only the methods that are not "the op with the tensor first" are written here.
 */
import { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "../tensor/convert.js";
import { variableArith } from "../tensor/variable.js";
import * as binary from "./binary.js";
import * as concatOps from "./concat.js";
import * as identity from "./identity.js";
import { getBySpec } from "./slice-spec.js";
// Every op. ops/index.ts must not import this file: bundlers evaluate a module namespace object only
// after its module, so a cycle would hand installMethods an undefined namespace.
import * as ops from "./index.js";
import type { MethodsOf } from "./table/derive.js";
import { installMethods } from "./table/derive.js";

declare module "../tensor/tensor.js" {
  interface Tensor extends MethodsOf<typeof ops> {
    /** `a − b` (the method spelling of `subtract`). */
    sub(b: TensorLike): Tensor;
    /** `a · b` (the method spelling of `multiply`). */
    mul(b: TensorLike): Tensor;
    /** `a / b` (the method spelling of `divide`). */
    div(b: TensorLike): Tensor;
    /** Joins this tensor and `others` along `axis` (default 0). */
    concat(others: Tensor | readonly TensorLike[], axis?: number): Tensor;
    /** A new tensor with the same value (gradients flow through it). */
    clone(): Tensor;
    /**
     * Python-style indexing, `t.get("1:, ::-1, newaxis")` for TensorFlow's `t[1:, ::-1, tf.newaxis]`:
     * the string is what goes between Python's brackets, with comma-separated items — an integer
     * (picks that index and drops the axis; negative counts from the end), `start:stop` or
     * `start:stop:step` (any part may be left out; out-of-range bounds are clamped; a negative step
     * walks backwards), `...` (the axes not named, at most once) and `newaxis` (or `None`). Runs
     * `tf.stridedSlice`, so gradients flow through it. A malformed string raises `ValueError`; an
     * integer index out of range raises `InvalidArgumentError`. (`t.slice(begin, size)` keeps
     * TensorFlow's `tf.slice` meaning.)
     */
    get(spec: string): Tensor;
  }
}

installMethods(ops);

const extra: Record<string, (this: Tensor, ...args: never[]) => unknown> = {
  sub(this: Tensor, b: TensorLike) { return binary.subtract(this, b); },
  mul(this: Tensor, b: TensorLike) { return binary.multiply(this, b); },
  div(this: Tensor, b: TensorLike) { return binary.divide(this, b); },
  concat(this: Tensor, others: Tensor | readonly TensorLike[], axis?: number) {
    const rest = others instanceof Tensor || !Array.isArray(others) ? [others as TensorLike] : (others as readonly TensorLike[]);
    return concatOps.concat([this, ...rest], axis);
  },
  clone(this: Tensor) { return identity.identity(this); },
  get(this: Tensor, spec: string) { return getBySpec(this, spec); },
};
for (const [name, fn] of Object.entries(extra)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}

variableArith.add = binary.add;
variableArith.sub = binary.subtract;
