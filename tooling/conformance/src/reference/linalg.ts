/** Float64 reference for batched matmul with broadcast batch dimensions and transposes. */
import type { Expected } from "../compare.js";
import type { HostTensor } from "../host.js";
import { sizeOf } from "../host.js";
import { roundTo, wrap32 } from "./elementwise.js";
import { broadcastShape, broadcastSource } from "./indexing.js";

export function matmulRef(a: HostTensor, b: HostTensor, transposeA: boolean, transposeB: boolean): Expected {
  const ra = a.shape.length, rb = b.shape.length;
  const [ar, ac] = [a.shape[ra - 2]!, a.shape[ra - 1]!];
  const [br, bc] = [b.shape[rb - 2]!, b.shape[rb - 1]!];
  const m = transposeA ? ac : ar;
  const k = transposeA ? ar : ac;
  const n = transposeB ? br : bc;
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const batch = broadcastShape(batchA, batchB)!;
  const srcA = broadcastSource(batch, batchA), srcB = broadcastSource(batch, batchB);
  const av = a.data as number[], bv = b.data as number[];
  // Element (i, p) of op(A) in batch t, and (p, j) of op(B).
  const A = (t: number, i: number, p: number) => srcA[t]! * ar * ac + (transposeA ? p * ac + i : i * ac + p);
  const B = (t: number, p: number, j: number) => srcB[t]! * br * bc + (transposeB ? j * bc + p : p * bc + j);
  const shape = [...batch, m, n];
  const data: number[] = [];
  const scale: number[] = [];
  const nb = sizeOf(batch);
  for (let t = 0; t < nb; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        if (a.dtype === "int32") {
          let s = 0n;
          for (let p = 0; p < k; p++) s += BigInt(av[A(t, i, p)]!) * BigInt(bv[B(t, p, j)]!);
          data.push(wrap32(s));
        } else if (a.dtype === "complex64") {
          let re = 0, im = 0, s = 0;
          for (let p = 0; p < k; p++) {
            const x = 2 * A(t, i, p), y = 2 * B(t, p, j);
            re += av[x]! * bv[y]! - av[x + 1]! * bv[y + 1]!;
            im += av[x]! * bv[y + 1]! + av[x + 1]! * bv[y]!;
            s += Math.hypot(av[x]!, av[x + 1]!) * Math.hypot(bv[y]!, bv[y + 1]!);
          }
          data.push(Math.fround(re), Math.fround(im));
          scale.push(s);
        } else {
          let s = 0, mag = 0;
          for (let p = 0; p < k; p++) {
            const prod = av[A(t, i, p)]! * bv[B(t, p, j)]!;
            s += prod;
            mag += Math.abs(prod);
          }
          data.push(roundTo(a.dtype, s));
          scale.push(mag);
        }
      }
    }
  }
  return a.dtype === "int32" ? { dtype: "int32", shape, data } : { dtype: a.dtype, shape, data, scale };
}
