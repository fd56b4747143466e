/**
 * Unary elementwise kernels: the WGSL expression of each op on one value. The kernels themselves
 * run through the fused elementwise machinery (fusion.ts), so `exp(neg(x))` is one dispatch.
 */
import type { DType, UnaryKernelName } from "@tessera/core/kernel";
import { UNARY_SPECS, kernelDtypeError } from "@tessera/core/kernel";
import type { HelperSet } from "../wgsl.js";

/** The dtype `op` produces from `dtype`, as its op-table entry declares. */
export function unaryOutDtype(op: UnaryKernelName, dtype: DType): DType {
  return UNARY_SPECS[op].out(dtype);
}

/** The WGSL expression of `op` applied to the value `x` of `dtype`. */
export function unaryExpr(op: UnaryKernelName, dtype: DType, x: string, h: HelperSet): string {
  if (dtype === "float64") {
    // Exact soft-float (wgsl-f64.ts); elementary functions from wgsl-f64-math.ts.
    switch (op) {
      case "Exp": return `${h.call("dm_exp")}(${x})`;
      case "Log": return `${h.call("dm_log")}(${x})`;
      case "Log1p": return `${h.call("dm_log1p")}(${x})`;
      case "Sin": h.use("dm_trig"); return `dm_sin(${x})`;
      case "Cos": h.use("dm_trig"); return `dm_cos(${x})`;
      case "Tan": h.use("dm_trig"); h.use("d_div"); return `d_div(dm_sin(${x}), dm_cos(${x}))`;
      case "IsNan": h.use("d_core"); return `d_isnan(${x})`;
      case "Tanh": return `${h.call("dm_tanh")}(${x})`;
      case "Asin": return `${h.call("dm_asin")}(${x})`;
      case "Acos": return `${h.call("dm_acos")}(${x})`;
      case "Atan": return `${h.call("dm_atan")}(${x})`;
      case "Sinh": return `${h.call("dm_sinh")}(${x})`;
      case "Cosh": return `${h.call("dm_cosh")}(${x})`;
      case "Asinh": return `${h.call("dm_asinh")}(${x})`;
      case "Acosh": return `${h.call("dm_acosh")}(${x})`;
      case "Atanh": return `${h.call("dm_atanh")}(${x})`;
      case "Expm1": return `${h.call("dm_expm1")}(${x})`;
      case "Erf": return `${h.call("dm_erf")}(${x})`;
      case "Erfc": return `${h.call("dm_erfc")}(${x})`;
      case "Sigmoid": return `${h.call("dm_sigmoid")}(${x})`;
      case "Elu": return `${h.call("dm_elu")}(${x})`;
      case "Softplus": return `${h.call("dm_softplus")}(${x})`;
      case "Neg": return `${h.special64("d_neg")}(${x})`;
      case "Abs": return `${h.special64("d_abs")}(${x})`;
      case "Sign": return `${h.call("d_sign_of")}(${x})`;
      case "Square": return `${h.call("d_mul")}(${x}, ${x})`;
      case "Sqrt": return `${h.call("d_sqrt")}(${x})`;
      case "Rsqrt": h.use("d_div"); return `d_div(D_ONE, ${h.call("d_sqrt")}(${x}))`;
      case "Relu": h.use("d_cmp"); return `select(${x}, D_ZERO, d_lt(${x}, D_ZERO))`;
      case "Floor": h.use("d_round"); return `d_floor(${x})`;
      case "Ceil": h.use("d_round"); return `d_ceil(${x})`;
      case "Round": h.use("d_round"); return `d_round_even(${x})`;
      case "Reciprocal": h.use("d_div"); return `d_div(D_ONE, ${x})`;
      default: break;
    }
  } else if (dtype === "complex64") {
    switch (op) {
      case "Neg": return `(-${x})`;
      case "Square": return `${h.call("c_mul")}(${x}, ${x})`;
      case "Exp": return `${h.call("c_exp")}(${x})`;
      case "Log": return `${h.call("c_log")}(${x})`;
      case "Sqrt": return `${h.call("c_sqrt")}(${x})`;
      case "Reciprocal": return `${h.call("c_recip")}(${x})`;
      case "Abs": return `${h.call("f_hypot")}(${x}.x, ${x}.y)`;
      default: break;
    }
  } else if (dtype === "float32") {
    switch (op) {
      case "Neg": return `(-${x})`;
      case "Abs": return `abs(${x})`;
      case "Sign": return `${h.call("f_sign")}(${x})`;
      case "Square": return `(${x} * ${x})`;
      case "Sqrt": return `${h.call("f_sqrt")}(${x})`;
      case "Rsqrt": return `${h.call("f_rsqrt")}(${x})`;
      case "Exp": return `${h.call("f_exp")}(${x})`;
      case "Log": return `${h.call("f_log")}(${x})`;
      case "Log1p": return `${h.call("f_log1p")}(${x})`;
      case "Sin": return `${h.call("f_sin")}(${x})`;
      case "Cos": return `${h.call("f_cos")}(${x})`;
      // sin/cos are each within an ulp or so after range reduction, so the quotient keeps float32 accuracy.
      case "Tan": return `${h.call("f_div")}(${h.call("f_sin")}(${x}), ${h.call("f_cos")}(${x}))`;
      case "IsNan": return `${h.special("f_isnan")}(${x})`;
      case "Tanh": return `${h.call("f_tanh")}(${x})`;
      case "Asin": return `${h.call("f_asin")}(${x})`;
      case "Acos": return `${h.call("f_acos")}(${x})`;
      case "Atan": return `${h.call("f_atan")}(${x})`;
      case "Sinh": return `${h.call("f_sinh")}(${x})`;
      case "Cosh": return `${h.call("f_cosh")}(${x})`;
      case "Asinh": return `${h.call("f_asinh")}(${x})`;
      case "Acosh": return `${h.call("f_acosh")}(${x})`;
      case "Atanh": return `${h.call("f_atanh")}(${x})`;
      case "Expm1": return `${h.call("f_expm1")}(${x})`;
      case "Erf": return `${h.call("f_erf")}(${x})`;
      case "Erfc": return `${h.call("f_erfc")}(${x})`;
      case "Sigmoid": return `${h.call("f_sigmoid")}(${x})`;
      // select keeps NaN (max(NaN, 0) is implementation-defined).
      case "Relu": return `select(${x}, 0.0, ${x} < 0.0)`;
      case "Elu": return `select(${h.call("f_expm1")}(${x}), ${x}, ${x} > 0.0)`;
      case "Softplus": return `${h.call("f_softplus")}(${x})`;
      case "Floor": return `floor(${x})`;
      case "Ceil": return `ceil(${x})`;
      case "Round": return `${h.call("f_round")}(${x})`;
      case "Reciprocal": return `${h.call("f_recip")}(${x})`;
      default: break;
    }
  } else if (dtype === "int32") {
    switch (op) {
      case "Neg": return `(-${x})`;
      case "Abs": return `abs(${x})`;
      case "Sign": return `sign(${x})`;
      case "Square": return `(${x} * ${x})`;
      case "Relu": return `max(${x}, 0)`;
      default: break;
    }
  } else if (dtype === "bool" && op === "LogicalNot") {
    return `(!${x})`;
  }
  throw kernelDtypeError(op, dtype, "webgpu");
}
