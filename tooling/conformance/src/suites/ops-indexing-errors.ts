/** Bad inputs of the indexing ops: the right error class, a message naming the op, inputs and memory unchanged. */
import { describe, expect } from "vitest";
import * as tf from "@tessera/core";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { expectOpError, host } from "../host.js";

const { InvalidArgumentError, ValueError, DtypeError } = tf.errors;

type ErrorClass = abstract new (...args: never[]) => Error;
interface BadCase { title: string; inputs: HostTensor[]; run: (...ts: tf.Tensor[]) => unknown; error: ErrorClass; message: RegExp }

const f32 = (shape: number[], data: number[]) => host("float32", shape, data);
const m23 = f32([2, 3], [1, 2, 3, 4, 5, 6]);
const b3 = host("bool", [3], [1, 0, 1]);
const i32 = (shape: number[], data: number[]) => host("int32", shape, data);

const CASES: BadCase[] = [
  { title: "stridedSlice with a zero stride", inputs: [m23], run: (x) => tf.stridedSlice(x!, [0], [2], [0]), error: InvalidArgumentError, message: /strides\[0\] must be non-zero.*\[Op:StridedSlice\]$/ },
  { title: "stridedSlice with begin, end and strides of different lengths", inputs: [m23], run: (x) => tf.stridedSlice(x!, [0, 0], [1], [1]), error: InvalidArgumentError, message: /equal size.*\[2\], \[1\], and \[1\].*\[Op:StridedSlice\]$/ },
  { title: "stridedSlice with two ellipses", inputs: [m23], run: (x) => tf.stridedSlice(x!, [0, 0], [0, 0], [1, 1], { ellipsisMask: 3 }), error: InvalidArgumentError, message: /Multiple ellipses.*\[Op:StridedSlice\]$/ },
  { title: "stridedSlice shrinking at an index out of range", inputs: [m23], run: (x) => tf.stridedSlice(x!, [0, -4], [1, -3], [1, 1], { shrinkAxisMask: 2 }), error: InvalidArgumentError, message: /slice index -4 of dimension 1 out of bounds.*\[Op:StridedSlice\]$/ },
  { title: "stridedSlice shrinking with a negative stride", inputs: [m23], run: (x) => tf.stridedSlice(x!, [1], [0], [-1], { shrinkAxisMask: 1 }), error: InvalidArgumentError, message: /only stride 1.*\[Op:StridedSlice\]$/ },
  { title: "stridedSlice naming more axes than the input has", inputs: [m23], run: (x) => tf.stridedSlice(x!, [0, 0, 0], [1, 1, 1]), error: InvalidArgumentError, message: /input has only 2 dims.*\[Op:StridedSlice\]$/ },
  { title: "stridedSlice with a fractional index", inputs: [m23], run: (x) => tf.stridedSlice(x!, [0.5], [1]), error: InvalidArgumentError, message: /begin must be an array of integers.*\[Op:StridedSlice\]$/ },
  { title: "stridedSlice with a negative mask", inputs: [m23], run: (x) => tf.stridedSlice(x!, [0], [1], [1], { beginMask: -1 }), error: InvalidArgumentError, message: /beginMask.*\[Op:StridedSlice\]$/ },
  { title: "Tensor.get of a malformed item", inputs: [m23], run: (x) => x!.get("1:, a"), error: ValueError, message: /"a" is not an integer.*\[Op:StridedSlice\]$/ },
  { title: "Tensor.get with a zero step", inputs: [m23], run: (x) => x!.get("::0"), error: ValueError, message: /step cannot be zero.*\[Op:StridedSlice\]$/ },
  { title: "Tensor.get with an empty item", inputs: [m23], run: (x) => x!.get("0,,1"), error: ValueError, message: /item 2 is empty.*\[Op:StridedSlice\]$/ },
  { title: "Tensor.get with three colons", inputs: [m23], run: (x) => x!.get("0:1:1:1"), error: ValueError, message: /more than two ':'.*\[Op:StridedSlice\]$/ },
  { title: "Tensor.get with two ellipses", inputs: [m23], run: (x) => x!.get("..., 0, ..."), error: ValueError, message: /single ellipsis.*\[Op:StridedSlice\]$/ },
  { title: "Tensor.get with an index out of range", inputs: [m23], run: (x) => x!.get("2"), error: InvalidArgumentError, message: /slice index 2 of dimension 0 out of bounds.*\[Op:StridedSlice\]$/ },
  { title: "pad REFLECT by the axis's size", inputs: [m23], run: (x) => tf.pad(x!, [[0, 0], [3, 0]], { mode: "reflect" }), error: InvalidArgumentError, message: /less than the dimension size: 3, 0 not less than 3.*\[Op:MirrorPad\]$/ },
  { title: "pad SYMMETRIC past the axis's size", inputs: [m23], run: (x) => tf.pad(x!, [[0, 3], [0, 0]], { mode: "SYMMETRIC" }), error: InvalidArgumentError, message: /no greater than the dimension size: 0, 3 greater than 2.*\[Op:MirrorPad\]$/ },
  { title: "pad with an unknown mode", inputs: [m23], run: (x) => tf.pad(x!, [[0, 0], [0, 0]], { mode: "WRAP" as "REFLECT" }), error: ValueError, message: /CONSTANT.*REFLECT.*SYMMETRIC.*"WRAP".*\[Op:PadV2\]$/ },
  { title: "mirrorPad with an unknown mode", inputs: [m23], run: (x) => tf.mirrorPad(x!, [[0, 0], [0, 0]], "edge" as "reflect"), error: ValueError, message: /REFLECT.*SYMMETRIC.*"edge".*\[Op:MirrorPad\]$/ },
  { title: "mirrorPad with paddings for the wrong rank", inputs: [m23], run: (x) => tf.mirrorPad(x!, [[1, 1]], "reflect"), error: InvalidArgumentError, message: /2 pairs.*\[2,3\].*\[Op:MirrorPad\]$/ },
  { title: "booleanMask with a scalar mask", inputs: [m23, host("bool", [], [1])], run: (x, m) => tf.booleanMask(x!, m!), error: ValueError, message: /mask cannot be scalar.*\[Op:BooleanMask\]$/ },
  { title: "booleanMask with a mask of the wrong shape", inputs: [m23, b3], run: (x, m) => tf.booleanMask(x!, m!), error: ValueError, message: /mask shape \[3\] must match tensor.shape\[0:1\] = \[2\].*\[Op:BooleanMask\]$/ },
  { title: "booleanMask with a float mask", inputs: [m23, f32([2], [1, 0])], run: (x, m) => tf.booleanMask(x!, m!), error: DtypeError, message: /float32.*\[Op:BooleanMask\]$/ },
  { title: "booleanMask with an axis out of range", inputs: [m23, b3], run: (x, m) => tf.booleanMask(x!, m!, { axis: 2 }), error: InvalidArgumentError, message: /\[Op:BooleanMask\]$/ },
  { title: "where with x but no y", inputs: [b3, f32([3], [1, 2, 3])], run: (c, x) => (tf.where as (c: tf.Tensor, x: tf.Tensor) => tf.Tensor)(c!, x!), error: ValueError, message: /both be given.*\[Op:SelectV2\]$/ },
  { title: "where(condition) of strings", inputs: [host("string", [1], ["a"])], run: (c) => tf.where(c!), error: DtypeError, message: /string.*\[Op:Where\]$/ },
  { title: "unique of a matrix", inputs: [m23], run: (x) => tf.unique(x!), error: InvalidArgumentError, message: /1D vector, got shape \[2,3\].*\[Op:Unique\]$/ },
  { title: "uniqueWithCounts with outIdx float32", inputs: [b3], run: (x) => tf.uniqueWithCounts(x!, { outIdx: "float32" as "int32" }), error: InvalidArgumentError, message: /outIdx.*\[Op:UniqueWithCounts\]$/ },
  { title: "setdiff1d with a matrix y", inputs: [f32([2], [1, 2]), m23], run: (x, y) => tf.setdiff1d(x!, y!), error: InvalidArgumentError, message: /y should be a 1D vector.*\[Op:ListDiff\]$/ },
  { title: "setdiff1d of different dtypes", inputs: [f32([2], [1, 2]), host("int32", [1], [1])], run: (x, y) => tf.setdiff1d(x!, y!), error: DtypeError, message: /\[Op:ListDiff\]$/ },
  { title: "segmentSum with unsorted ids", inputs: [m23, i32([2], [1, 0])], run: (d, i) => tf.math.segmentSum(d!, i!), error: InvalidArgumentError, message: /not increasing: 1 then 0.*\[Op:SegmentSum\]$/ },
  { title: "segmentMax with a negative id", inputs: [m23, i32([2], [-1, 0])], run: (d, i) => tf.math.segmentMax(d!, i!), error: InvalidArgumentError, message: /must be >= 0.*\[Op:SegmentMax\]$/ },
  { title: "segmentProd with ids shorter than the data", inputs: [m23, i32([1], [0])], run: (d, i) => tf.math.segmentProd(d!, i!), error: InvalidArgumentError, message: /same size as dimension 0.*\[Op:SegmentProd\]$/ },
  { title: "segmentMean of int32", inputs: [i32([2], [1, 2]), i32([2], [0, 0])], run: (d, i) => tf.math.segmentMean(d!, i!), error: DtypeError, message: /int32.*\[Op:SegmentMean\]$/ },
  { title: "unsortedSegmentMax with ids not a prefix of data", inputs: [m23, i32([3], [0, 1, 0])], run: (d, i) => tf.math.unsortedSegmentMax(d!, i!, 2), error: InvalidArgumentError, message: /prefix.*\[Op:UnsortedSegmentMax\]$/ },
  { title: "unsortedSegmentMin of bool", inputs: [b3, i32([3], [0, 1, 0])], run: (d, i) => tf.math.unsortedSegmentMin(d!, i!, 2), error: DtypeError, message: /bool.*\[Op:UnsortedSegmentMin\]$/ },
  { title: "unsortedSegmentProd with a fractional numSegments", inputs: [m23, i32([2], [0, 1])], run: (d, i) => tf.math.unsortedSegmentProd(d!, i!, 1.5), error: InvalidArgumentError, message: /numSegments.*\[Op:UnsortedSegmentProd\]$/ },
  { title: "bincount of a negative value", inputs: [i32([3], [1, -2, 0])], run: (a) => tf.math.bincount(a!), error: InvalidArgumentError, message: /non-negative, got -2.*\[Op:Bincount\]$/ },
  { title: "bincount with weights of another shape", inputs: [i32([3], [1, 2, 0]), f32([2], [1, 2])], run: (a, w) => tf.math.bincount(a!, { weights: w! }), error: InvalidArgumentError, message: /weights shape \[2\].*\[Op:Bincount\]$/ },
  { title: "bincount with binaryOutput and weights", inputs: [i32([2], [1, 2]), f32([2], [1, 2])], run: (a, w) => tf.math.bincount(a!, { weights: w!, binaryOutput: true }), error: InvalidArgumentError, message: /mutually exclusive.*\[Op:Bincount\]$/ },
  { title: "bincount with axis 1", inputs: [i32([2], [1, 2])], run: (a) => tf.math.bincount(a!, { axis: 1 }), error: InvalidArgumentError, message: /axis must be 0, -1.*\[Op:Bincount\]$/ },
  { title: "confusionMatrix with a label past numClasses", inputs: [i32([2], [0, 3]), i32([2], [1, 1])], run: (l, p) => tf.math.confusionMatrix(l!, p!, { numClasses: 3 }), error: InvalidArgumentError, message: /labels must be less than numClasses 3, got 3.*\[Op:ConfusionMatrix\]$/ },
  { title: "confusionMatrix with a negative prediction", inputs: [i32([2], [0, 1]), i32([2], [-1, 1])], run: (l, p) => tf.math.confusionMatrix(l!, p!), error: InvalidArgumentError, message: /predictions must be non-negative.*\[Op:ConfusionMatrix\]$/ },
  { title: "confusionMatrix of different sizes", inputs: [i32([2], [0, 1]), i32([3], [0, 1, 1])], run: (l, p) => tf.math.confusionMatrix(l!, p!), error: InvalidArgumentError, message: /same size.*\[Op:ConfusionMatrix\]$/ },
  { title: "inTopK with a batch mismatch", inputs: [i32([3], [0, 1, 2]), m23], run: (t, p) => tf.math.inTopK(t!, p!, 1), error: InvalidArgumentError, message: /batch size 2.*\[Op:InTopKV2\]$/ },
  { title: "inTopK of int32 predictions", inputs: [i32([1], [0]), i32([1, 2], [1, 2])], run: (t, p) => tf.math.inTopK(t!, p!, 1), error: DtypeError, message: /int32.*\[Op:InTopKV2\]$/ },
  { title: "spaceToBatchNd with a padded size not divisible by the block", inputs: [f32([1, 3, 1], [1, 2, 3])], run: (x) => tf.spaceToBatchNd(x!, [2], [[0, 0]]), error: InvalidArgumentError, message: /divisible by blockShape\[0\] = 2.*\[Op:SpaceToBatchND\]$/ },
  { title: "spaceToBatchNd with a zero block", inputs: [f32([1, 2, 1], [1, 2])], run: (x) => tf.spaceToBatchNd(x!, [0], [[0, 0]]), error: InvalidArgumentError, message: /positive integers.*\[Op:SpaceToBatchND\]$/ },
  { title: "batchToSpaceNd with a batch not divisible by the block", inputs: [f32([3, 1, 1], [1, 2, 3])], run: (x) => tf.batchToSpaceNd(x!, [2], [[0, 0]]), error: InvalidArgumentError, message: /batch dimension \(3\).*\[Op:BatchToSpaceND\]$/ },
  { title: "batchToSpaceNd cropping more than there is", inputs: [f32([2, 1, 1], [1, 2])], run: (x) => tf.batchToSpaceNd(x!, [2], [[2, 1]]), error: InvalidArgumentError, message: /exceed its size 2.*\[Op:BatchToSpaceND\]$/ },
  { title: "broadcastDynamicShape of incompatible shapes", inputs: [], run: () => tf.broadcastDynamicShape([2, 3], [4, 3]), error: InvalidArgumentError, message: /Incompatible shapes: \[2,3\] vs. \[4,3\].*\[Op:BroadcastArgs\]$/ },
  { title: "ensureShape of the wrong shape", inputs: [m23], run: (x) => tf.ensureShape(x!, [null, 2]), error: InvalidArgumentError, message: /Shape of tensor \[2,3\] is not compatible with expected shape \[\?,2\]\. \[Op:EnsureShape\]$/ },
  { title: "unravelIndex of an index past the size", inputs: [i32([2], [3, 6])], run: (i) => tf.unravelIndex(i!, [2, 3]), error: InvalidArgumentError, message: /index 6 is out of bounds.*\[Op:UnravelIndex\]$/ },
  { title: "unravelIndex with a zero dim", inputs: [i32([1], [0])], run: (i) => tf.unravelIndex(i!, [2, 0]), error: InvalidArgumentError, message: /dims must be positive.*\[Op:UnravelIndex\]$/ },
  { title: "eye with a negative batch dimension", inputs: [], run: () => tf.eye(2, { batchShape: [-1] }), error: ValueError, message: /\[Op:Eye\]$/ },
];

export function describeOpsIndexingErrors(ctx: ConformanceContext): void {
  describe("bad inputs of the indexing ops", () => {
    for (const c of CASES) {
      ctx.test(`${c.title} throws ${c.error.name}, leaving inputs and memory unchanged`, { kernels: [] }, async () => {
        const err = await expectOpError(c.inputs, c.run, c.error);
        expect(err.message).toMatch(c.message);
      });
    }
  });
}
