/**
 * Binary elementwise kernels: the WGSL expression of each op on two values (broadcasting is done by
 * the indexing in fusion.ts). Float comparisons test NaN on the bits, since WGSL lets compilers
 * assume there are no NaNs.
 */
import type { BinaryKernelName, DType } from "@tessera/core/kernel";
import { BINARY_SPECS, kernelDtypeError } from "@tessera/core/kernel";
import type { HelperSet } from "../wgsl.js";

/** The dtype `op` produces from inputs of `dtype`, as its op-table entry declares. */
export function binaryOutDtype(op: BinaryKernelName, dtype: DType): DType {
  return BINARY_SPECS[op].out(dtype);
}

function floatCompare(cmp: string, a: string, b: string, h: HelperSet): string {
  const nan = h.special("f_isnan");
  return `(!${nan}(${a}) && !${nan}(${b}) && (${a} ${cmp} ${b}))`;
}

/** The WGSL expression of `op` on values `a`, `b` of `dtype`. */
export function binaryExpr(op: BinaryKernelName, dtype: DType, a: string, b: string, h: HelperSet): string {
  if (dtype === "float64") {
    // Exact soft-float (wgsl-f64.ts).
    switch (op) {
      case "Add": return `${h.call("d_add")}(${a}, ${b})`;
      case "Sub": h.use("d_add"); return `d_sub(${a}, ${b})`;
      case "Mul": return `${h.call("d_mul")}(${a}, ${b})`;
      case "Div": return `${h.call("d_div")}(${a}, ${b})`;
      case "FloorDiv": h.use("d_div"); h.use("d_round"); return `d_floor(d_div(${a}, ${b}))`;
      case "FloorMod": return `${h.call("d_floormod")}(${a}, ${b})`;
      case "Pow": return `${h.call("dm_pow")}(${a}, ${b})`;
      case "Atan2": return `${h.call("dm_atan2")}(${a}, ${b})`;
      case "Maximum": h.use("d_cmp"); return `d_max(${a}, ${b})`;
      case "Minimum": h.use("d_cmp"); return `d_min(${a}, ${b})`;
      case "Equal": h.use("d_cmp"); return `d_eq(${a}, ${b})`;
      case "NotEqual": h.use("d_cmp"); return `(!d_eq(${a}, ${b}))`;
      case "Less": h.use("d_cmp"); return `d_lt(${a}, ${b})`;
      case "LessEqual": h.use("d_cmp"); return `d_le(${a}, ${b})`;
      case "Greater": h.use("d_cmp"); return `d_lt(${b}, ${a})`;
      case "GreaterEqual": h.use("d_cmp"); return `d_le(${b}, ${a})`;
      default: break;
    }
  } else if (dtype === "complex64") {
    const eq = (): string => `(${floatCompare("==", `${a}.x`, `${b}.x`, h)} && ${floatCompare("==", `${a}.y`, `${b}.y`, h)})`;
    switch (op) {
      case "Add": return `(${a} + ${b})`;
      case "Sub": return `(${a} - ${b})`;
      case "Mul": return `${h.call("c_mul")}(${a}, ${b})`;
      case "Div": return `${h.call("c_div")}(${a}, ${b})`;
      case "Equal": return eq();
      case "NotEqual": return `(!${eq()})`;
      default: break;
    }
  } else if (dtype === "float32") {
    switch (op) {
      case "Add": return `(${a} + ${b})`;
      case "Sub": return `(${a} - ${b})`;
      case "Mul": return `(${a} * ${b})`;
      case "Div": return `${h.call("f_div")}(${a}, ${b})`;
      case "FloorDiv": return `${h.call("f_floordiv")}(${a}, ${b})`;
      case "FloorMod": return `${h.call("f_floormod")}(${a}, ${b})`;
      case "Pow": return `${h.call("f_pow")}(${a}, ${b})`;
      case "Atan2": return `${h.call("f_atan2")}(${a}, ${b})`;
      case "Maximum": return `${h.call("f_max")}(${a}, ${b})`;
      case "Minimum": return `${h.call("f_min")}(${a}, ${b})`;
      case "Equal": return floatCompare("==", a, b, h);
      case "NotEqual": return `(!${floatCompare("==", a, b, h)})`;
      case "Less": return floatCompare("<", a, b, h);
      case "LessEqual": return floatCompare("<=", a, b, h);
      case "Greater": return floatCompare(">", a, b, h);
      case "GreaterEqual": return floatCompare(">=", a, b, h);
      default: break;
    }
  } else if (dtype === "int32") {
    switch (op) {
      case "Add": return `(${a} + ${b})`;
      case "Sub": return `(${a} - ${b})`;
      case "Mul": return `(${a} * ${b})`;
      case "FloorDiv": return `${h.call("i_floordiv")}(${a}, ${b})`;
      case "FloorMod": return `${h.call("i_floormod")}(${a}, ${b})`;
      case "Pow": return `${h.call("i_pow")}(${a}, ${b})`;
      case "Maximum": return `max(${a}, ${b})`;
      case "Minimum": return `min(${a}, ${b})`;
      case "Equal": return `(${a} == ${b})`;
      case "NotEqual": return `(${a} != ${b})`;
      case "Less": return `(${a} < ${b})`;
      case "LessEqual": return `(${a} <= ${b})`;
      case "Greater": return `(${a} > ${b})`;
      case "GreaterEqual": return `(${a} >= ${b})`;
      default: break;
    }
  } else if (dtype === "bool") {
    switch (op) {
      case "Equal": return `(${a} == ${b})`;
      case "NotEqual": return `(${a} != ${b})`;
      case "LogicalAnd": return `(${a} && ${b})`;
      case "LogicalOr": return `(${a} || ${b})`;
      default: break;
    }
  }
  throw kernelDtypeError(op, dtype, "webgpu");
}
