/**
 * Bad inputs on this backend: the right error class and message, inputs left as they were, no tensor
 * leaked. Plus dtypes the backend cannot hold, and exact memory accounting over long loops.
 */
import { describe, expect } from "vitest";
import * as tf from "@tessera/core";
import { ALL_DTYPES } from "@tessera/core/kernel";
import type { KernelName } from "@tessera/core/kernel";
import { KERNEL_NAMES } from "@tessera/core/kernel";
import type { ConformanceContext } from "../context.js";
import { runKernelDirect } from "../direct.js";
import type { HostTensor } from "../host.js";
import { expectOpError, host, memorySnapshot } from "../host.js";
import { probe } from "./completeness.js";

const { InvalidArgumentError, ValueError, DtypeError } = tf.errors;

type ErrorClass = abstract new (...args: never[]) => Error;

interface BadCase {
  title: string;
  inputs: HostTensor[];
  run: (...ts: tf.Tensor[]) => unknown;
  error: ErrorClass;
  message: RegExp;
}

const f32 = (shape: number[], data: number[]) => host("float32", shape, data);

const CASES: BadCase[] = [
  { title: "add of incompatible shapes", inputs: [f32([2], [1, 2]), f32([3], [1, 2, 3])], run: (a, b) => tf.add(a!, b!), error: InvalidArgumentError, message: /^Incompatible shapes: \[2\] vs\. \[3\] \[Op:Add\]$/ },
  { title: "multiply of incompatible ranks", inputs: [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([2, 2], [1, 2, 3, 4])], run: (a, b) => tf.multiply(a!, b!), error: InvalidArgumentError, message: /Incompatible shapes: \[2,3\] vs\. \[2,2\] \[Op:Mul\]/ },
  { title: "add of int32 and float32", inputs: [host("int32", [2], [1, 2]), f32([2], [1, 2])], run: (a, b) => tf.add(a!, b!), error: DtypeError, message: /int32.*float32.*\[Op:Add\]$|float32.*int32.*\[Op:Add\]$/ },
  { title: "sqrt of int32", inputs: [host("int32", [2], [1, 4])], run: (a) => tf.sqrt(a!), error: DtypeError, message: /int32.*\[Op:Sqrt\]$/ },
  { title: "logicalAnd of float32", inputs: [f32([2], [1, 0]), f32([2], [0, 1])], run: (a, b) => tf.logicalAnd(a!, b!), error: DtypeError, message: /float32.*\[Op:LogicalAnd\]$/ },
  { title: "matmul with mismatched inner dimensions", inputs: [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([2, 3], [1, 2, 3, 4, 5, 6])], run: (a, b) => tf.matmul(a!, b!), error: InvalidArgumentError, message: /^Matrix size-incompatible: In\[0\]: \[2,3\], In\[1\]: \[2,3\] \[Op:MatMul\]$/ },
  { title: "matmul of a vector", inputs: [f32([3], [1, 2, 3]), f32([3, 1], [1, 2, 3])], run: (a, b) => tf.matmul(a!, b!), error: InvalidArgumentError, message: /rank >= 2.*\[3\].*\[3,1\] \[Op:MatMul\]$/ },
  { title: "reshape to a different size", inputs: [f32([2, 3], [1, 2, 3, 4, 5, 6])], run: (a) => tf.reshape(a!, [4]), error: InvalidArgumentError, message: /tensor with 6 values.*4.*\[Op:Reshape\]$/ },
  { title: "concat of mismatched shapes", inputs: [f32([2, 2], [1, 2, 3, 4]), f32([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9])], run: (a, b) => tf.concat([a!, b!], 0), error: InvalidArgumentError, message: /\[2,2\].*\[3,3\] \[Op:ConcatV2\]$/ },
  { title: "transpose with a bad permutation", inputs: [f32([2, 3], [1, 2, 3, 4, 5, 6])], run: (a) => tf.transpose(a!, [0, 0]), error: InvalidArgumentError, message: /\[Op:Transpose\]$/ },
  { title: "slice out of range", inputs: [f32([3], [1, 2, 3])], run: (a) => tf.slice(a!, [2], [2]), error: InvalidArgumentError, message: /\[Op:Slice\]$/ },
  { title: "conv2d with mismatched depth", inputs: [f32([1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), f32([1, 1, 3, 1], [1, 2, 3])], run: (x, f) => tf.nn.conv2d(x!, f!, 1, "VALID"), error: InvalidArgumentError, message: /depth.*2 vs 3.*\[Op:Conv2D\]$/ },
  { title: "maxPool2d of a rank-3 input", inputs: [f32([2, 2, 1], [1, 2, 3, 4])], run: (x) => tf.nn.maxPool2d(x!, 2, 1, "VALID"), error: InvalidArgumentError, message: /4-dimensional.*\[2,2,1\] \[Op:MaxPool\]$/ },
  { title: "argmax over an empty axis", inputs: [f32([2, 0], [])], run: (x) => tf.argmax(x!, 1), error: InvalidArgumentError, message: /\[Op:ArgMax\]$/ },
  { title: "gather with float indices", inputs: [f32([3], [1, 2, 3]), f32([1], [0])], run: (x, i) => tf.gather(x!, i!), error: DtypeError, message: /float32.*\[Op:GatherV2\]$/ },
  { title: "reduceSum over a repeated axis", inputs: [f32([2, 2], [1, 2, 3, 4])], run: (x) => tf.reduceSum(x!, { axis: [1, -1] }), error: InvalidArgumentError, message: /^Invalid reduction arguments: Axes contains duplicate dimension: 1 \[Op:Sum\]$/ },
  { title: "reduceMean over a repeated axis", inputs: [f32([2, 2], [1, 2, 3, 4])], run: (x) => tf.reduceMean(x!, { axis: [0, 0] }), error: InvalidArgumentError, message: /^Invalid reduction arguments: Axes contains duplicate dimension: 0 \[Op:Mean\]$/ },
  { title: "reduceSum over an axis out of range", inputs: [f32([2, 2], [1, 2, 3, 4])], run: (x) => tf.reduceSum(x!, { axis: 2 }), error: InvalidArgumentError, message: /axis 2 is out of range.*\[Op:Sum\]$/ },
  { title: "a ragged nested array", inputs: [f32([2], [1, 2])], run: (x) => tf.add(x!, [[1, 2], [3]] as unknown as number[][]), error: ValueError, message: /non-rectangular/ },
  { title: "a non-integer into an int32 op", inputs: [host("int32", [2], [1, 2])], run: (x) => tf.add(x!, 1.5), error: DtypeError, message: /1\.5.*int32/ },
];

export function describeErrors(ctx: ConformanceContext): void {
  describe("bad inputs", () => {
    for (const c of CASES) {
      ctx.test(`${c.title} throws ${c.error.name}, leaving inputs and memory unchanged`, { kernels: [] }, async () => {
        const err = await expectOpError(c.inputs, c.run, c.error);
        expect(err.message).toMatch(c.message);
      });
    }

    ctx.test("a disposed tensor is rejected with ValueError", { kernels: [] }, async () => {
      const before = memorySnapshot();
      const t = tf.ones([2]);
      t.dispose();
      expect(() => tf.add(t, 1)).toThrow(ValueError);
      expect(() => t.dataSync()).toThrow(/disposed/);
      await expect(t.data()).rejects.toThrow(/disposed/);
      expect(memorySnapshot()).toEqual(before);
    });

    // TensorFlow's CPU kernels raise here; a backend whose kernels cannot raise (a GPU) gives 0 and documents it.
    for (const [name, a, b, message, run] of [
      ["FloorDiv", [7, 8, 9], [2, 0, 3], "Integer division by zero", (x: tf.Tensor, y: tf.Tensor) => tf.floorDiv(x, y)],
      ["FloorMod", [7, 8, 9], [2, 0, 3], "Integer division by zero", (x: tf.Tensor, y: tf.Tensor) => tf.mod(x, y)],
      ["Pow", [7, 8, 9], [2, -1, 3], "Integers to negative integer powers are not allowed", (x: tf.Tensor, y: tf.Tensor) => tf.pow(x, y)],
    ] as const) {
      ctx.test(`int32 ${name} ${message.toLowerCase()}: InvalidArgumentError as TensorFlow's CPU, or 0 where kernels cannot raise`, { kernels: [name], dtype: "int32" }, async () => {
        const before = memorySnapshot();
        const x = tf.constant(Int32Array.from(a)), y = tf.constant(Int32Array.from(b));
        try {
          let result: tf.Tensor | undefined;
          try {
            result = run(x, y);
          } catch (e) {
            expect(e).toBeInstanceOf(InvalidArgumentError);
            expect((e as Error).message).toBe(`${message} [Op:${name}]`);
          }
          if (result) {
            const got = Array.from(await result.data() as Int32Array);
            result.dispose();
            expect(got[1], `${name} on backend '${ctx.name}' neither raised nor gave 0`).toBe(0);
            ctx.coverage.note(`int32 ${name}: ${message.toLowerCase()} gives 0 instead of raising (kernels cannot raise here)`);
          }
          expect(Array.from(await x.data() as Int32Array)).toEqual(a);
        } finally {
          tf.dispose([x, y]);
        }
        expect(memorySnapshot()).toEqual(before);
      });
    }

    ctx.test("a kernel called with a dtype it does not take raises the shared DtypeError", { kernels: ["Exp"] }, async () => {
      const spec = { shape: [2], dtype: "int32" as const };
      let err: unknown;
      try {
        await runKernelDirect(ctx.backend, "Exp", [host("int32", [2], [1, 2])], {}, spec);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DtypeError);
      expect((err as Error).message).toBe(`dtype int32 is not supported for Exp on backend '${ctx.name}' [Op:Exp]`);
    });

    for (const dtype of ALL_DTYPES) {
      if (ctx.backend.dtypes.has(dtype)) continue;
      ctx.test(`dtype ${dtype}, which the backend does not hold, is refused with DtypeError`, { kernels: [] }, async () => {
        const before = memorySnapshot();
        expect(() => tf.zeros([2], dtype)).toThrow(DtypeError);
        expect(() => tf.zeros([2], dtype)).toThrow(new RegExp(`${dtype}.*${ctx.name}`));
        expect(memorySnapshot()).toEqual(before);
      });
    }
  });

  describe("memory", () => {
    ctx.test("tf.memory() counts tensors and bytes exactly; reshape shares its buffer", { kernels: ["Add"], dtype: "float32" }, async () => {
      const before = tf.memory();
      expect(before.backend).toBe(ctx.name);
      const a = tf.ones([3, 4]);
      expect(tf.memory().numTensors).toBe(before.numTensors + 1);
      expect(tf.memory().numBytes).toBe(before.numBytes + 48);
      const r = tf.reshape(a, [12]);
      expect(tf.memory().numTensors).toBe(before.numTensors + 2);
      expect(tf.memory().numBytes).toBe(before.numBytes + 48);
      const s = tf.add(r, 1);
      expect(tf.memory().numBytes).toBe(before.numBytes + 96);
      tf.dispose([a, r, s]);
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.memory().numBytes).toBe(before.numBytes);
    });

    ctx.test("no kernel leaks backend memory (every op run again after a warm-up)", { kernels: [] }, async () => {
      // Probes of dtypes the backend does not hold (e.g. complex64) throw: keep those that work.
      const probes = KERNEL_NAMES.filter((k) => ctx.implements(k)).map((k) => probe(k)).filter((p) => p !== null).filter((p) => {
        try {
          tf.tidy(() => void p!());
          return true;
        } catch {
          return false;
        }
      });
      const direct = async () => {
        const x = host("float32", [1, 2, 2, 1], [1, 2, 3, 4]);
        const pool = { ksize: [2, 2], strides: [1, 1], padTop: 0, padLeft: 0 };
        const conv = { strides: [1, 1], dilations: [1, 1], padTop: 0, padLeft: 0 };
        const one = host("float32", [1, 1, 1, 1], [1]);
        const calls: [KernelName, HostTensor[], object, { shape: number[]; dtype: "float32" }][] = [
          ["UnsortedSegmentSum", [host("float32", [1, 2, 1], [1, 2]), host("int32", [2], [0, 0])], { numSegments: 1 }, { shape: [1, 1, 1], dtype: "float32" }],
          ["MaxPoolGrad", [x, one], pool, { shape: [1, 2, 2, 1], dtype: "float32" }],
          ["AvgPoolGrad", [one], pool, { shape: [1, 2, 2, 1], dtype: "float32" }],
          ["Conv2DBackpropInput", [x, one], conv, { shape: [1, 2, 2, 1], dtype: "float32" }],
          ["Conv2DBackpropFilter", [x, x], conv, { shape: [1, 1, 1, 1], dtype: "float32" }],
        ];
        for (const [k, inputs, attrs, out] of calls) if (ctx.implements(k)) await runKernelDirect(ctx.backend, k, inputs, attrs, out);
      };
      const round = async () => {
        for (const p of probes) tf.tidy(() => void p!());
        await direct();
      };
      await round();
      const warm = ctx.backend.memory().numBytesInBackend;
      for (let i = 0; i < 3; i++) await round();
      // Pools may keep buffers, but running the same ops again must not need more.
      expect(ctx.backend.memory().numBytesInBackend).toBeLessThanOrEqual(warm);
    });

    ctx.test("a long loop of ops in tidy does not grow memory", { kernels: ["Add", "Mul", "Sum"], dtype: "float32" }, async () => {
      const a = tf.ones([16, 16]);
      const b = tf.fill([16, 16], 0.5);
      const step = () => tf.tidy(() => a.add(b).mul(b).reduceSum());
      const warm = step();
      warm.dispose();
      const after10 = { tf: tf.memory(), backend: ctx.backend.memory().numBytesInBackend };
      for (let i = 0; i < 200; i++) {
        const out = step();
        if (i % 50 === 0) expect((await out.data())[0]).toBe(16 * 16 * 0.75);
        out.dispose();
      }
      expect(tf.memory().numTensors).toBe(after10.tf.numTensors);
      expect(tf.memory().numBytes).toBe(after10.tf.numBytes);
      expect(ctx.backend.memory().numBytesInBackend).toBeLessThanOrEqual(after10.backend);
      tf.dispose([a, b]);
    });
  });
}
