/**
 * Elementwise fusion. Unary, binary, Cast, Where and Fill kernels do not dispatch at once: each
 * returns a buffer whose contents are a pending expression over materialized leaf buffers. When an
 * elementwise kernel consumes a pending result of the same shape, it inlines the expression, so a
 * chain such as `relu(add(mul(x, w), b))` becomes one generated shader and one dispatch. Anything
 * else (another kernel, a read) materializes the expression first.
 *
 * Kept simple on purpose: only a pending result whose shape equals the consumer's output shape is
 * inlined (a broadcast or reshaped use materializes it), expressions are capped in size and in
 * bound buffers, and a result needed twice may be computed twice. A pending expression holds a
 * reference on each leaf buffer, so freeing a tensor never frees a buffer that pending work reads.
 */
import type { BinaryKernelName, DType, UnaryKernelName } from "@tessera/core/kernel";
import { binaryExpr, binaryOutDtype } from "./kernels/binary.js";
import { unaryExpr, unaryOutDtype } from "./kernels/unary.js";
import type { GpuData } from "./data.js";
import type { Program } from "./program-cache.js";
import { UniformBuilder } from "./uniforms.js";
import { HelperSet, bindings, linearMain, storageType, valueType } from "./wgsl.js";

export type Expr =
  | { readonly k: "leaf"; readonly i: number }
  | { readonly k: "const"; readonly i: number }
  | { readonly k: "unary"; readonly op: UnaryKernelName; readonly dtype: DType; readonly x: Expr }
  | { readonly k: "binary"; readonly op: BinaryKernelName; readonly dtype: DType; readonly a: Expr; readonly b: Expr }
  | { readonly k: "cast"; readonly from: DType; readonly to: DType; readonly x: Expr }
  | { readonly k: "where"; readonly dtype: DType; readonly c: Expr; readonly a: Expr; readonly b: Expr }
  /** complex64 from float32 parts. */
  | { readonly k: "complex"; readonly a: Expr; readonly b: Expr }
  /** Real, Imag (complex64 → float32) and Conj (complex64 → complex64). */
  | { readonly k: "part"; readonly op: "Real" | "Imag" | "Conj"; readonly x: Expr };

/** A materialized buffer read by an expression, with the shape it is read as (rank of the output; dims 1 where broadcast). */
export interface Leaf {
  readonly data: GpuData;
  readonly shape: readonly number[];
}

export interface Const {
  readonly value: number;
  /** Imaginary part (complex64). */
  readonly im?: number;
  readonly dtype: DType;
}

/** A pending elementwise result. */
export interface LazyExpr {
  readonly root: Expr;
  readonly leaves: readonly Leaf[];
  readonly consts: readonly Const[];
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Op nodes in `root`. */
  readonly nodes: number;
  /** The kernel names in the expression (for error messages), outermost last. */
  readonly ops: readonly string[];
  /** Never inlined into another expression (float64 elementary functions: see `isolatedOp`). */
  isolated?: boolean;
}

/**
 * float64 elementary functions are large shaders (soft-float): each runs as its own program over
 * materialized inputs, so a program exists once per function instead of once per expression that
 * happens to contain it (which made compile time grow with every new fused combination).
 */
export function isolatedOp(op: string, dtype: DType): boolean {
  return dtype === "float64" && ISOLATED_F64.has(op);
}
const ISOLATED_F64 = new Set(["Exp", "Log", "Log1p", "Sin", "Cos", "Tanh", "Sigmoid", "Elu", "Softplus", "Pow", "Sqrt", "Rsqrt", "FloorMod"]);

/** Limits that keep fused shaders small and within the device's binding limit. */
export interface FusionLimits {
  readonly maxLeaves: number;
  readonly maxNodes: number;
}

/** An operand of a new elementwise node: a pending expression to inline, a leaf buffer, or a constant. */
export type Operand =
  | { readonly kind: "inline"; readonly lazy: LazyExpr; readonly source: GpuData }
  | { readonly kind: "leaf"; readonly leaf: Leaf }
  | { readonly kind: "const"; readonly c: Const };

