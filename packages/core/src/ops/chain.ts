/**
 * Tensor methods: every op whose first argument is a tensor is also `t.op(...)`
 * (`tf.square(2).add(tf.square(3))`). Adding an op? Add its method here too.
 */
import type { DType } from "../dtypes.js";
import type { TensorLike } from "../tensor/convert.js";
import { Tensor } from "../tensor/tensor.js";
import { variableArith } from "../tensor/variable.js";
import * as binary from "./binary.js";
import { cast } from "./cast.js";
import * as cmp from "./compare.js";
import * as cx from "./complex.js";
import * as cc from "./concat.js";
import * as conv from "./conv.js";
import { gather, oneHot } from "./gather.js";
import { identity } from "./identity.js";
import type { L2NormalizeOptions } from "./l2-normalize.js";
import { l2Normalize } from "./l2-normalize.js";
import type { LeakyReluOptions } from "./leaky-relu.js";
import { leakyRelu } from "./leaky-relu.js";
import type { Padding1D, Window1D } from "./pool1d.js";
import { avgPool1d, maxPool1d } from "./pool1d.js";
import type { RepeatOptions } from "./repeat.js";
import { repeat } from "./repeat.js";
import type { MatMulOptions } from "./matmul.js";
import { matmul } from "./matmul.js";
import * as nn from "./nn.js";
import type { ReduceOptions } from "./reduce.js";
import * as red from "./reduce.js";
import { expandDims, reshape, squeeze } from "./reshape.js";
import { pad, slice } from "./slice.js";
import { broadcastTo, tile } from "./tile.js";
import { transpose } from "./transpose.js";
import * as un from "./unary.js";

type T = Tensor;
type L = TensorLike;

declare module "../tensor/tensor.js" {
  interface Tensor {
    add(b: L): T; subtract(b: L): T; sub(b: L): T; multiply(b: L): T; mul(b: L): T; divide(b: L): T; div(b: L): T;
    floorDiv(b: L): T; mod(b: L): T; pow(b: L): T; maximum(b: L): T; minimum(b: L): T; squaredDifference(b: L): T;
    equal(b: L): T; notEqual(b: L): T; less(b: L): T; lessEqual(b: L): T; greater(b: L): T; greaterEqual(b: L): T;
    logicalAnd(b: L): T; logicalOr(b: L): T; logicalNot(): T;
    neg(): T; abs(): T; sign(): T; square(): T; sqrt(): T; rsqrt(): T; exp(): T; log(): T; log1p(): T; sin(): T; cos(): T;
    tanh(): T; sigmoid(): T; relu(): T; elu(): T; softplus(): T; floor(): T; ceil(): T; round(): T; reciprocal(): T;
    cast(dtype: DType): T; real(): T; imag(): T; conj(): T;
    reduceSum(opts?: ReduceOptions): T; reduceMean(opts?: ReduceOptions): T; reduceMax(opts?: ReduceOptions): T;
    reduceMin(opts?: ReduceOptions): T; reduceProd(opts?: ReduceOptions): T; reduceAll(opts?: ReduceOptions): T;
    reduceAny(opts?: ReduceOptions): T; reduceLogSumExp(opts?: ReduceOptions): T; argmax(axis?: number): T; argmin(axis?: number): T;
    reshape(shape: readonly number[]): T; transpose(perm?: readonly number[]): T; expandDims(axis?: number): T;
    squeeze(axis?: number | readonly number[]): T; slice(begin: number | readonly number[], size?: number | readonly number[]): T;
    gather(indices: L, axis?: number): T; tile(reps: readonly number[]): T; pad(paddings: readonly (readonly [number, number])[], constantValue?: number): T;
    broadcastTo(shape: readonly number[]): T; oneHot(depth: number, onValue?: number, offValue?: number): T;
    split(numOrSizes: number | readonly number[], axis?: number): T[]; unstack(axis?: number): T[]; concat(others: T | readonly L[], axis?: number): T;
    matmul(b: L, opts?: MatMulOptions): T; softmax(axis?: number): T; logSoftmax(axis?: number): T;
    conv2d(filters: L, strides: conv.Window, padding: conv.Padding, opts?: conv.Conv2DOptions): T;
    maxPool2d(ksize: conv.Window, strides: conv.Window, padding: conv.Padding): T;
    avgPool2d(ksize: conv.Window, strides: conv.Window, padding: conv.Padding): T;
    maxPool1d(ksize: Window1D, strides: Window1D, padding: Padding1D): T;
    avgPool1d(ksize: Window1D, strides: Window1D, padding: Padding1D): T;
    repeat(repeats: number | readonly number[], opts?: RepeatOptions): T; leakyRelu(opts?: LeakyReluOptions): T;
    l2Normalize(opts?: L2NormalizeOptions): T;
    /** A new tensor with the same value (gradients flow through it). */
    clone(): T;
  }
}

