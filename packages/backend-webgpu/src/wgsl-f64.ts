/**
 * IEEE-754 binary64 in WGSL, which has no f64: values are `vec2<u32>(lo, hi)` holding the exact
 * bits of a JavaScript number, and the arithmetic is integer code that rounds exactly as IEEE
 * requires (round to nearest, ties to even), so float64 results are the same bits a CPU gives.
 * The algorithms follow Berkeley SoftFloat 3's structure (significands with the hidden bit at 62
 * and ten rounding bits; `d_round_pack` does all rounding, overflow and subnormal handling);
 * division and square root are bit-by-bit, so they are exact as well.
 *
 * 64-bit unsigned integers (`u64_*`) use the same `vec2<u32>(lo, hi)` layout.
 */

interface Helper {
  readonly deps: readonly string[];
  readonly code: string;
}

export const F64_HELPERS: Record<string, Helper> = {
  u64: {
    deps: [],
    code: `fn u64_add(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { let lo = a.x + b.x; return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x)); }
fn u64_sub(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return vec2<u32>(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x)); }
fn u64_lt(a: vec2<u32>, b: vec2<u32>) -> bool { return a.y < b.y || (a.y == b.y && a.x < b.x); }
fn u64_is0(a: vec2<u32>) -> bool { return (a.x | a.y) == 0u; }
fn u64_shl(a: vec2<u32>, n: u32) -> vec2<u32> {
  if (n == 0u) { return a; }
  if (n >= 64u) { return vec2<u32>(0u); }
  if (n >= 32u) { return vec2<u32>(0u, a.x << (n - 32u)); }
  return vec2<u32>(a.x << n, (a.y << n) | (a.x >> (32u - n)));
}
fn u64_shr(a: vec2<u32>, n: u32) -> vec2<u32> {
  if (n == 0u) { return a; }
  if (n >= 64u) { return vec2<u32>(0u); }
  if (n >= 32u) { return vec2<u32>(a.y >> (n - 32u), 0u); }
  return vec2<u32>((a.x >> n) | (a.y << (32u - n)), a.y >> n);
}
// Shift right, OR-ing every bit shifted out into bit 0 (the "sticky" bit).
fn u64_shr_jam(a: vec2<u32>, n: u32) -> vec2<u32> {
  if (n == 0u) { return a; }
  if (n >= 64u) { return vec2<u32>(select(0u, 1u, !u64_is0(a)), 0u); }
  let r = u64_shr(a, n);
  let back = u64_shl(r, n);
  return vec2<u32>(r.x | select(0u, 1u, back.x != a.x || back.y != a.y), r.y);
}
fn u64_clz(a: vec2<u32>) -> u32 { if (a.y != 0u) { return countLeadingZeros(a.y); } return 32u + countLeadingZeros(a.x); }
fn u64_bit(i: u32) -> vec2<u32> { return select(vec2<u32>(1u << i, 0u), vec2<u32>(0u, 1u << (i - 32u)), i >= 32u); }
fn u32_mul_wide(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>((p00 & 0xffffu) | (mid << 16u), p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}
struct U128 { lo: vec2<u32>, hi: vec2<u32> }
fn u64_mul_wide(a: vec2<u32>, b: vec2<u32>) -> U128 {
  let p00 = u32_mul_wide(a.x, b.x); let p01 = u32_mul_wide(a.x, b.y);
  let p10 = u32_mul_wide(a.y, b.x); let p11 = u32_mul_wide(a.y, b.y);
  var w1 = p00.y + p01.x;
  var c = select(0u, 1u, w1 < p01.x);
  w1 = w1 + p10.x;
  c = c + select(0u, 1u, w1 < p10.x);
  var w2 = p11.x + c;
  var c2 = select(0u, 1u, w2 < c);
  w2 = w2 + p01.y;
  c2 = c2 + select(0u, 1u, w2 < p01.y);
  w2 = w2 + p10.y;
  c2 = c2 + select(0u, 1u, w2 < p10.y);
  return U128(vec2<u32>(p00.x, w1), vec2<u32>(w2, p11.y + c2));
}`,
  },
  d_core: {
    deps: ["u64"],
    code: `const D_NAN = vec2<u32>(0u, 0x7ff80000u);
const D_ZERO = vec2<u32>(0u, 0u);
const D_ONE = vec2<u32>(0u, 0x3ff00000u);
fn d_inf(sign: u32) -> vec2<u32> { return vec2<u32>(0u, (sign << 31u) | 0x7ff00000u); }
fn d_zero(sign: u32) -> vec2<u32> { return vec2<u32>(0u, sign << 31u); }
fn d_sign(a: vec2<u32>) -> u32 { return a.y >> 31u; }
fn d_exp(a: vec2<u32>) -> i32 { return i32((a.y >> 20u) & 0x7ffu); }
fn d_frac(a: vec2<u32>) -> vec2<u32> { return vec2<u32>(a.x, a.y & 0xfffffu); }
fn d_isnan(a: vec2<u32>) -> bool { return (a.y & 0x7ff00000u) == 0x7ff00000u && ((a.y & 0xfffffu) | a.x) != 0u; }
fn d_isinf(a: vec2<u32>) -> bool { return (a.y & 0x7fffffffu) == 0x7ff00000u && a.x == 0u; }
fn d_iszero(a: vec2<u32>) -> bool { return ((a.y & 0x7fffffffu) | a.x) == 0u; }
fn d_neg(a: vec2<u32>) -> vec2<u32> { return vec2<u32>(a.x, a.y ^ 0x80000000u); }
fn d_abs(a: vec2<u32>) -> vec2<u32> { return vec2<u32>(a.x, a.y & 0x7fffffffu); }
// (sign, exp, sig) → bits; a hidden bit in sig (bit 52) carries into the exponent field.
fn d_pack(sign: u32, exp: i32, sig: vec2<u32>) -> vec2<u32> {
  return u64_add(vec2<u32>(0u, (sign << 31u) + (u32(exp) << 20u)), sig);
}
// sig: hidden bit at 62 and 10 rounding bits below the 53 kept; exp: biased exponent − 1.
fn d_round_pack(sign: u32, expIn: i32, sigIn: vec2<u32>) -> vec2<u32> {
  var exp = expIn;
  var sig = sigIn;
  var roundBits = sig.x & 0x3ffu;
  if (exp < 0 || exp >= 0x7fd) {
    if (exp < 0) {
      sig = u64_shr_jam(sig, u32(min(-exp, 64)));
      exp = 0;
      roundBits = sig.x & 0x3ffu;
    } else if (exp > 0x7fd || !u64_lt(u64_add(sig, vec2<u32>(0x200u, 0u)), vec2<u32>(0u, 0x80000000u))) {
      return d_inf(sign);
    }
  }
  sig = u64_shr(u64_add(sig, vec2<u32>(0x200u, 0u)), 10u);
  if (roundBits == 0x200u) { sig.x = sig.x & 0xfffffffeu; }
  if (u64_is0(sig)) { exp = 0; }
  return d_pack(sign, exp, sig);
}
fn d_norm_round_pack(sign: u32, expIn: i32, sig: vec2<u32>) -> vec2<u32> {
  let shift = i32(u64_clz(sig)) - 1;
  let exp = expIn - shift;
  if (shift >= 10 && exp >= 0 && exp < 0x7fd) {
    return d_pack(sign, select(exp, 0, u64_is0(sig)), u64_shl(sig, u32(shift - 10)));
  }
  return d_round_pack(sign, exp, u64_shl(sig, u32(shift)));
}
struct DNorm { exp: i32, sig: vec2<u32> }
// A subnormal's fraction shifted so that bit 52 is set, with its exponent.
fn d_norm_subnormal(sig: vec2<u32>) -> DNorm {
  let shift = i32(u64_clz(sig)) - 11;
  return DNorm(1 - shift, u64_shl(sig, u32(shift)));
}`,
  },
  d_add: {
    deps: ["d_core"],
    code: `fn d_add_mags(a: vec2<u32>, b: vec2<u32>, sign: u32) -> vec2<u32> {
  let expA = d_exp(a); var sigA = d_frac(a);
  let expB = d_exp(b); var sigB = d_frac(b);
  let expDiff = expA - expB;
  if (expDiff == 0) {
    if (expA == 0) { return d_pack(sign, 0, u64_add(sigA, sigB)); }
    if (expA == 0x7ff) { if (!u64_is0(sigA) || !u64_is0(sigB)) { return D_NAN; } return a; }
    return d_round_pack(sign, expA, u64_shl(u64_add(vec2<u32>(0u, 0x00200000u), u64_add(sigA, sigB)), 9u));
  }
  sigA = u64_shl(sigA, 9u);
  sigB = u64_shl(sigB, 9u);
  var expZ: i32;
  if (expDiff < 0) {
    if (expB == 0x7ff) { if (!u64_is0(sigB)) { return D_NAN; } return d_inf(sign); }
    expZ = expB;
    if (expA != 0) { sigA = u64_add(sigA, vec2<u32>(0u, 0x20000000u)); } else { sigA = u64_shl(sigA, 1u); }
    sigA = u64_shr_jam(sigA, u32(-expDiff));
  } else {
    if (expA == 0x7ff) { if (!u64_is0(sigA)) { return D_NAN; } return d_inf(sign); }
    expZ = expA;
    if (expB != 0) { sigB = u64_add(sigB, vec2<u32>(0u, 0x20000000u)); } else { sigB = u64_shl(sigB, 1u); }
    sigB = u64_shr_jam(sigB, u32(expDiff));
  }
  var sigZ = u64_add(vec2<u32>(0u, 0x20000000u), u64_add(sigA, sigB));
  if (u64_lt(sigZ, vec2<u32>(0u, 0x40000000u))) { expZ = expZ - 1; sigZ = u64_shl(sigZ, 1u); }
  return d_round_pack(sign, expZ, sigZ);
}
fn d_sub_mags(a: vec2<u32>, b: vec2<u32>, signA: u32) -> vec2<u32> {
  var sign = signA;
  var expA = d_exp(a); var sigA = d_frac(a);
  let expB = d_exp(b); var sigB = d_frac(b);
  let expDiff = expA - expB;
  if (expDiff == 0) {
    if (expA == 0x7ff) { return D_NAN; }
    var diff: vec2<u32>;
    if (u64_lt(sigA, sigB)) { sign = sign ^ 1u; diff = u64_sub(sigB, sigA); } else { diff = u64_sub(sigA, sigB); }
    if (u64_is0(diff)) { return D_ZERO; }
    if (expA != 0) { expA = expA - 1; }
    var shift = i32(u64_clz(diff)) - 11;
    var expZ = expA - shift;
    if (expZ < 0) { shift = expA; expZ = 0; }
    return d_pack(sign, expZ, u64_shl(diff, u32(shift)));
  }
  sigA = u64_shl(sigA, 10u);
  sigB = u64_shl(sigB, 10u);
  var expZ: i32;
  var sigZ: vec2<u32>;
  if (expDiff < 0) {
    sign = sign ^ 1u;
    if (expB == 0x7ff) { if (!u64_is0(sigB)) { return D_NAN; } return d_inf(sign); }
    if (expA != 0) { sigA = u64_add(sigA, vec2<u32>(0u, 0x40000000u)); } else { sigA = u64_shl(sigA, 1u); }
    sigA = u64_shr_jam(sigA, u32(-expDiff));
    sigB = vec2<u32>(sigB.x, sigB.y | 0x40000000u);
    expZ = expB;
    sigZ = u64_sub(sigB, sigA);
  } else {
    if (expA == 0x7ff) { if (!u64_is0(sigA)) { return D_NAN; } return a; }
    if (expB != 0) { sigB = u64_add(sigB, vec2<u32>(0u, 0x40000000u)); } else { sigB = u64_shl(sigB, 1u); }
    sigB = u64_shr_jam(sigB, u32(expDiff));
    sigA = vec2<u32>(sigA.x, sigA.y | 0x40000000u);
    expZ = expA;
    sigZ = u64_sub(sigA, sigB);
  }
  return d_norm_round_pack(sign, expZ - 1, sigZ);
}
fn d_add(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  if (d_sign(a) == d_sign(b)) { return d_add_mags(a, b, d_sign(a)); }
  return d_sub_mags(a, b, d_sign(a));
}
fn d_sub(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return d_add(a, d_neg(b)); }`,
  },
  d_mul: {
    deps: ["d_core"],
    code: `fn d_mul(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let sign = d_sign(a) ^ d_sign(b);
  var expA = d_exp(a); var sigA = d_frac(a);
  var expB = d_exp(b); var sigB = d_frac(b);
  if (expA == 0x7ff) {
    if (!u64_is0(sigA) || d_isnan(b)) { return D_NAN; }
    if (d_iszero(b)) { return D_NAN; }
    return d_inf(sign);
  }
  if (expB == 0x7ff) {
    if (!u64_is0(sigB)) { return D_NAN; }
    if (d_iszero(a)) { return D_NAN; }
    return d_inf(sign);
  }
  if (expA == 0) { if (u64_is0(sigA)) { return d_zero(sign); } let n = d_norm_subnormal(sigA); expA = n.exp; sigA = n.sig; }
  if (expB == 0) { if (u64_is0(sigB)) { return d_zero(sign); } let n = d_norm_subnormal(sigB); expB = n.exp; sigB = n.sig; }
  var expZ = expA + expB - 0x3ff;
  sigA = u64_shl(vec2<u32>(sigA.x, sigA.y | 0x00100000u), 10u);
  sigB = u64_shl(vec2<u32>(sigB.x, sigB.y | 0x00100000u), 11u);
  let p = u64_mul_wide(sigA, sigB);
  var sigZ = vec2<u32>(p.hi.x | select(0u, 1u, !u64_is0(p.lo)), p.hi.y);
  if (u64_lt(sigZ, vec2<u32>(0u, 0x40000000u))) { expZ = expZ - 1; sigZ = u64_shl(sigZ, 1u); }
  return d_round_pack(sign, expZ, sigZ);
}`,
  },
  d_div: {
    deps: ["d_core"],
    // Long division, one quotient bit per step, with a sticky bit for the remainder.
    code: `fn d_div(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let sign = d_sign(a) ^ d_sign(b);
  var expA = d_exp(a); var sigA = d_frac(a);
  var expB = d_exp(b); var sigB = d_frac(b);
  if (expA == 0x7ff) {
    if (!u64_is0(sigA) || expB == 0x7ff) { return D_NAN; }
    return d_inf(sign);
  }
  if (expB == 0x7ff) { if (!u64_is0(sigB)) { return D_NAN; } return d_zero(sign); }
  if (expB == 0) {
    if (u64_is0(sigB)) { if (d_iszero(a)) { return D_NAN; } return d_inf(sign); }
    let n = d_norm_subnormal(sigB); expB = n.exp; sigB = n.sig;
  }
  if (expA == 0) { if (u64_is0(sigA)) { return d_zero(sign); } let n = d_norm_subnormal(sigA); expA = n.exp; sigA = n.sig; }
  var expZ = expA - expB + 0x3fe;
  var r = vec2<u32>(sigA.x, sigA.y | 0x00100000u);
  let d = vec2<u32>(sigB.x, sigB.y | 0x00100000u);
  if (u64_lt(r, d)) { expZ = expZ - 1; r = u64_shl(r, 1u); }
  var q = vec2<u32>(0u);
  for (var i = 62; i >= 0; i = i - 1) {
    if (!u64_lt(r, d)) { r = u64_sub(r, d); q = q | u64_bit(u32(i)); }
    r = u64_shl(r, 1u);
  }
  if (!u64_is0(r)) { q.x = q.x | 1u; }
  return d_round_pack(sign, expZ, q);
}`,
  },
  d_sqrt: {
    deps: ["d_core"],
    // Digit-by-digit integer square root of the significand scaled by 2^64 (one result bit per
    // step; the remainder stays below 2^62), remainder as the sticky bit.
    code: `fn d_sqrt(a: vec2<u32>) -> vec2<u32> {
  if (d_isnan(a)) { return D_NAN; }
  if (d_iszero(a)) { return a; }
  if (d_sign(a) == 1u) { return D_NAN; }
  if (d_isinf(a)) { return a; }
  var expA = d_exp(a); var sigA = d_frac(a);
  if (expA == 0) { let n = d_norm_subnormal(sigA); expA = n.exp; sigA = n.sig; }
  // a = m·2^e with m = the 53-bit significand; make e even.
  var m = vec2<u32>(sigA.x, sigA.y | 0x00100000u);
  var e = expA - 1075;
  if ((e & 1) != 0) { m = u64_shl(m, 1u); e = e - 1; }
  // root = floor(sqrt(m·2^64)), in [2^58, 2^59).
  var rem = vec2<u32>(0u);
  var root = vec2<u32>(0u);
  for (var i = 59; i >= 0; i = i - 1) {
    var two = 0u;
    if (i >= 32) { two = u64_shr(m, u32(2 * i - 64)).x & 3u; }
    rem = u64_add(u64_shl(rem, 2u), vec2<u32>(two, 0u));
    let trial = u64_add(u64_shl(root, 2u), vec2<u32>(1u, 0u));
    root = u64_shl(root, 1u);
    if (!u64_lt(rem, trial)) { rem = u64_sub(rem, trial); root = vec2<u32>(root.x | 1u, root.y); }
  }
  let lead = 63u - u64_clz(root);
  var sig = u64_shl(root, 62u - lead);
  if (!u64_is0(rem)) { sig.x = sig.x | 1u; }
  return d_round_pack(0u, e / 2 - 32 + i32(lead) + 1022, sig);
}`,
  },
  d_cmp: {
    deps: ["d_core"],
    code: `fn d_eq(a: vec2<u32>, b: vec2<u32>) -> bool {
  if (d_isnan(a) || d_isnan(b)) { return false; }
  return (a.x == b.x && a.y == b.y) || (d_iszero(a) && d_iszero(b));
}
fn d_lt(a: vec2<u32>, b: vec2<u32>) -> bool {
  if (d_isnan(a) || d_isnan(b)) { return false; }
  let sa = d_sign(a);
  let sb = d_sign(b);
  if (sa != sb) { return sa == 1u && !(d_iszero(a) && d_iszero(b)); }
  if (a.x == b.x && a.y == b.y) { return false; }
  return (sa == 1u) != u64_lt(d_abs(a), d_abs(b));
}
fn d_le(a: vec2<u32>, b: vec2<u32>) -> bool { return d_lt(a, b) || d_eq(a, b); }
fn d_max(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { if (d_isnan(a) || d_isnan(b)) { return D_NAN; } return select(a, b, d_lt(a, b)); }
fn d_min(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { if (d_isnan(a) || d_isnan(b)) { return D_NAN; } return select(a, b, d_lt(b, a)); }`,
  },
  d_round: {
    deps: ["d_core", "d_add", "d_cmp"],
    code: `fn d_trunc(a: vec2<u32>) -> vec2<u32> {
  let e = d_exp(a) - 1023;
  if (e >= 52) { return a; }
  if (e < 0) { return d_zero(d_sign(a)); }
  let drop = u32(52 - e);
  let mask = u64_sub(u64_shl(vec2<u32>(1u, 0u), drop), vec2<u32>(1u, 0u));
  return vec2<u32>(a.x & ~mask.x, a.y & ~mask.y);
}
fn d_floor(a: vec2<u32>) -> vec2<u32> {
  if (d_isnan(a)) { return D_NAN; }
  let t = d_trunc(a);
  if (d_sign(a) == 1u && (t.x != a.x || t.y != a.y)) { return d_sub(t, D_ONE); }
  return t;
}
fn d_ceil(a: vec2<u32>) -> vec2<u32> {
  if (d_isnan(a)) { return D_NAN; }
  let t = d_trunc(a);
  if (d_sign(a) == 0u && (t.x != a.x || t.y != a.y)) { return d_add(t, D_ONE); }
  return t;
}
// Is the integer x odd? (x is an integer-valued double.)
fn d_is_odd_int(x: vec2<u32>) -> bool {
  let e = d_exp(x) - 1023;
  if (e < 0 || e > 52) { return false; }
  let sig = vec2<u32>(x.x, (x.y & 0xfffffu) | 0x00100000u);
  return (u64_shr(sig, u32(52 - e)).x & 1u) == 1u;
}
fn d_round_even(a: vec2<u32>) -> vec2<u32> {
  if (d_isnan(a) || d_exp(a) - 1023 >= 52) { return a; }
  let fl = d_floor(a);
  let diff = d_sub(a, fl);
  let half = vec2<u32>(0u, 0x3fe00000u);
  var r = fl;
  if (d_lt(half, diff) || (diff.x == half.x && diff.y == half.y && d_is_odd_int(fl))) { r = d_add(fl, D_ONE); }
  if (d_iszero(r)) { return d_zero(d_sign(a)); }
  return r;
}`,
  },
  d_fmod: {
    deps: ["d_core", "d_cmp"],
    // C's fmod, exactly: remainder of the integer significands by long division, then modular
    // doubling over the exponent difference.
    code: `fn d_fmod(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  var expA = d_exp(a); var sigA = d_frac(a);
  var expB = d_exp(b); var sigB = d_frac(b);
  if (expA == 0) { let n = d_norm_subnormal(sigA); expA = n.exp; sigA = n.sig; }
  if (expB == 0) { let n = d_norm_subnormal(sigB); expB = n.exp; sigB = n.sig; }
  let ma = vec2<u32>(sigA.x, sigA.y | 0x00100000u);
  let mb = vec2<u32>(sigB.x, sigB.y | 0x00100000u);
  if (expA < expB) { return a; }
  var r = ma;
  if (!u64_lt(r, mb)) { r = u64_sub(r, mb); }
  for (var k = expA; k > expB; k = k - 1) {
    r = u64_shl(r, 1u);
    if (!u64_lt(r, mb)) { r = u64_sub(r, mb); }
  }
  if (u64_is0(r)) { return d_zero(d_sign(a)); }
  // r·2^(expB − 1075) with r < 2^53: normalize (exact, no rounding needed).
  let shift = i32(u64_clz(r)) - 11;
  var e = expB - shift;
  var sig = u64_shl(r, u32(shift));
  if (e <= 0) { sig = u64_shr(sig, u32(1 - e)); e = 0; }
  else { sig = vec2<u32>(sig.x, sig.y & 0xfffffu); }
  return d_pack(d_sign(a), e, sig);
}`,
  },
  d_sign_of: {
    deps: ["d_core"],
    code: `fn d_sign_of(a: vec2<u32>) -> vec2<u32> {
  if (d_isnan(a) || d_iszero(a)) { return a; }
  return vec2<u32>(0u, (a.y & 0x80000000u) | 0x3ff00000u);
}`,
  },
  d_floormod: {
    deps: ["d_fmod", "d_add", "d_cmp"],
    // Python's a % b: the remainder has the divisor's sign.
    code: `fn d_floormod(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  if (d_isnan(a) || d_isnan(b) || d_isinf(a) || d_iszero(b)) { return D_NAN; }
  if (d_isinf(b)) { return select(b, a, d_iszero(a) || d_sign(a) == d_sign(b)); }
  var r = d_fmod(a, b);
  if (!d_iszero(r) && d_sign(r) != d_sign(b)) { r = d_add(r, b); }
  return r;
}`,
  },
  d_cast: {
    deps: ["d_core", "f_special"],
    code: `fn d_from_f32(x: f32) -> vec2<u32> {
  let bits = bitcast<u32>(x);
  let sign = bits >> 31u;
  var exp = i32((bits >> 23u) & 0xffu);
  var frac = bits & 0x7fffffu;
  if (exp == 0xff) { if (frac != 0u) { return D_NAN; } return d_inf(sign); }
  if (exp == 0) {
    if (frac == 0u) { return d_zero(sign); }
    let shift = countLeadingZeros(frac) - 8u;
    frac = frac << shift;
    exp = -i32(shift);
  }
  return d_pack(sign, exp + 0x380, vec2<u32>(frac << 29u, frac >> 3u));
}
fn d_to_f32(a: vec2<u32>) -> f32 {
  let sign = d_sign(a);
  let exp = d_exp(a);
  let frac = d_frac(a);
  if (exp == 0x7ff) {
    if (!u64_is0(frac)) { return f_nan(); }
    return bitcast<f32>((sign << 31u) | 0x7f800000u);
  }
  // 30 bits of fraction plus a sticky bit for the rest.
  let f = u64_shr_jam(frac, 22u).x;
  if (exp == 0 && f == 0u) { return bitcast<f32>(sign << 31u); }
  var e = exp - 0x381;
  var sig = f | 0x40000000u;
  var roundBits = sig & 0x7fu;
  if (e < 0 || e >= 0xfd) {
    if (e < 0) {
      let n = u32(min(-e, 31));
      let kept = sig >> n;
      sig = kept | select(0u, 1u, (kept << n) != sig);
      e = 0;
      roundBits = sig & 0x7fu;
    } else if (e > 0xfd || sig + 0x40u >= 0x80000000u) {
      return bitcast<f32>((sign << 31u) | 0x7f800000u);
    }
  }
  sig = (sig + 0x40u) >> 7u;
  if (roundBits == 0x40u) { sig = sig & 0xfffffffeu; }
  if (sig == 0u) { e = 0; }
  return bitcast<f32>((sign << 31u) + (u32(e) << 23u) + sig);
}
fn d_from_i32(x: i32) -> vec2<u32> {
  if (x == 0) { return D_ZERO; }
  let sign = select(0u, 1u, x < 0);
  let m = select(u32(x), u32(0) - u32(x), x < 0);
  let lz = countLeadingZeros(m);
  // value = m = 1.f·2^(31 − lz); the 52-bit fraction holds the bits below the leading one.
  let f = select(m << (lz + 1u), 0u, lz == 31u);
  return vec2<u32>(f << 20u, (sign << 31u) | (u32(1023 + 31 - i32(lz)) << 20u) | (f >> 12u));
}
fn d_to_i32(a: vec2<u32>) -> i32 {
  if (d_isnan(a)) { return 0; }
  let e = d_exp(a) - 1023;
  if (e < 0) { return 0; }
  let neg = d_sign(a) == 1u;
  if (e >= 31) { return select(2147483647, i32(-2147483647 - 1), neg); }
  let sig = vec2<u32>(a.x, (a.y & 0xfffffu) | 0x00100000u);
  let m = u64_shr(sig, u32(52 - e)).x;
  return select(i32(m), -i32(m), neg);
}
fn d_nonzero(a: vec2<u32>) -> bool { return !d_iszero(a); }`,
  },
};