/** Builds the node `make(operands)` from operands, merging leaves (deduplicated) and constants. */
export function combine(
  operands: readonly Operand[],
  make: (xs: Expr[]) => Expr,
  shape: readonly number[],
  dtype: DType,
  op: string,
): LazyExpr {
  const leaves: Leaf[] = [];
  const consts: Const[] = [];
  const ops: string[] = [];
  let nodes = 1;
  const leafIndex = (l: Leaf): number => {
    const at = leaves.findIndex((x) => x.data === l.data && sameShape(x.shape, l.shape));
    if (at >= 0) return at;
    leaves.push(l);
    return leaves.length - 1;
  };
  const exprs = operands.map((o): Expr => {
    if (o.kind === "leaf") return { k: "leaf", i: leafIndex(o.leaf) };
    if (o.kind === "const") {
      consts.push(o.c);
      return { k: "const", i: consts.length - 1 };
    }
    const lz = o.lazy;
    nodes += lz.nodes;
    ops.push(...lz.ops);
    const leafMap = lz.leaves.map(leafIndex);
    const constBase = consts.length;
    consts.push(...lz.consts);
    return renumber(lz.root, leafMap, constBase);
  });
  ops.push(op);
  return { root: make(exprs), leaves, consts, shape: [...shape], dtype, nodes, ops: dedupe(ops) };
}