type Method = (this: Tensor, ...args: never[]) => unknown;
const methods: Record<string, Method> = {
  add(this: T, b: L) { return binary.add(this, b); },
  subtract(this: T, b: L) { return binary.subtract(this, b); },
  sub(this: T, b: L) { return binary.subtract(this, b); },
  multiply(this: T, b: L) { return binary.multiply(this, b); },
  mul(this: T, b: L) { return binary.multiply(this, b); },
  divide(this: T, b: L) { return binary.divide(this, b); },
  div(this: T, b: L) { return binary.divide(this, b); },
  floorDiv(this: T, b: L) { return binary.floorDiv(this, b); },
  mod(this: T, b: L) { return binary.mod(this, b); },
  pow(this: T, b: L) { return binary.pow(this, b); },
  maximum(this: T, b: L) { return binary.maximum(this, b); },
  minimum(this: T, b: L) { return binary.minimum(this, b); },
  squaredDifference(this: T, b: L) { return binary.squaredDifference(this, b); },
  equal(this: T, b: L) { return cmp.equal(this, b); },
  notEqual(this: T, b: L) { return cmp.notEqual(this, b); },
  less(this: T, b: L) { return cmp.less(this, b); },
  lessEqual(this: T, b: L) { return cmp.lessEqual(this, b); },
  greater(this: T, b: L) { return cmp.greater(this, b); },
  greaterEqual(this: T, b: L) { return cmp.greaterEqual(this, b); },
  logicalAnd(this: T, b: L) { return cmp.logicalAnd(this, b); },
  logicalOr(this: T, b: L) { return cmp.logicalOr(this, b); },
  cast(this: T, dtype: DType) { return cast(this, dtype); },
  real(this: T) { return cx.real(this); },
  imag(this: T) { return cx.imag(this); },
  conj(this: T) { return cx.conj(this); },
  reduceSum(this: T, o?: ReduceOptions) { return red.reduceSum(this, o); },
  reduceMean(this: T, o?: ReduceOptions) { return red.reduceMean(this, o); },
  reduceMax(this: T, o?: ReduceOptions) { return red.reduceMax(this, o); },
  reduceMin(this: T, o?: ReduceOptions) { return red.reduceMin(this, o); },
  reduceProd(this: T, o?: ReduceOptions) { return red.reduceProd(this, o); },
  reduceAll(this: T, o?: ReduceOptions) { return red.reduceAll(this, o); },
  reduceAny(this: T, o?: ReduceOptions) { return red.reduceAny(this, o); },
  reduceLogSumExp(this: T, o?: ReduceOptions) { return red.reduceLogSumExp(this, o); },
  argmax(this: T, axis?: number) { return red.argmax(this, axis); },
  argmin(this: T, axis?: number) { return red.argmin(this, axis); },
  reshape(this: T, s: readonly number[]) { return reshape(this, s); },
  transpose(this: T, p?: readonly number[]) { return transpose(this, p); },
  expandDims(this: T, a?: number) { return expandDims(this, a); },
  squeeze(this: T, a?: number | readonly number[]) { return squeeze(this, a); },
  slice(this: T, b: number | readonly number[], s?: number | readonly number[]) { return slice(this, b, s); },
  gather(this: T, i: L, a?: number) { return gather(this, i, a); },
  tile(this: T, r: readonly number[]) { return tile(this, r); },
  pad(this: T, p: readonly (readonly [number, number])[], c?: number) { return pad(this, p, c); },
  broadcastTo(this: T, s: readonly number[]) { return broadcastTo(this, s); },
  oneHot(this: T, d: number, on?: number, off?: number) { return oneHot(this, d, on, off); },
  split(this: T, n: number | readonly number[], a?: number) { return cc.split(this, n, a); },
  unstack(this: T, a?: number) { return cc.unstack(this, a); },
  concat(this: T, others: T | readonly L[], a?: number) {
    return cc.concat([this, ...(others instanceof Tensor || !Array.isArray(others) ? [others as L] : (others as readonly L[]))], a);
  },
  matmul(this: T, b: L, o?: MatMulOptions) { return matmul(this, b, o); },
  softmax(this: T, a?: number) { return nn.softmax(this, a); },
  logSoftmax(this: T, a?: number) { return nn.logSoftmax(this, a); },
  conv2d(this: T, f: L, s: conv.Window, p: conv.Padding, o?: conv.Conv2DOptions) { return conv.conv2d(this, f, s, p, o); },
  maxPool2d(this: T, k: conv.Window, s: conv.Window, p: conv.Padding) { return conv.maxPool2d(this, k, s, p); },
  avgPool2d(this: T, k: conv.Window, s: conv.Window, p: conv.Padding) { return conv.avgPool2d(this, k, s, p); },
  maxPool1d(this: T, k: Window1D, s: Window1D, p: Padding1D) { return maxPool1d(this, k, s, p); },
  avgPool1d(this: T, k: Window1D, s: Window1D, p: Padding1D) { return avgPool1d(this, k, s, p); },
  repeat(this: T, r: number | readonly number[], o?: RepeatOptions) { return repeat(this, r, o); },
  leakyRelu(this: T, o?: LeakyReluOptions) { return leakyRelu(this, o); },
  l2Normalize(this: T, o?: L2NormalizeOptions) { return l2Normalize(this, o); },
  clone(this: T) { return identity(this); },
};
for (const name of ["neg", "abs", "sign", "square", "sqrt", "rsqrt", "exp", "log", "log1p", "sin", "cos", "tanh", "sigmoid", "relu",
  "elu", "softplus", "floor", "ceil", "round", "reciprocal", "logicalNot"] as const) {
  const f = un[name];
  methods[name] = function (this: T) { return f(this); };
}
for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}

variableArith.add = binary.add;
variableArith.sub = binary.subtract;
