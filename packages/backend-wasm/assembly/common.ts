// Constants and helpers shared by every kernel family.

// @ts-ignore: RELAXED is defined on the asc command line (`--use RELAXED=0|1`), see scripts/build-wasm.mjs.
@inline export const USE_FMA: bool = RELAXED != 0;

// dtype codes (same numbering as src/codes.ts)
export const BOOL: i32 = 0;
export const I32: i32 = 1;
export const F32: i32 = 2;
export const F64: i32 = 3;
export const C64: i32 = 4;

/** Fused multiply-add where relaxed SIMD is compiled in (one rounding or two: both are allowed). */
@inline export function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (USE_FMA && isFloat<T>()) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(v128.mul<T>(a, b), c);
}

/** i-th int32 slot of a parameter block. */
/** Stores a 4-row × 2-vector tile of accumulators at `c` (row stride `ldc` bytes): rows c0*..c3*. */
@inline export function storeTile(c: usize, ldc: usize, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128): void {
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + ldc, c10);
  v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20);
  v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30);
  v128.store(c + 3 * ldc, c31, 16);
}

@inline export function pi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

/** i-th slot of a parameter block read as an address / unsigned size. */
@inline export function pu(p: usize, i: i32): usize {
  return <usize>load<u32>(p + (<usize>i << 2));
}

/** i-th float64 slot of a parameter block (float slots start at byte 512). */
@inline export function pf(p: usize, i: i32): f64 {
  return load<f64>(p + 512 + (<usize>i << 3));
}

/** Byte offset of element i of T. */
@inline export function off<T>(i: usize): usize {
  return i << alignof<T>();
}

/** Number of T lanes in a v128. */
@inline export function lanes<T>(): i32 {
  return <i32>(16 / sizeof<T>());
}

/** Splat-load one T from memory into every lane. */
@inline export function loadSplat<T>(ptr: usize, offset: usize = 0): v128 {
  if (sizeof<T>() == 8) return v128.load64_splat(ptr + offset);
  return v128.load32_splat(ptr + offset);
}

/** Per-thread coordinate scratch inside a parameter block (32 int32 per thread, up to 32 threads). */
@inline export function coordsOf(p: usize, tid: i32): usize {
  return p + 4096 + (<usize>tid << 7);
}

@inline export function minI(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

@inline export function maxI(a: i32, b: i32): i32 {
  return a > b ? a : b;
}
