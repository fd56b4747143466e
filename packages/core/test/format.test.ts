import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allocValues, type BackendValues, type DType } from "../src/dtypes.js";
import { formatTensor } from "../src/format/format.js";

interface GoldenCase {
  name: string;
  dtype: DType;
  shape: number[];
  data: (number | string)[] | { arange: [number, number] };
  str: string;
  repr: string;
}

const golden = JSON.parse(readFileSync(new URL("./fixtures/format-golden.json", import.meta.url), "utf8")) as {
  numpy: string;
  cases: GoldenCase[];
};

function parseFloatText(s: string): number {
  if (s === "nan") return NaN;
  if (s === "inf") return Infinity;
  if (s === "-inf") return -Infinity;
  return Number(s);
}

/** Rebuilds the backend storage a case describes (see make-format-golden.py for the encoding). */
function valuesOf(c: GoldenCase): BackendValues {
  const size = c.shape.reduce((a, b) => a * b, 1);
  if (!Array.isArray(c.data)) {
    const [start, step] = c.data.arange;
    const out = allocValues(c.dtype, size) as Int32Array | Float32Array | Float64Array | Uint8Array;
    for (let i = 0; i < size; i++) out[i] = i * step + start;
    return out;
  }
  if (c.dtype === "string") return [...(c.data as string[])];
  const out = allocValues(c.dtype, size) as Int32Array | Float32Array | Float64Array | Uint8Array;
  c.data.forEach((v, i) => {
    out[i] = typeof v === "string" ? parseFloatText(v) : v;
  });
  return out;
}

/** TensorFlow's `str(tensor)` around NumPy's str: multi-line text starts on its own line. */
function tfText(c: GoldenCase): string {
  const text = c.str.includes("\n") ? "\n" + c.str : c.str;
  const shape = c.shape.length === 1 ? `(${c.shape[0]},)` : `(${c.shape.join(", ")})`;
  return `tf.Tensor(${text}, shape=${shape}, dtype=${c.dtype})`;
}

describe(`formatTensor matches NumPy ${golden.numpy} (${golden.cases.length} golden cases)`, () => {
  it("has the golden cases", () => {
    expect(golden.cases.length).toBeGreaterThan(500);
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const values = valuesOf(c);
    expect(formatTensor(values, c.shape, c.dtype, "repr")).toBe(c.repr);
    expect(formatTensor(values, c.shape, c.dtype, "tensor")).toBe(tfText(c));
  });
});

describe("TensorFlow's printed examples", () => {
  const t = (values: BackendValues, shape: number[], dtype: DType): string => formatTensor(values, shape, dtype, "tensor");

  it("prints tensors as tf.Tensor(<numpy str>, shape=..., dtype=...)", () => {
    expect(t(new Int32Array([4, 6]), [2], "int32")).toBe("tf.Tensor([4 6], shape=(2,), dtype=int32)");
    expect(t(new Int32Array([25]), [], "int32")).toBe("tf.Tensor(25, shape=(), dtype=int32)");
    expect(t(new Float32Array([1]), [], "float32")).toBe("tf.Tensor(1.0, shape=(), dtype=float32)");
    expect(t(new Float64Array(9).fill(3), [3, 3], "float64")).toBe(
      "tf.Tensor(\n[[3. 3. 3.]\n [3. 3. 3.]\n [3. 3. 3.]], shape=(3, 3), dtype=float64)",
    );
    expect(t(new Float32Array([4, 3]), [], "complex64")).toBe("tf.Tensor((4+3j), shape=(), dtype=complex64)");
    expect(t(["hello"], [], "string")).toBe("tf.Tensor(b'hello', shape=(), dtype=string)");
    expect(t(["a", "bc"], [2], "string")).toBe("tf.Tensor([b'a' b'bc'], shape=(2,), dtype=string)");
    expect(t(new Uint8Array([1, 0]), [2], "bool")).toBe("tf.Tensor([ True False], shape=(2,), dtype=bool)");
  });

  it("prints NumPy reprs for Variables", () => {
    const r = (values: BackendValues, shape: number[], dtype: DType): string => formatTensor(values, shape, dtype, "repr");
    expect(r(new Int32Array([1, 2]), [2], "int32")).toBe("array([1, 2], dtype=int32)");
    expect(r(new Float32Array([1, 2]), [2], "float32")).toBe("array([1., 2.], dtype=float32)");
    expect(r(new Float64Array([1, 2]), [2], "float64")).toBe("array([1., 2.])");
    expect(r(new Int32Array([1, 2, 3, 4]), [2, 2], "int32")).toBe("array([[1, 2],\n       [3, 4]], dtype=int32)");
    expect(r(new Int32Array([5]), [], "int32")).toBe("array(5, dtype=int32)");
    expect(r(new Float32Array([1]), [], "float32")).toBe("array(1., dtype=float32)");
    expect(r(["a", "b"], [2], "string")).toBe("array([b'a', b'b'], dtype=object)");
    expect(r(new Float32Array(0), [0, 3], "float32")).toBe("array([], shape=(0, 3), dtype=float32)");
  });

  it("uses float32's own shortest digits", () => {
    expect(t(new Float32Array([0.1]), [], "float32")).toBe("tf.Tensor(0.1, shape=(), dtype=float32)");
    expect(t(new Float32Array([1 / 3]), [], "float32")).toBe("tf.Tensor(0.33333334, shape=(), dtype=float32)");
    expect(t(new Float64Array([1 / 3]), [], "float64")).toBe("tf.Tensor(0.3333333333333333, shape=(), dtype=float64)");
  });

  it("summarises a large tensor from its edges alone", () => {
    const n = 1000;
    const plain = new Float32Array(n * n).map((_, i) => (i % n) + Math.floor(i / n));
    const hidden = plain.slice();
    hidden[500 * n + 500] = NaN; // not shown, so it must not widen the columns
    hidden[3] = 1e30; // row 0, column 3: hidden by the summary too
    const text = formatTensor(hidden, [n, n], "float32", "tensor");
    expect(text).toBe(formatTensor(plain, [n, n], "float32", "tensor"));
    expect(text.split("\n")).toEqual([
      "tf.Tensor(",
      "[[0.000e+00 1.000e+00 2.000e+00 ... 9.970e+02 9.980e+02 9.990e+02]",
      " [1.000e+00 2.000e+00 3.000e+00 ... 9.980e+02 9.990e+02 1.000e+03]",
      " [2.000e+00 3.000e+00 4.000e+00 ... 9.990e+02 1.000e+03 1.001e+03]",
      " ...",
      " [9.970e+02 9.980e+02 9.990e+02 ... 1.994e+03 1.995e+03 1.996e+03]",
      " [9.980e+02 9.990e+02 1.000e+03 ... 1.995e+03 1.996e+03 1.997e+03]",
      " [9.990e+02 1.000e+03 1.001e+03 ... 1.996e+03 1.997e+03 1.998e+03]], shape=(1000, 1000), dtype=float32)",
    ]);
  });
});
