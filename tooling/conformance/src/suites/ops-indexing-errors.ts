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
