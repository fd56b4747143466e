/**
 * The Python-slicing helper `t.get("1:, ::-1, newaxis")`: a string holding what would go between
 * Python's square brackets, parsed into `tf.stridedSlice`'s begin/end/strides and masks.
 */
import { ValueError, opMessage } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import type { StridedSliceOptions } from "./strided-slice.js";
import { stridedSlice } from "./strided-slice.js";

/** `tf.stridedSlice`'s arguments for one subscript string. */
export interface ParsedSliceSpec {
  readonly begin: number[];
  readonly end: number[];
  readonly strides: number[];
  readonly options: Required<StridedSliceOptions>;
}

const INT = /^[+-]?\d+$/;

function fail(spec: string, why: string): never {
  throw new ValueError(opMessage("StridedSlice", `Tensor.get(${JSON.stringify(spec)}): ${why}. Write items separated by commas: an integer, start:stop or start:stop:step (each part optional), '...', or 'newaxis'`));
}

function parseInt32(spec: string, text: string, what: string): number {
  if (!INT.test(text)) fail(spec, `${what} ${JSON.stringify(text)} is not an integer`);
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) fail(spec, `${what} ${text} is outside the 32-bit integer range`);
  return v;
}

/**
 * Parses a Python subscript (`"1:, ::-1, newaxis"`, `"..., 0"`, `"-1"`) into stridedSlice's arguments.
 * Items: an integer `i` (picks index i and removes the axis), a slice `start:stop` or
 * `start:stop:step` (each part may be left out), `...` (at most once), and `newaxis` (or Python's
 * `None`). An empty string selects everything. Anything else raises `ValueError`.
 */
export function parseSliceSpec(spec: string): ParsedSliceSpec {
  if (typeof spec !== "string") throw new ValueError(opMessage("StridedSlice", `Tensor.get expects a string such as "1:, ::-1", got ${typeof spec}`));
  const begin: number[] = [], end: number[] = [], strides: number[] = [];
  const options = { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 };
  if (spec.trim() === "") return { begin, end, strides, options };
  const items = spec.split(",").map((s) => s.trim());
  if (items.length > 32) fail(spec, `${items.length} items; at most 32 are supported`);
  items.forEach((item, i) => {
    const flag = 2 ** i;
    if (item === "") fail(spec, `item ${i + 1} is empty`);
    if (item === "...") {
      if (options.ellipsisMask !== 0) fail(spec, "an index can only have a single ellipsis ('...')");
      options.ellipsisMask += flag;
      begin.push(0); end.push(0); strides.push(1);
    } else if (item === "newaxis" || item === "tf.newaxis" || item === "None") {
      options.newAxisMask += flag;
      begin.push(0); end.push(0); strides.push(1);
    } else if (item.includes(":")) {
      const parts = item.split(":").map((s) => s.trim());
      if (parts.length > 3) fail(spec, `item ${JSON.stringify(item)} has more than two ':'`);
      const [start = "", stop = "", step = ""] = parts;
      const st = step === "" ? 1 : parseInt32(spec, step, "step");
      if (st === 0) fail(spec, `item ${JSON.stringify(item)}: slice step cannot be zero`);
      if (start === "") options.beginMask += flag;
      if (stop === "") options.endMask += flag;
      begin.push(start === "" ? 0 : parseInt32(spec, start, "start"));
      end.push(stop === "" ? 0 : parseInt32(spec, stop, "stop"));
      strides.push(st);
    } else {
      const v = parseInt32(spec, item, "index");
      options.shrinkAxisMask += flag;
      begin.push(v); end.push(v + 1); strides.push(1);
    }
  });
  return { begin, end, strides, options };
}

/** `x[spec]` with Python's subscript syntax, through `tf.stridedSlice` (see `parseSliceSpec`). */
export function getBySpec(x: Tensor, spec: string): Tensor {
  const p = parseSliceSpec(spec);
  return stridedSlice(x, p.begin, p.end, p.strides, p.options);
}
