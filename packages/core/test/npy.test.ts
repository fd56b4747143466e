import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "../src/index.js";
import { useHostBackend } from "./helpers/host-backend.js";

beforeAll(async () => {
  await useHostBackend();
});

type Num = number | "nan" | "inf" | "-inf" | "-0";
interface ValidCase {
  file: string;
  dtype: tf.DType;
  shape: number[];
  values: (Num | boolean | [Num, Num])[];
  native: boolean;
}
interface ErrorCase {
  file: string;
  error: string;
}

const fixtures = new URL("./fixtures/npy/", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL("manifest.json", fixtures), "utf8")) as { numpy: string; cases: (ValidCase | ErrorCase)[] };
const valid = manifest.cases.filter((c): c is ValidCase => "dtype" in c);
const invalid = manifest.cases.filter((c): c is ErrorCase => "error" in c);
const fileBytes = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));

function num(v: Num): number {
  return v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "-0" ? -0 : v;
}

/** The storage Tessera should hold for a case's expected values. */
function expectedStorage(c: ValidCase): number[] {
  if (c.dtype === "bool") return c.values.map((v) => (v ? 1 : 0));
  if (c.dtype === "complex64") return (c.values as [Num, Num][]).flatMap(([re, im]) => [num(re), num(im)]);
  return (c.values as Num[]).map(num);
}

