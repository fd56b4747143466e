#!/usr/bin/env node
// Generates the js backend's elementwise loops into src/kernels/generated/ (not checked in; `build`,
// `typecheck` and `test` run this first): one function per (kernel, dtype) so that every loop in V8
// sees a single typed-array type (monomorphic element access is several times faster than a loop
// shared by Float32Array | Float64Array | Int32Array).
//
// Which loops exist comes from the op table in @tessera/core (each kernel's dtypes and output dtype);
// this file only holds each kernel's scalar expression per number kind. A kernel of the table with
// no expression here is left out, and the conformance matrix reports it missing.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BINARY_SPECS, UNARY_SPECS } from "@tessera/core/kernel";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "../src/kernels/generated");

const KIND = { float32: "f32", float64: "f64", int32: "i32", bool: "u8" };
const ARR = { f32: "Float32Array", f64: "Float64Array", i32: "Int32Array", u8: "Uint8Array" };
/** Which expression of a kernel a storage kind uses. */
const FLAVOUR = { f32: "float", f64: "float", i32: "int", u8: "bool" };

// Unary kernels: expression of x.
const unary = {
  Neg: { float: "-x", int: "-x | 0" },
  Abs: { float: "Math.abs(x)", int: "Math.abs(x) | 0" },
  Sign: { float: "x > 0 ? 1 : x < 0 ? -1 : x", int: "x > 0 ? 1 : x < 0 ? -1 : 0" },
  Square: { float: "x * x", int: "Math.imul(x, x)" },
  Sqrt: { float: "Math.sqrt(x)" },
  Rsqrt: { float: "1 / Math.sqrt(x)" },
  Exp: { float: "Math.exp(x)" },
  Log: { float: "Math.log(x)" },
  Log1p: { float: "Math.log1p(x)" },
  Sin: { float: "Math.sin(x)" },
  Cos: { float: "Math.cos(x)" },
  Tan: { float: "Math.tan(x)" },
  Asin: { float: "Math.asin(x)" },
  Acos: { float: "Math.acos(x)" },
  Atan: { float: "Math.atan(x)" },
  Sinh: { float: "Math.sinh(x)" },
  Cosh: { float: "Math.cosh(x)" },
  Asinh: { float: "Math.asinh(x)" },
  Acosh: { float: "Math.acosh(x)" },
  Atanh: { float: "Math.atanh(x)" },
  Expm1: { float: "Math.expm1(x)" },
  Erf: { float: "erf(x)" },
  Erfc: { float: "erfc(x)" },
  Tanh: { float: "Math.tanh(x)" },
  Sigmoid: { float: "sigmoid(x)" },
  Relu: { float: "x > 0 ? x : x === x ? 0 : x", int: "x > 0 ? x : 0" },
  Elu: { float: "x > 0 ? x : Math.expm1(x)" },
  Softplus: { float: "softplus(x)" },
  Floor: { float: "Math.floor(x)" },
  Ceil: { float: "Math.ceil(x)" },
  Round: { float: "roundHalfEven(x)" },
  Reciprocal: { float: "1 / x" },
  LogicalNot: { bool: "x ? 0 : 1" },
  IsNan: { float: "x !== x ? 1 : 0" },
};

// Binary kernels: expression of x and y. Comparisons (`cmp`) serve every dtype they take.
const binary = {
  Add: { float: "x + y", int: "(x + y) | 0" },
  Sub: { float: "x - y", int: "(x - y) | 0" },
  Mul: { float: "x * y", int: "Math.imul(x, y)" },
  Div: { float: "x / y" },
  FloorDiv: { float: "Math.floor(x / y)", int: "ifloordiv(x, y)" },
  FloorMod: { float: "fmod(x, y)", int: "imod(x, y)" },
  Pow: { float: "cpow(x, y)", int: "ipow(x, y)" },
  Maximum: { float: "x !== x || y !== y ? NaN : x > y ? x : y", int: "x > y ? x : y" },
  Minimum: { float: "x !== x || y !== y ? NaN : x < y ? x : y", int: "x < y ? x : y" },
  Atan2: { float: "Math.atan2(x, y)" },
  Equal: { cmp: "x === y ? 1 : 0" },
  NotEqual: { cmp: "x !== y ? 1 : 0" },
  Less: { cmp: "x < y ? 1 : 0" },
  LessEqual: { cmp: "x <= y ? 1 : 0" },
  Greater: { cmp: "x > y ? 1 : 0" },
  GreaterEqual: { cmp: "x >= y ? 1 : 0" },
  LogicalAnd: { bool: "x & y" },
  LogicalOr: { bool: "x | y" },
};

