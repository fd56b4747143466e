/** Comparing a backend's result with the reference: exact for int32/bool/string, tolerant for floats. */
import type { Tolerance } from "./options.js";
import type { HostTensor } from "./host.js";
import { sizeOf } from "./host.js";

/** What the reference expects. */
export interface Expected extends HostTensor {
  /** Per element, a second acceptable value (e.g. a float32 quotient floored after rounding to float32). */
  alt?: (number | undefined)[];
  /** Per element, the magnitude of the terms the reference added up (see `Tolerance`). */
  scale?: number[];
}

function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    idx[d] = n === 0 ? 0 : i % n;
    i = n === 0 ? 0 : Math.floor(i / n);
  }
  return idx;
}

function fmt(v: number | string | undefined): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined) return "undefined";
  return Object.is(v, -0) ? "-0" : String(v);
}

function floatClose(g: number, w: number, tol: Tolerance, scale: number): boolean {
  if (w !== w) return g !== g;
  if (g !== g) return false;
  if (!Number.isFinite(w)) return g === w;
  if (!Number.isFinite(g)) return false;
  return Math.abs(g - w) <= tol.atol + tol.rtol * Math.max(Math.abs(w), scale);
}

/**
 * Throws a readable error when `got` does not match `want`. `tol` is required for float dtypes.
 * `context` describes the inputs; it is only built when something failed.
 */
export function assertMatches(got: HostTensor, want: Expected, tol: Tolerance | undefined, context: () => string): void {
  const head = () => `${context()}\n`;
  if (got.dtype !== want.dtype) throw new Error(`${head()}dtype: got ${got.dtype}, want ${want.dtype}`);
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
    throw new Error(`${head()}shape: got [${got.shape.join(",")}], want [${want.shape.join(",")}]`);
  }
  const size = sizeOf(want.shape);
  const slots = want.dtype === "complex64" ? 2 : 1;
  if (got.data.length !== size * slots || want.data.length !== size * slots) {
    throw new Error(`${head()}storage length: got ${got.data.length}, want ${want.data.length} (size ${size})`);
  }
  const bad: string[] = [];
  let nBad = 0;
  const report = (i: number, g: string, w: string, extra = "") => {
    nBad++;
    if (bad.length < 6) bad.push(`  at [${unravel(i, want.shape).join(",")}]: got ${g}, want ${w}${extra}`);
  };
  const isFloat = want.dtype === "float32" || want.dtype === "float64" || want.dtype === "complex64";
  if (isFloat && !tol) throw new Error("internal: a float comparison needs a tolerance");
  for (let i = 0; i < size; i++) {
    if (want.dtype === "complex64") {
      const gr = got.data[2 * i] as number, gi = got.data[2 * i + 1] as number;
      const wr = want.data[2 * i] as number, wi = want.data[2 * i + 1] as number;
      const scale = want.scale?.[i] ?? 0;
      let ok: boolean;
      if (!Number.isFinite(wr) || !Number.isFinite(wi)) {
        ok = floatClose(gr, wr, tol!, scale) && floatClose(gi, wi, tol!, scale);
      } else {
        const diff = Math.hypot(gr - wr, gi - wi);
        ok = diff <= tol!.atol + tol!.rtol * Math.max(Math.hypot(wr, wi), scale);
      }
      if (!ok) report(i, `${fmt(gr)}${gi < 0 || Object.is(gi, -0) ? "" : "+"}${fmt(gi)}i`, `${fmt(wr)}${wi < 0 ? "" : "+"}${fmt(wi)}i`);
      continue;
    }
    const g = got.data[i]!;
    const w = want.data[i]!;
    if (!isFloat) {
      if (g !== w) report(i, fmt(g), fmt(w));
      continue;
    }
    const scale = want.scale?.[i] ?? 0;
    const alt = want.alt?.[i];
    if (floatClose(g as number, w as number, tol!, scale)) continue;
    if (alt !== undefined && floatClose(g as number, alt, tol!, scale)) continue;
    const bound = tol!.atol + tol!.rtol * Math.max(Math.abs(w as number), scale);
    report(i, fmt(g), fmt(w), `${alt !== undefined ? ` (or ${fmt(alt)})` : ""}; |diff| ${fmt(Math.abs((g as number) - (w as number)))} > ${bound.toPrecision(3)}`);
  }
  if (nBad) {
    const tolText = tol ? ` (rtol ${tol.rtol}, atol ${tol.atol})` : "";
    throw new Error(`${head()}${nBad} of ${size} elements differ from the float64 reference${tolText}:\n${bad.join("\n")}`);
  }
}