describe("decodeNpy on files written by NumPy", () => {
  it("has fixtures", () => {
    expect(valid.length).toBeGreaterThan(30);
    expect(invalid.length).toBeGreaterThan(15);
  });

  it.each(valid.map((c) => [c.file, c] as const))("%s", (_name, c) => {
    const t = tf.io.decodeNpy(fileBytes(c.file));
    try {
      expect(t.dtype).toBe(c.dtype);
      expect(t.shape).toEqual(c.shape);
      const got = Array.from(t.dataSync() as Float64Array);
      const want = expectedStorage(c);
      expect(got.length).toBe(want.length);
      // Object.is tells -0 from 0 and matches NaN.
      got.forEach((g, i) => expect(Object.is(g, want[i]) || g === want[i], `element ${i}: ${g} vs ${want[i]}`).toBe(true));
    } finally {
      t.dispose();
    }
  });

  it.each(invalid.map((c) => [c.file, c] as const))("%s is refused with a clear ValueError", (_name, c) => {
    let err: unknown;
    try {
      tf.io.decodeNpy(fileBytes(c.file)).dispose();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(tf.errors.ValueError);
    expect((err as Error).message).toMatch(/^decodeNpy: /);
    expect((err as Error).message).toContain(c.error);
  });
});

describe("encodeNpy", () => {
  it.each(valid.filter((c) => c.native).map((c) => [c.file, c] as const))("writes exactly what np.save wrote: %s", (_name, c) => {
    const bytes = fileBytes(c.file);
    const t = tf.io.decodeNpy(bytes);
    try {
      expect(tf.io.encodeNpy(t)).toEqual(bytes);
    } finally {
      t.dispose();
    }
  });

  it("round-trips every dtype and rank", async () => {
    const inputs: tf.Tensor[] = [
      tf.constant(true),
      tf.constant([[true, false], [false, true]]),
      tf.constant(-5),
      tf.constant([[1, 2, 3], [4, 5, 6]]),
      tf.constant([1.5, NaN, -Infinity]),
      tf.constant(new Float64Array([Math.PI, -1e-310])),
      tf.constant([{ re: 1, im: -1 }, { re: 0.5, im: 2 }]),
      tf.constant([], { shape: [2, 0, 3] }),
      tf.constant(1, { shape: [1, 1, 1, 1, 2], dtype: "float64" }),
    ];
    for (const t of inputs) {
      const bytes = tf.io.encodeNpy(t);
      expect(await tf.io.encodeNpyAsync(t)).toEqual(bytes);
      const back = tf.io.decodeNpy(bytes);
      expect(back.dtype).toBe(t.dtype);
      expect(back.shape).toEqual(t.shape);
      expect(back.dataSync()).toEqual(t.dataSync());
      back.dispose();
      t.dispose();
    }
  });

  it("accepts plain values, frees what it converted, and headers are 64-byte aligned", () => {
    const before = tf.memory().numTensors;
    const bytes = tf.io.encodeNpy([[1, 2], [3, 4]]);
    expect(tf.memory().numTensors).toBe(before);
    const hlen = bytes[8]! | (bytes[9]! << 8);
    expect((10 + hlen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + hlen));
    expect(header).toMatch(/^\{'descr': '<i4', 'fortran_order': False, 'shape': \(2, 2\), \} +\n$/);
    expect(bytes.length).toBe(10 + hlen + 16);
  });

  it("writes format 2.0 when the header does not fit 1.0", () => {
    const shape = new Array<number>(22000).fill(1);
    const t = tf.constant(0, { shape, dtype: "int32" });
    const bytes = tf.io.encodeNpy(t);
    expect(bytes[6]).toBe(2);
    // NumPy writes such a file but refuses to read it back (header over 10,000 bytes); so does Tessera.
    expect(() => tf.io.decodeNpy(bytes)).toThrow(/the header declares 66100 bytes, more than the 10000 NumPy reads/);
    t.dispose();
  });

  it("refuses string tensors", () => {
    const s = tf.constant(["a"]);
    expect(() => tf.io.encodeNpy(s)).toThrow(tf.errors.DtypeError);
    s.dispose();
  });
});

describe("decodeNpy inputs", () => {
  it("takes an ArrayBuffer or an unaligned view", () => {
    const bytes = tf.io.encodeNpy(tf.constant(new Float64Array([1.25, -2])));
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    for (const input of [bytes.buffer, shifted.subarray(3), new DataView(shifted.buffer, 3)]) {
      const t = tf.io.decodeNpy(input as ArrayBuffer);
      expect(Array.from(t.dataSync() as Float64Array)).toEqual([1.25, -2]);
      t.dispose();
    }
    expect(() => tf.io.decodeNpy("x" as unknown as Uint8Array)).toThrow(/expected a Uint8Array/);
  });
});

describe("saveNpy / loadNpy (Node)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-npy-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("round-trips through a file", async () => {
    const t = tf.constant([[1.5, 2.5]], "float64");
    const path = join(dir, "a.npy");
    await tf.io.saveNpy(path, t);
    const back = await tf.io.loadNpy(path);
    expect(back.dtype).toBe("float64");
    expect(back.arraySync()).toEqual([[1.5, 2.5]]);
    back.dispose();
    t.dispose();
    await expect(tf.io.loadNpy(join(dir, "missing.npy"))).rejects.toThrow(/missing\.npy does not exist/);
  });

  // NumPy itself reads what Tessera writes (python3 with numpy is part of the dev machine).
  const python = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
  it.skipIf(python.status !== 0)("np.load reads Tessera's files", async () => {
    const tensors: Record<string, tf.Tensor> = {
      b: tf.constant([[true], [false]]),
      i: tf.constant([[-1, 2, 3]]),
      f: tf.constant([0.1, -2.5]),
      d: tf.constant(new Float64Array([Math.PI])),
      c: tf.constant({ re: 1, im: -2 }),
    };
    for (const [k, t] of Object.entries(tensors)) await tf.io.saveNpy(join(dir, `${k}.npy`), t);
    const script = `
import json, sys, numpy as np
out = {}
for k in "bifdc":
    a = np.load(sys.argv[1] + "/" + k + ".npy")
    v = a.tolist()
    if a.dtype.kind == "c":
        v = [a.real.item(), a.imag.item()]
    out[k] = [str(a.dtype), list(a.shape), v]
print(json.dumps(out))
`;
    const r = spawnSync("python3", ["-c", script, dir], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      b: ["bool", [2, 1], [[true], [false]]],
      i: ["int32", [1, 3], [[-1, 2, 3]]],
      f: ["float32", [2], [Math.fround(0.1), -2.5]],
      d: ["float64", [1], [Math.PI]],
      c: ["complex64", [], [1, -2]],
    });
    for (const t of Object.values(tensors)) t.dispose();
  });
});