function row(name, inT, outT, expr) {
  // sa/sb are 1 (contiguous) or 0 (broadcast scalar) after collapsing; the general case is n === 1.
  // Whole-array loops get their own branch: with zero offsets and n equal to the lengths V8 drops the
  // bounds checks, which is worth ~40% on large tensors.
  return `export function ${name}(a: ${inT}, ao: number, sa: number, b: ${inT}, bo: number, sb: number, o: ${outT}, oo: number, n: number): void {
  const whole = oo === 0 && n === o.length;
  if (sa === 1 && sb === 1) {
    if (whole && ao === 0 && bo === 0 && n === a.length && n === b.length) {
      for (let i = 0; i < n; i++) { const x = a[i]!, y = b[i]!; o[i] = ${expr}; }
    } else {
      for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = ${expr}; }
    }
  } else if (sa === 0 && sb === 1) {
    const x = a[ao]!;
    if (whole && bo === 0 && n === b.length) {
      for (let i = 0; i < n; i++) { const y = b[i]!; o[i] = ${expr}; }
    } else {
      for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = ${expr}; }
    }
  } else if (sa === 1 && sb === 0) {
    const y = b[bo]!;
    if (whole && ao === 0 && n === a.length) {
      for (let i = 0; i < n; i++) { const x = a[i]!; o[i] = ${expr}; }
    } else {
      for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = ${expr}; }
    }
  } else {
    for (let i = 0; i < n; i++) { const x = a[ao + i * sa]!, y = b[bo + i * sb]!; o[oo + i] = ${expr}; }
  }
}
`;
}

const loop = (name, inT, outT, expr) =>
  `export function ${name}(a: ${inT}, o: ${outT}): void {\n  const n = a.length;\n  for (let i = 0; i < n; i++) { const x = a[i]!; o[i] = ${expr}; }\n}\n`;

/** Emits one function per (kernel, real dtype) the table declares and an expression covers. */
function generate(specs, exprs, emit, header, tableName, what) {
  let text = header;
  const table = { f32: {}, f64: {}, i32: {}, u8: {} };
  const skipped = [];
  for (const [name, spec] of Object.entries(specs)) {
    const e = exprs[name];
    for (const dtype of spec.dtypes) {
      const k = KIND[dtype];
      if (!k) continue; // complex64 and string kernels are written by hand
      const expr = e?.[FLAVOUR[k]] ?? e?.cmp;
      if (!expr) {
        skipped.push(`${name} ${dtype}`);
        continue;
      }
      const fn = `${name}_${k}`;
      text += emit(fn, ARR[k], ARR[KIND[spec.out(dtype)]], expr);
      table[k][name] = fn;
    }
  }
  for (const name of Object.keys(exprs)) if (!specs[name]) throw new Error(`gen-kernels: ${what} expression for ${name}, which the op table does not declare`);
  if (skipped.length) console.warn(`gen-kernels: no js expression for ${skipped.join(", ")} (left out; the conformance matrix shows it)`);
  text += `\n/** Loops by storage kind and kernel name. */\nexport const ${tableName} = {\n`;
  for (const [k, ops] of Object.entries(table)) text += `  ${k}: { ${Object.entries(ops).map(([op, fn]) => `${op}: ${fn}`).join(", ")} },\n`;
  return `${text}} as const;\n`;
}

const banner = "// GENERATED by scripts/gen-kernels.mjs from the op table — do not edit.\n/* eslint-disable */\n";
const files = {
  "binary-rows.ts": generate(BINARY_SPECS, binary, row, `${banner}import { cpow, fmod, ifloordiv, imod, ipow } from "../scalar-math.js";\n\n`, "binaryRows", "binary"),
  "unary-loops.ts": generate(UNARY_SPECS, unary, loop, `${banner}import { erf, erfc, roundHalfEven, sigmoid, softplus } from "../scalar-math.js";\n\n`, "unaryLoops", "unary"),
};
mkdirSync(outDir, { recursive: true });
for (const [f, text] of Object.entries(files)) writeFileSync(join(outDir, f), text);