/** Leaves a combination of `operands` would bind (an upper bound; duplicates count once per operand). */
export function countLeaves(operands: readonly Operand[]): number {
  const seen: Leaf[] = [];
  for (const o of operands) {
    const ls = o.kind === "leaf" ? [o.leaf] : o.kind === "inline" ? o.lazy.leaves : [];
    for (const l of ls) if (!seen.some((s) => s.data === l.data && sameShape(s.shape, l.shape))) seen.push(l);
  }
  return seen.length;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

function renumber(e: Expr, leafMap: readonly number[], constBase: number): Expr {
  switch (e.k) {
    case "leaf": return { k: "leaf", i: leafMap[e.i]! };
    case "const": return { k: "const", i: e.i + constBase };
    case "unary": return { ...e, x: renumber(e.x, leafMap, constBase) };
    case "cast": return { ...e, x: renumber(e.x, leafMap, constBase) };
    case "part": return { ...e, x: renumber(e.x, leafMap, constBase) };
    case "complex": return { ...e, a: renumber(e.a, leafMap, constBase), b: renumber(e.b, leafMap, constBase) };
    case "binary": return { ...e, a: renumber(e.a, leafMap, constBase), b: renumber(e.b, leafMap, constBase) };
    case "where": return { ...e, c: renumber(e.c, leafMap, constBase), a: renumber(e.a, leafMap, constBase), b: renumber(e.b, leafMap, constBase) };
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** How a leaf is indexed: f = same shape as the output, s = a single element, b = broadcast (strided). */
function leafPattern(leaf: Leaf, out: readonly number[]): "f" | "s" | "b" {
  if (sameShape(leaf.shape, out)) return "f";
  if (leaf.shape.every((d) => d === 1)) return "s";
  return "b";
}

/** Programs index at least this rank (shapes padded with leading 1s), so ranks 0–4 share one program. */
const MIN_PROGRAM_RANK = 4;

function padTo(shape: readonly number[], rank: number): number[] {
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}

function exprKey(e: Expr): string {
  switch (e.k) {
    case "leaf": return `L${e.i}`;
    case "const": return `C${e.i}`;
    case "unary": return `${e.op}:${e.dtype}(${exprKey(e.x)})`;
    case "cast": return `Cast:${e.from}>${e.to}(${exprKey(e.x)})`;
    case "binary": return `${e.op}:${e.dtype}(${exprKey(e.a)},${exprKey(e.b)})`;
    case "where": return `Where:${e.dtype}(${exprKey(e.c)},${exprKey(e.a)},${exprKey(e.b)})`;
    case "complex": return `Complex(${exprKey(e.a)},${exprKey(e.b)})`;
    case "part": return `${e.op}(${exprKey(e.x)})`;
  }
}

function castExpr(from: DType, to: DType, x: string, h: HelperSet): string {
  if (from === to) return x;
  if (from === "float64") {
    h.use("d_cast");
    if (to === "bool") return `d_nonzero(${x})`;
    if (to === "int32") return `d_to_i32(${x})`;
    return castExpr("float32", to, `d_to_f32(${x})`, h);
  }
  if (to === "float64") {
    h.use("d_cast");
    if (from === "int32") return `d_from_i32(${x})`;
    if (from === "bool") return `select(D_ZERO, D_ONE, ${x})`;
    if (from === "complex64") return `d_from_f32(${x}.x)`;
    return `d_from_f32(${x})`;
  }
  if (from === "complex64") {
    // complex → real takes the real part; → bool is "not 0 + 0i".
    if (to === "bool") {
      const nan = h.special("f_isnan");
      return `(${x}.x != 0.0 || ${x}.y != 0.0 || ${nan}(${x}.x) || ${nan}(${x}.y))`;
    }
    return castExpr("float32", to, `${x}.x`, h);
  }
  if (to === "complex64") return `vec2<f32>(${castExpr(from, "float32", x, h)}, 0.0)`;
  // NaN casts to true; a plain != may compile to an ordered comparison.
  if (to === "bool") return from === "float32" ? `(${x} != 0.0 || ${h.special("f_isnan")}(${x}))` : `(${x} != 0)`;
  if (from === "bool") return to === "float32" ? `select(0.0, 1.0, ${x})` : `select(0, 1, ${x})`;
  // f32 -> i32 truncates toward zero (WGSL clamps out-of-range values; NaN gives 0 on Dawn).
  return `${valueType(to)}(${x})`;
}

/** The program and uniforms that materialize `lz` into a buffer of `lz.shape`. */
export function elementwiseProgram(lz: LazyExpr): { program: Program; uniforms: UniformBuilder } {
  const rank = Math.max(lz.shape.length, MIN_PROGRAM_RANK);
  const out = padTo(lz.shape, rank);
  const size = out.reduce((a, b) => a * b, 1);
  const patterns = lz.leaves.map((l) => leafPattern(l, lz.shape));
  const key = `ew|${rank}|${lz.dtype}|${patterns.join(",")}|${lz.leaves.map((l) => l.data.dtype).join(",")}|${lz.consts.map((c) => c.dtype).join(",")}|${exprKey(lz.root)}`;

  const u = new UniformBuilder().u32("size", size);
  const needCoords = patterns.some((p) => p === "b");
  if (needCoords) u.u32s("od", out);
  lz.leaves.forEach((l, k) => {
    if (patterns[k] !== "b") return;
    // Row-major strides of the leaf, 0 on broadcast dims.
    const shape = padTo(l.shape, rank);
    let acc = 1;
    const strides = new Array<number>(rank);
    for (let d = rank - 1; d >= 0; d--) {
      strides[d] = shape[d] === 1 ? 0 : acc;
      acc *= shape[d]!;
    }
    u.u32s(`s${k}_`, strides);
  });
  // A float op whose two operands are the same expression (x - x) would let the driver's compiler
  // fold it (Mesa folds x - x to 0, wrong for Inf/NaN): such a second operand is passed through
  // an XOR with a uniform zero the compiler cannot see through.
  const opaque = needsOpaque(lz.root);
  if (opaque) u.u32("opq", 0);
  lz.consts.forEach((c, k) => {
    if (c.dtype === "complex64") u.f32(`c${k}`, c.value).f32(`c${k}i`, c.im ?? 0);
    else if (c.dtype === "float64") {
      const w = new Uint32Array(new Float64Array([c.value]).buffer);
      u.u32(`c${k}`, w[0]!).u32(`c${k}h`, w[1]!);
    }
    else if (c.dtype === "float32") u.f32(`c${k}`, c.value);
    else if (c.dtype === "int32") u.i32(`c${k}`, c.value);
    else u.u32(`c${k}`, c.value ? 1 : 0);
  });

  const program: Program = {
    op: lz.ops.join("+"),
    key,
    numInputs: lz.leaves.length,
    wgsl: () => {
      const h = new HelperSet();
      const body: string[] = [];
      if (needCoords) {
        body.push(`var rest = i;`);
        for (let d = rank - 1; d >= 0; d--) {
          body.push(`let c${d} = rest % u.od${d};`);
          if (d > 0) body.push(`rest = rest / u.od${d};`);
        }
      }
      const loads = lz.leaves.map((l, k) => {
        const p = patterns[k]!;
        const idx = p === "f" ? "i" : p === "s" ? "0u" : Array.from({ length: rank }, (_, d) => `c${d} * u.s${k}_${d}`).join(" + ");
        const raw = `in${k}[${idx}]`;
        return l.data.dtype === "bool" ? `(${raw} != 0u)` : raw;
      });
      let tmp = 0;
      const emit = (e: Expr): string => {
        let v: string;
        let t: DType;
        switch (e.k) {
          case "leaf": v = loads[e.i]!; t = lz.leaves[e.i]!.data.dtype; break;
          case "const": {
            const c = lz.consts[e.i]!;
            v = c.dtype === "bool" ? `(u.c${e.i} != 0u)`
              : c.dtype === "complex64" ? `vec2<f32>(u.c${e.i}, u.c${e.i}i)`
              : c.dtype === "float64" ? `vec2<u32>(u.c${e.i}, u.c${e.i}h)`
              : `u.c${e.i}`;
            t = c.dtype;
            break;
          }
          case "unary": v = unaryExpr(e.op, e.dtype, emit(e.x), h); t = unaryOutDtype(e.op, e.dtype); break;
          case "complex": {
            const re = emit(e.a);
            const im = emit(e.b);
            v = `vec2<f32>(${re}, ${im})`;
            t = "complex64";
            break;
          }
          case "part": {
            const z = emit(e.x);
            v = e.op === "Real" ? `${z}.x` : e.op === "Imag" ? `${z}.y` : `vec2<f32>(${z}.x, -${z}.y)`;
            t = e.op === "Conj" ? "complex64" : "float32";
            break;
          }
          case "cast": v = castExpr(e.from, e.to, emit(e.x), h); t = e.to; break;
          case "binary": {
            const a = emit(e.a);
            let b = emit(e.b);
            if (e.dtype === "float32" && exprKey(e.a) === exprKey(e.b)) b = `bitcast<f32>(bitcast<u32>(${b}) ^ u.opq)`;
            if (e.dtype === "complex64" && exprKey(e.a) === exprKey(e.b)) b = `bitcast<vec2<f32>>(bitcast<vec2<u32>>(${b}) ^ vec2<u32>(u.opq))`;
            v = binaryExpr(e.op, e.dtype, a, b, h);
            t = binaryOutDtype(e.op, e.dtype);
            break;
          }
          case "where": {
            const c = emit(e.c);
            const a = emit(e.a);
            const b = emit(e.b);
            v = `select(${b}, ${a}, ${c})`;
            t = e.dtype;
            break;
          }
        }
        const name = `v${tmp++}`;
        body.push(`let ${name}: ${valueType(t)} = ${v};`);
        return name;
      };
      const result = emit(lz.root);
      body.push(lz.dtype === "bool" ? `out[i] = select(0u, 1u, ${result});` : `out[i] = ${result};`);
      const decl = bindings(lz.leaves.map((l) => storageType(l.data.dtype)), storageType(lz.dtype), u);
      return `${decl}\n${h.code()}\n${linearMain(body.map((l) => `  ${l}`).join("\n"))}\n`;
    },
  };
  return { program, uniforms: u };
}

function needsOpaque(e: Expr): boolean {
  switch (e.k) {
    case "leaf": case "const": return false;
    case "unary": case "cast": case "part": return needsOpaque(e.x);
    case "complex": return needsOpaque(e.a) || needsOpaque(e.b);
    case "where": return needsOpaque(e.c) || needsOpaque(e.a) || needsOpaque(e.b);
    case "binary": return ((e.dtype === "float32" || e.dtype === "complex64") && exprKey(e.a) === exprKey(e.b)) || needsOpaque(e.a) || needsOpaque(e.b);
  }
}
