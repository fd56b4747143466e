/**
 * String tensors live on the host (WGSL has no strings), so the kernels that accept "any dtype" do
 * their string case here, on JS arrays: Transpose, Slice, Pad, Tile, Concat, Gather, Where, and
 * Equal/NotEqual (whose bool result goes to the GPU like any other). Gather and Where need their
 * int32/bool operand from the GPU synchronously: fine in Node, a NotImplementedError in browsers.
 */
import type { DataId, DType, Kernels, OutSpec, TensorInfo } from "@tessera/core/kernel";
import { NotImplementedError } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import type { GpuData } from "../data.js";
import { sizeOf, strides } from "./common.js";

function strs(t: TensorInfo): string[] {
  return (t.dataId as GpuData).strings!;
}

function coords(i: number, shape: readonly number[], out: number[]): void {
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
}

/** out[i] = x[f(coords of i in out.shape)], with f giving an input flat index or −1 for `fill`. */
function gatherHost(x: readonly string[], out: readonly number[], index: (c: readonly number[]) => number, fill = ""): string[] {
  const n = sizeOf(out);
  const res = new Array<string>(n);
  const c = new Array<number>(out.length).fill(0);
  for (let i = 0; i < n; i++) {
    coords(i, out, c);
    const at = index(c);
    res[i] = at < 0 ? fill : x[at]!;
  }
  return res;
}

function broadcastIndex(shape: readonly number[]): (c: readonly number[]) => number {
  const st = strides(shape);
  return (c) => c.reduce((acc, v, d) => acc + (shape[d] === 1 ? 0 : v * st[d]!), 0);
}

function syncValues(b: WebGPUBackend, t: TensorInfo, op: string): ArrayLike<number> {
  if (b.syncReadUnavailable !== null) {
    throw new NotImplementedError(
      `${op} on string tensors reads its ${t.dtype} operand on the host, which needs a synchronous GPU read, unavailable here (${b.syncReadUnavailable}) [Op:${op}]`,
    );
  }
  return b.readSync(t.dataId, t.dtype, sizeOf(t.shape)) as ArrayLike<number>;
}

type AnyKernel = (inputs: readonly TensorInfo[], attrs: never, out: OutSpec) => DataId;

/** Wraps the GPU kernels that accept strings so that string inputs take the host path. */
export function withStringKernels(b: WebGPUBackend, k: Partial<Kernels>): Partial<Kernels> {
  const put = (out: OutSpec, values: string[]): DataId => b.write(values, out.shape, "string");
  const wrap = <K extends keyof Kernels>(name: K, isString: (inputs: readonly TensorInfo[]) => boolean, host: Kernels[K]): void => {
    const gpu = k[name] as AnyKernel | undefined;
    if (!gpu) return;
    const h = host as unknown as AnyKernel;
    (k as Record<string, AnyKernel>)[name] = (inputs, attrs, out) => (isString(inputs) ? h(inputs, attrs, out) : gpu(inputs, attrs, out));
  };
  const first = (inputs: readonly TensorInfo[]): boolean => inputs[0]?.dtype === "string";

  wrap("Transpose", first, (inputs, attrs, out) => {
    const st = strides(inputs[0].shape);
    return put(out, gatherHost(strs(inputs[0]), out.shape, (c) => c.reduce((acc, v, d) => acc + v * st[attrs.perm[d]!]!, 0)));
  });
  wrap("Slice", first, (inputs, attrs, out) => {
    const st = strides(inputs[0].shape);
    return put(out, gatherHost(strs(inputs[0]), out.shape, (c) => c.reduce((acc, v, d) => acc + (v + attrs.begin[d]!) * st[d]!, 0)));
  });
  wrap("Pad", first, (inputs, attrs, out) => {
    const shape = inputs[0].shape;
    const st = strides(shape);
    return put(out, gatherHost(strs(inputs[0]), out.shape, (c) => {
      let at = 0;
      for (let d = 0; d < c.length; d++) {
        const v = c[d]! - attrs.paddings[d]![0];
        if (v < 0 || v >= shape[d]!) return -1;
        at += v * st[d]!;
      }
      return at;
    }));
  });
  wrap("Tile", first, (inputs, _attrs, out) => {
    const shape = inputs[0].shape;
    const st = strides(shape);
    return put(out, gatherHost(strs(inputs[0]), out.shape, (c) => c.reduce((acc, v, d) => acc + (v % shape[d]!) * st[d]!, 0)));
  });
  wrap("Concat", first, (inputs, _attrs, out) => {
    const outer = out.shape[0] ?? 1;
    const res: string[] = [];
    for (let o = 0; o < outer; o++) {
      for (const t of inputs) {
        const inner = t.shape[1] ?? 1;
        res.push(...strs(t).slice(o * inner, (o + 1) * inner));
      }
    }
    return put(out, res);
  });
  wrap("Gather", first, (inputs, _attrs, out) => {
    const [x, idx] = inputs;
    const [, n] = x.shape as [number, number, number];
    const at = syncValues(b, idx, "Gather");
    const xs = strs(x);
    return put(out, gatherHost(xs, out.shape, ([o, j, i]) => {
      const v = at[j!]!;
      return v < 0 || v >= n ? -1 : (o! * n + v) * x.shape[2]! + i!;
    }));
  });
  wrap("Where", (inputs) => inputs[1]?.dtype === "string", (inputs, _attrs, out) => {
    const [c, x, y] = inputs;
    const cond = syncValues(b, c, "Where");
    const ci = broadcastIndex(c.shape);
    const xi = broadcastIndex(x.shape);
    const yi = broadcastIndex(y.shape);
    const xs = strs(x);
    const ys = strs(y);
    const n = sizeOf(out.shape);
    const res = new Array<string>(n);
    const co = new Array<number>(out.shape.length).fill(0);
    for (let i = 0; i < n; i++) {
      coords(i, out.shape, co);
      res[i] = cond[ci(co)] ? xs[xi(co)]! : ys[yi(co)]!;
    }
    return put(out, res);
  });
  for (const name of ["Equal", "NotEqual"] as const) {
    wrap(name, first, (inputs, _attrs, out) => {
      const [x, y] = inputs;
      const xi = broadcastIndex(x.shape);
      const yi = broadcastIndex(y.shape);
      const xs = strs(x);
      const ys = strs(y);
      const n = sizeOf(out.shape);
      const res = new Uint8Array(n);
      const co = new Array<number>(out.shape.length).fill(0);
      for (let i = 0; i < n; i++) {
        coords(i, out.shape, co);
        res[i] = (xs[xi(co)] === ys[yi(co)]) === (name === "Equal") ? 1 : 0;
      }
      return b.write(res, out.shape, "bool" as DType);
    });
  }
  return k;
}
