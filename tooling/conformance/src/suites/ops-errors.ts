/** Bad inputs of the composite ops: the right error class, a message naming the op, inputs and memory unchanged. */
import { describe, expect } from "vitest";
import * as tf from "@tessera/core";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { expectOpError, host } from "../host.js";

const { InvalidArgumentError, DtypeError, ValueError } = tf.errors;

type ErrorClass = abstract new (...args: never[]) => Error;
interface BadCase { title: string; inputs: HostTensor[]; run: (...ts: tf.Tensor[]) => unknown; error: ErrorClass; message: RegExp }

const f32 = (shape: number[], data: number[]) => host("float32", shape, data);
const i32 = (shape: number[], data: number[]) => host("int32", shape, data);
const m23 = f32([2, 3], [1, 2, 3, 4, 5, 6]);

const CASES: BadCase[] = [
  { title: "cumsum over an axis out of range", inputs: [m23], run: (x) => tf.math.cumsum(x!, { axis: 2 }), error: InvalidArgumentError, message: /axis 2.*\[Op:Cumsum\]$/ },
  { title: "cumsum of a scalar", inputs: [f32([], [1])], run: (x) => tf.math.cumsum(x!), error: InvalidArgumentError, message: /\[Op:Cumsum\]$/ },
  { title: "cumprod of bool", inputs: [host("bool", [2], [1, 0])], run: (x) => tf.math.cumprod(x!), error: DtypeError, message: /bool.*\[Op:Cumprod\]$/ },
  { title: "cumulativeLogsumexp of int32", inputs: [i32([2], [1, 2])], run: (x) => tf.math.cumulativeLogsumexp(x!), error: DtypeError, message: /int32.*\[Op:CumulativeLogsumexp\]$/ },
  { title: "clipByNorm with a non-scalar clipNorm", inputs: [m23, f32([2], [1, 2])], run: (x, c) => tf.clipByNorm(x!, c!), error: InvalidArgumentError, message: /scalar.*\[Op:ClipByNorm\]$/ },
  { title: "clipByGlobalNorm of mixed dtypes", inputs: [m23, host("float64", [1], [1])], run: (a, b) => tf.clipByGlobalNorm([a!, b!], 1), error: InvalidArgumentError, message: /same dtype.*\[Op:ClipByGlobalNorm\]$/ },
  { title: "addN of different shapes", inputs: [m23, f32([3], [1, 2, 3])], run: (a, b) => tf.math.addN([a!, b!]), error: InvalidArgumentError, message: /same shape.*\[2,3\].*\[3\].*\[Op:AddN\]$/ },
  { title: "addN of nothing", inputs: [], run: () => tf.math.addN([]), error: InvalidArgumentError, message: /non-empty.*\[Op:AddN\]$/ },
  { title: "truncatediv of float32", inputs: [m23, m23], run: (a, b) => tf.truncatediv(a!, b!), error: DtypeError, message: /float32.*\[Op:TruncateDiv\]$/ },
  { title: "logicalXor of float32", inputs: [m23, m23], run: (a, b) => tf.math.logicalXor(a!, b!), error: DtypeError, message: /float32.*\[Op:LogicalXor\]$/ },
  { title: "reverse with a repeated axis", inputs: [m23], run: (x) => tf.reverse(x!, [1, -1]), error: InvalidArgumentError, message: /more than once.*\[Op:ReverseV2\]$/ },
  { title: "roll with mismatched shift and axis", inputs: [m23], run: (x) => tf.roll(x!, [1, 2], [0]), error: InvalidArgumentError, message: /same size.*\[Op:Roll\]$/ },
  { title: "linspace with a negative num", inputs: [], run: () => tf.linspace(0, 1, -1), error: InvalidArgumentError, message: /num.*\[Op:LinSpace\]$/ },
  { title: "linspace of int32 tensors", inputs: [i32([], [0])], run: (a) => tf.linspace(a!, 4, 3), error: DtypeError, message: /int32.*\[Op:LinSpace\]$/ },
  { title: "meshgrid with a bad indexing", inputs: [f32([2], [1, 2])], run: (a) => tf.meshgrid([a!], { indexing: "yx" as "xy" }), error: InvalidArgumentError, message: /indexing.*\[Op:Meshgrid\]$/ },
  { title: "diagPart of a vector", inputs: [f32([3], [1, 2, 3])], run: (x) => tf.linalg.diagPart(x!), error: InvalidArgumentError, message: /rank >= 2.*\[3\].*\[Op:MatrixDiagPart\]$/ },
  { title: "bandPart with numLower past the rows", inputs: [m23], run: (x) => tf.linalg.bandPart(x!, 3, 0), error: InvalidArgumentError, message: /numLower.*\[Op:MatrixBandPart\]$/ },
  { title: "tensordot of mismatched axes", inputs: [m23, m23], run: (a, b) => tf.tensordot(a!, b!, 1), error: InvalidArgumentError, message: /differ in size.*\[Op:Tensordot\]$/ },
  { title: "norm with a bad ord", inputs: [m23], run: (x) => tf.norm(x!, { ord: -1 }), error: InvalidArgumentError, message: /positive.*\[Op:Norm\]$/ },
  { title: "norm 'fro' of a vector", inputs: [m23], run: (x) => tf.norm(x!, { ord: "fro", axis: 1 }), error: InvalidArgumentError, message: /matrix norm.*\[Op:Norm\]$/ },
  { title: "matrix 2-norm (needs an SVD)", inputs: [m23], run: (x) => tf.norm(x!, { ord: 2, axis: [0, 1] }), error: InvalidArgumentError, message: /singular value.*\[Op:Norm\]$/ },
  { title: "cross of 2-vectors", inputs: [f32([2], [1, 2]), f32([2], [1, 2])], run: (a, b) => tf.linalg.cross(a!, b!), error: InvalidArgumentError, message: /size 3.*\[Op:Cross\]$/ },
  { title: "unsortedSegmentSum with ids not a prefix of data", inputs: [m23, i32([3], [0, 1, 0])], run: (d, i) => tf.math.unsortedSegmentSum(d!, i!, 2), error: InvalidArgumentError, message: /prefix.*\[Op:UnsortedSegmentSum\]$/ },
  { title: "unsortedSegmentSum with a negative numSegments", inputs: [m23, i32([2], [0, 1])], run: (d, i) => tf.math.unsortedSegmentSum(d!, i!, -1), error: InvalidArgumentError, message: /numSegments.*\[Op:UnsortedSegmentSum\]$/ },
  { title: "gatherNd with too deep indices", inputs: [f32([3], [1, 2, 3]), i32([1, 2], [0, 0])], run: (p, i) => tf.gatherNd(p!, i!), error: InvalidArgumentError, message: /depth 2.*\[Op:GatherNd\]$/ },
  { title: "scatterNd with updates of the wrong shape", inputs: [i32([2, 1], [0, 1]), f32([3], [1, 2, 3])], run: (i, u) => tf.scatterNd(i!, u!, [4]), error: InvalidArgumentError, message: /updates must have shape \[2\].*\[Op:ScatterNd\]$/ },
  { title: "depthToSpace with depth not divisible by blockSize²", inputs: [f32([1, 1, 1, 2], [1, 2])], run: (x) => tf.nn.depthToSpace(x!, 2), error: InvalidArgumentError, message: /divisible.*\[Op:DepthToSpace\]$/ },
  { title: "spaceToDepth of a rank-3 input", inputs: [f32([2, 2, 1], [1, 2, 3, 4])], run: (x) => tf.nn.spaceToDepth(x!, 2), error: InvalidArgumentError, message: /4-dimensional.*\[Op:SpaceToDepth\]$/ },
  { title: "sequenceMask of float lengths", inputs: [f32([2], [1, 2])], run: (x) => tf.sequenceMask(x!, { maxlen: 3 }), error: DtypeError, message: /float32.*\[Op:SequenceMask\]$/ },
  { title: "einsum with the wrong number of operands", inputs: [m23], run: (a) => tf.einsum("ij,jk->ik", a!), error: InvalidArgumentError, message: /2 operands, but 1.*\[Op:Einsum\]$/ },
  { title: "einsum with subscripts of the wrong rank", inputs: [m23], run: (a) => tf.einsum("ijk->i", a!), error: InvalidArgumentError, message: /rank 2.*\[Op:Einsum\]$/ },
  { title: "einsum with mismatched sizes", inputs: [m23, m23], run: (a, b) => tf.einsum("ij,jk->ik", a!, b!), error: InvalidArgumentError, message: /sizes 3 and 2.*\[Op:Einsum\]$/ },
  { title: "einsum with an output letter no operand has", inputs: [m23], run: (a) => tf.einsum("ij->k", a!), error: InvalidArgumentError, message: /'k' appears in no operand.*\[Op:Einsum\]$/ },
  { title: "einsum with a diagonal", inputs: [f32([2, 2], [1, 2, 3, 4])], run: (a) => tf.einsum("ii->i", a!), error: InvalidArgumentError, message: /repeat a letter.*\[Op:Einsum\]$/ },
  { title: "einsum with a bad character", inputs: [m23], run: (a) => tf.einsum("i1->i", a!), error: InvalidArgumentError, message: /invalid subscripts.*\[Op:Einsum\]$/ },
  { title: "topK with k past the row", inputs: [m23], run: (x) => tf.math.topK(x!, { k: 4 }).values, error: InvalidArgumentError, message: /at least k columns. Had 3, needed 4.*\[Op:TopKV2\]$/ },
  { title: "topK with a negative k", inputs: [m23], run: (x) => tf.math.topK(x!, { k: -1 }).values, error: InvalidArgumentError, message: /k >= 0, got -1.*\[Op:TopKV2\]$/ },
  { title: "topK with a fractional k", inputs: [m23], run: (x) => tf.math.topK(x!, { k: 1.5 }).values, error: InvalidArgumentError, message: /k >= 0, got 1.5.*\[Op:TopKV2\]$/ },
  { title: "topK of a scalar", inputs: [f32([], [1])], run: (x) => tf.math.topK(x!).values, error: InvalidArgumentError, message: /1-D.*\[Op:TopKV2\]$/ },
  { title: "topK of bool", inputs: [host("bool", [2], [1, 0])], run: (x) => tf.math.topK(x!).values, error: DtypeError, message: /bool.*\[Op:TopKV2\]$/ },
  { title: "sort of a scalar", inputs: [f32([], [1])], run: (x) => tf.sort(x!), error: InvalidArgumentError, message: /rank >= 1.*\[Op:Sort\]$/ },
  { title: "sort along an axis out of range", inputs: [m23], run: (x) => tf.sort(x!, { axis: 2 }), error: InvalidArgumentError, message: /axis 2.*\[Op:Sort\]$/ },
  { title: "sort with a bad direction", inputs: [m23], run: (x) => tf.sort(x!, { direction: "UP" as "ASCENDING" }), error: ValueError, message: /direction.*"UP".*\[Op:Sort\]$/ },
  { title: "sort of complex64", inputs: [host("complex64", [1], [1, 2])], run: (x) => tf.sort(x!), error: DtypeError, message: /complex64.*\[Op:Sort\]$/ },
  { title: "argsort of bool", inputs: [host("bool", [2], [1, 0])], run: (x) => tf.argsort(x!), error: DtypeError, message: /bool.*\[Op:Argsort\]$/ },
  { title: "argsort along an axis out of range", inputs: [m23], run: (x) => tf.argsort(x!, { axis: -3 }), error: InvalidArgumentError, message: /axis -3.*\[Op:Argsort\]$/ },
  { title: "searchsorted with a bad side", inputs: [f32([3], [1, 2, 3]), f32([1], [2])], run: (s, v) => tf.searchsorted(s!, v!, { side: "middle" as "left" }), error: ValueError, message: /side.*"middle".*\[Op:SearchSorted\]$/ },
  { title: "searchsorted with different row counts", inputs: [m23, f32([3, 1], [1, 2, 3])], run: (s, v) => tf.searchsorted(s!, v!), error: InvalidArgumentError, message: /\[2,3\].*\[3,1\].*same number of rows.*\[Op:SearchSorted\]$/ },
  { title: "searchsorted of mixed dtypes", inputs: [m23, i32([2, 1], [1, 2])], run: (s, v) => tf.searchsorted(s!, v!), error: DtypeError, message: /float32.*int32.*\[Op:SearchSorted\]$/ },
  { title: "searchsorted with scalar values", inputs: [m23, f32([], [1])], run: (s, v) => tf.searchsorted(s!, v!), error: InvalidArgumentError, message: /rank >= 1.*\[Op:SearchSorted\]$/ },
  { title: "searchsorted with outType float32", inputs: [m23, m23], run: (s, v) => tf.searchsorted(s!, v!, { outType: "float32" as "int32" }), error: InvalidArgumentError, message: /outType.*\[Op:SearchSorted\]$/ },
  { title: "lowerBound of bool", inputs: [host("bool", [2], [0, 1]), host("bool", [1], [1])], run: (s, v) => tf.math.lowerBound(s!, v!), error: DtypeError, message: /bool.*\[Op:LowerBound\]$/ },
  { title: "upperBound of a scalar sequence", inputs: [f32([], [1]), f32([1], [1])], run: (s, v) => tf.math.upperBound(s!, v!), error: InvalidArgumentError, message: /rank >= 1.*\[Op:UpperBound\]$/ },
];

export function describeOpsErrors(ctx: ConformanceContext): void {
  describe("bad inputs of the composite ops", () => {
    for (const c of CASES) {
      ctx.test(`${c.title} throws ${c.error.name}, leaving inputs and memory unchanged`, { kernels: [] }, async () => {
        const err = await expectOpError(c.inputs, c.run, c.error);
        expect(err.message).toMatch(c.message);
      });
    }
    ctx.test("gatherNd of an out-of-range index tuple raises where gather does (js, wasm), else gives zeros", { kernels: ["Gather"] }, async () => {
      const p = tf.constant([[1, 2], [3, 4]], "float32");
      const i = tf.constant([[0, 2]]);
      try {
        let out: tf.Tensor | null = null;
        try {
          out = tf.gatherNd(p, i);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidArgumentError);
          return;
        }
        expect(ctx.name).toBe("webgpu");
        expect(Array.from((await out.data()) as Float32Array)).toEqual([0]);
        out.dispose();
      } finally {
        p.dispose();
        i.dispose();
      }
    });
  });
}
