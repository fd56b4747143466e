/**
 * float64 elementary functions in WGSL on the exact soft-float of wgsl-f64.ts. The algorithms and
 * coefficients are those of fdlibm (Sun's freely distributable libm, which V8's Math functions also
 * use): exp, log and sin/cos (argument reduction by π/2 in three parts, Payne–Hanek with exact bits
 * of 2/π for huge arguments) give results within an ulp or so of Math.exp/log/sin/cos; log1p and
 * expm1 use Goldberg's and Kahan's compensations on top of them, tanh/sigmoid/softplus/elu are
 * composed as in float32, and pow is exp(y·log|x|) with C's special cases and exact repeated
 * squaring for small integer exponents.
 *
 * The soft-float arithmetic of each formula runs on the register machine of f64-vm.ts (see there
 * why); the WGSL here does the range checks, exponent manipulation and integer argument reduction.
 */
import { ERX, PA, PP, QA, QQ, RA, RB, SA, SB } from "./erf-coefficients.js";
import { OUT, prog, program, run, vmWgsl } from "./f64-vm.js";
import { twoOverPiWords } from "./two-over-pi.js";

interface Helper {
  readonly deps: readonly string[];
  readonly code: string;
}

const words = new Uint32Array(2);
const f64 = new Float64Array(words.buffer);

/** A float64 constant as WGSL `vec2<u32>(lo, hi)`. */
function D(x: number): string {
  f64[0] = x;
  return `vec2<u32>(0x${words[0]!.toString(16)}u, 0x${words[1]!.toString(16)}u)`;
}

const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
const EXP_P = [1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.65339022054652515390e-6, 4.13813679705723846039e-8];
const S = [-1.66666666666666324348e-1, 8.33333333332248946124e-3, -1.98412698298579493134e-4, 2.75573137070700676789e-6, -2.50507602534068634195e-8, 1.58969099521155010221e-10];
const C = [4.16666666666666019037e-2, -1.38888888888741095749e-3, 2.48015872894767294178e-5, -2.75573143513906633035e-7, 2.08757232129817482790e-9, -1.13596475577881948265e-11];

// ---------------------------------------------------------------- the programs (fdlibm's formulas)

program("add", 2, (a) => a.output(a.add(a.in(0), a.in(1))));
program("sub", 2, (a) => a.output(a.sub(a.in(0), a.in(1))));
program("mul", 2, (a) => a.output(a.mul(a.in(0), a.in(1))));
program("div", 2, (a) => a.output(a.div(a.in(0), a.in(1))));
/** x·c + h (rounding of the quotient estimate for exp and rem_pio2). */
program("mulc_add", 3, (a) => a.output(a.add(a.mul(a.in(0), a.in(1)), a.in(2))));

/** exp core: x, k → y with exp(x) = y·2^k. */
program("exp", 2, (a) => {
  const x = a.in(0);
  const kd = a.in(1);
  const h = a.sub(x, a.mul(kd, a.c(LN2_HI)));
  const l = a.mul(kd, a.c(LN2_LO));
  const r = a.sub(h, l);
  const t = a.mul(r, r);
  const c = a.sub(r, a.mul(t, a.poly(t, EXP_P)));
  // fdlibm's k = 0 case, 1 − (r·c/(c−2) − r), is this with k = 0 (l = 0, h = r): the same bits.
  a.output(a.sub(a.c(1), a.sub(a.sub(l, a.div(a.mul(r, c), a.sub(a.c(2), c))), h)));
});

/** log, |f| < 2^-20: f, k. */
program("log_small", 2, (a) => {
  const f = a.in(0);
  const dk = a.in(1);
  const R = a.mul(a.mul(f, f), a.sub(a.c(0.5), a.mul(a.c(0.3333333333333333), f)));
  a.output(a.sub(a.mul(dk, a.c(LN2_HI)), a.sub(a.sub(R, a.mul(dk, a.c(LN2_LO))), f)));
});
/** log of 2^k exactly: k·ln2_hi + k·ln2_lo. */
program("log_k", 1, (a) => a.output(a.add(a.mul(a.in(0), a.c(LN2_HI)), a.mul(a.in(0), a.c(LN2_LO)))));
function logMain(a: import("./f64-vm.js").Asm, withHfsq: boolean): void {
  const f = a.in(0);
  const dk = a.in(1);
  const s = a.div(f, a.add(a.c(2), f));
  const z = a.mul(s, s);
  const w = a.mul(z, z);
  const t1 = a.mul(w, a.poly(w, [3.999999999940941908e-1, 2.222219843214978396e-1, 1.531383769920937332e-1]));
  const t2 = a.mul(z, a.poly(w, [6.666666666666735130e-1, 2.857142874366239149e-1, 1.818357216161805012e-1, 1.479819860511658591e-1]));
  const R = a.add(t2, t1);
  const hi = a.mul(dk, a.c(LN2_HI));
  const lo = a.mul(dk, a.c(LN2_LO));
  if (withHfsq) {
    const hfsq = a.mul(a.mul(a.c(0.5), f), f);
    a.output(a.sub(hi, a.sub(a.sub(hfsq, a.add(a.mul(s, a.add(hfsq, R)), lo)), f)));
  } else {
    a.output(a.sub(hi, a.sub(a.sub(a.mul(s, a.sub(f, R)), lo), f)));
  }
}
program("log_hfsq", 2, (a) => logMain(a, true));
program("log_plain", 2, (a) => logMain(a, false));

/** log1p = log(u)·x/(u−1): lu, x, u. */
program("log1p_fix", 3, (a) => a.output(a.mul(a.in(0), a.div(a.in(1), a.sub(a.in(2), a.c(1))))));
/** expm1 = (u−1)·x/log(u): u, x, lu. */
program("expm1_fix", 3, (a) => a.output(a.mul(a.sub(a.in(0), a.c(1)), a.div(a.in(1), a.in(2)))));

/** rem_pio2, first round: x, n → r, w, y0. */
program("rem1", 2, (a) => {
  const r = a.sub(a.in(0), a.mul(a.in(1), a.c(1.57079632673412561417e0)));
  const w = a.mul(a.in(1), a.c(6.07710050650619224932e-11));
  a.output(r, w, a.sub(r, w));
});
/** rem_pio2, further rounds: r, n → r', w', y0 (parts p, pt). */
function remRound(name: string, p: number, pt: number): void {
  program(name, 2, (a) => {
    const t = a.in(0);
    const fn = a.in(1);
    const w0 = a.mul(fn, a.c(p));
    const r = a.sub(t, w0);
    const w = a.sub(a.mul(fn, a.c(pt)), a.sub(a.sub(t, r), w0));
    a.output(r, w, a.sub(r, w));
  });
}
remRound("rem2", 6.07710050630396597660e-11, 2.02226624879595063154e-21);
remRound("rem3", 2.02226624871116645580e-21, 8.47842766036889956997e-32);
/** y1 = (r − y0) − w: r, y0, w. */
program("rem_tail", 3, (a) => a.output(a.sub(a.sub(a.in(0), a.in(1)), a.in(2))));

/** __kernel_sin and __kernel_cos together: x, y, qx → sin, cos (iy = 1 form when `tail`). */
function kernels(name: string, tail: boolean): void {
  program(name, 3, (a) => {
    const x = a.in(0);
    const y = a.in(1);
    const qx = a.in(2);
    const z = a.mul(x, x);
    const v = a.mul(z, x);
    const r = a.poly(z, S.slice(1));
    const s1 = a.c(S[0]!);
    const sin = tail
      ? a.sub(x, a.sub(a.sub(a.mul(z, a.sub(a.mul(a.c(0.5), y), a.mul(v, r))), y), a.mul(v, s1)))
      : a.add(x, a.mul(v, a.add(s1, a.mul(z, r))));
    const rc = a.mul(z, a.poly(z, C));
    // With qx = 0 this is fdlibm's small-|x| form 1 − (z/2 − (z·r − x·y)).
    const hz = a.sub(a.mul(a.c(0.5), z), qx);
    const cos = a.sub(a.sub(a.c(1), qx), a.sub(hz, a.sub(a.mul(z, rc), a.mul(x, y))));
    a.output(sin, cos);
  });
}
kernels("sincos0", false);
kernels("sincos1", true);

/** tanh from t = expm1(2|x|) (|x| ≥ 1) or t = expm1(−2|x|). */
program("tanh_big", 1, (a) => a.output(a.sub(a.c(1), a.div(a.c(2), a.add(a.in(0), a.c(2))))));
program("tanh_small", 1, (a) => {
  const t = a.in(0);
  a.output(a.div(a.sub(a.c(0), t), a.add(t, a.c(2))));
});
/** sigmoid from e = exp(−|x|): 1/(1+e) and e/(1+e). */
program("sigmoid", 1, (a) => {
  const s = a.div(a.c(1), a.add(a.c(1), a.in(0)));
  a.output(s, a.mul(a.in(0), s));
});

/** atan (fdlibm's s_atan.c): the polynomial in x² after reduction; `small` is the |x| < 0.4375 form. */
const AT_ODD = [3.33333333333329318027e-01, 1.42857142725034663711e-01, 9.09088713343650656196e-02, 6.66107313738753120669e-02, 4.97687799461593236017e-02, 1.62858201153657823623e-02];
const AT_EVEN = [-1.99999999998764832476e-01, -1.11111104054623557880e-01, -7.69187620504482999495e-02, -5.83357013379057348645e-02, -3.65315727442169155270e-02];
const ATAN_HI = [4.63647609000806093515e-01, 7.85398163397448278999e-01, 9.82793723247329054082e-01, 1.57079632679489655800e+00];
const ATAN_LO = [2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17, 6.12323399573676603587e-17];
const PI = 3.1415926535897931160e+00;
const PI_LO = 1.2246467991473532e-16;
/** x·(s1 + s2) of fdlibm's atan, from x. */
function atanPoly(a: import("./f64-vm.js").Asm, x: number): number {
  const z = a.mul(x, x);
  const w = a.mul(z, z);
  return a.mul(x, a.add(a.mul(z, a.poly(w, AT_ODD)), a.mul(w, a.poly(w, AT_EVEN))));
}
program("atan_small", 1, (a) => a.output(a.sub(a.in(0), atanPoly(a, a.in(0)))));
program("atan_r0", 1, (a) => a.output(a.div(a.sub(a.mul(a.c(2), a.in(0)), a.c(1)), a.add(a.c(2), a.in(0)))));
program("atan_r1", 1, (a) => a.output(a.div(a.sub(a.in(0), a.c(1)), a.add(a.in(0), a.c(1)))));
program("atan_r2", 1, (a) => a.output(a.div(a.sub(a.in(0), a.c(1.5)), a.add(a.c(1), a.mul(a.c(1.5), a.in(0))))));
program("atan_r3", 1, (a) => a.output(a.div(a.c(-1), a.in(0))));
/** hi − ((x·(s1+s2) − lo) − x): x, hi, lo. */
program("atan_main", 3, (a) => a.output(a.sub(a.in(1), a.sub(a.sub(atanPoly(a, a.in(0)), a.in(2)), a.in(0)))));
/** atan2's quadrant fixes (fdlibm's e_atan2.c): π − (z − π_lo) and (z − π_lo) − π. */
program("atan2_q2", 1, (a) => a.output(a.sub(a.c(PI), a.sub(a.in(0), a.c(PI_LO)))));
program("atan2_q3", 1, (a) => a.output(a.sub(a.sub(a.in(0), a.c(PI_LO)), a.c(PI))));

/** Inverse trigonometric and hyperbolic functions (composed from exp, expm1, log, log1p, atan2 and sqrt). */
program("one_minus_sq", 1, (a) => a.output(a.mul(a.sub(a.c(1), a.in(0)), a.add(a.c(1), a.in(0)))));
/** sinh from t = expm1(|x|): (t + t/(t + 1))/2. */
program("sinh_mid", 1, (a) => a.output(a.mul(a.c(0.5), a.add(a.in(0), a.div(a.in(0), a.add(a.in(0), a.c(1)))))));
/** cosh from t = exp(|x|): t/2 + 1/(2t). */
program("cosh_mid", 1, (a) => a.output(a.add(a.mul(a.c(0.5), a.in(0)), a.div(a.c(0.5), a.in(0)))));
/** (w/2)·w with w = exp(|x|/2): sinh and cosh of large |x| without overflowing early. */
program("half_sq", 1, (a) => a.output(a.mul(a.mul(a.c(0.5), a.in(0)), a.in(0))));
/** log(2|x|) = log|x| + ln 2 (ln 2 in two parts). */
program("add_ln2", 1, (a) => a.output(a.add(a.add(a.in(0), a.c(LN2_LO)), a.c(LN2_HI))));
/** x², x² + 1. */
program("sq_p1", 1, (a) => {
  const x2 = a.mul(a.in(0), a.in(0));
  a.output(x2, a.add(x2, a.c(1)));
});
/** asinh's log1p argument |x| + x²/(1 + √(x² + 1)): ax, x², √(x² + 1). */
program("asinh_arg", 3, (a) => a.output(a.add(a.in(0), a.div(a.in(1), a.add(a.c(1), a.in(2))))));
/** acosh: t = x − 1 (exact below 2^53) and t·(t + 2). */
program("acosh_t", 1, (a) => {
  const t = a.sub(a.in(0), a.c(1));
  a.output(t, a.mul(t, a.add(t, a.c(2))));
});
/** atanh's log1p argument 2|x|/(1 − |x|). */
program("atanh_arg", 1, (a) => a.output(a.div(a.add(a.in(0), a.in(0)), a.sub(a.c(1), a.in(0)))));

/** The error functions (fdlibm's s_erf.c); see erf-coefficients.ts. x·PP(x²)/QQ(x²) for |x| < 0.84375. */
function erfSmallY(a: import("./f64-vm.js").Asm, x: number): number {
  const z = a.mul(x, x);
  return a.mul(x, a.div(a.poly(z, PP), a.poly(z, QQ)));
}
function erfMidPQ(a: import("./f64-vm.js").Asm, ax: number): number {
  const s = a.sub(ax, a.c(1));
  return a.div(a.poly(s, PA), a.poly(s, QA));
}
program("erf_small", 1, (a) => a.output(a.add(a.in(0), erfSmallY(a, a.in(0)))));
/** erfc below 0.84375: 1 − (x + x·y) under 1/4, else 0.5 − (x·y + (x − 0.5)). */
program("erfc_small_lo", 1, (a) => a.output(a.sub(a.c(1), a.add(a.in(0), erfSmallY(a, a.in(0))))));
program("erfc_small_hi", 1, (a) => a.output(a.sub(a.c(0.5), a.add(erfSmallY(a, a.in(0)), a.sub(a.in(0), a.c(0.5))))));
program("erf_mid", 1, (a) => a.output(a.add(a.c(ERX), erfMidPQ(a, a.in(0)))));
program("erfc_mid_pos", 1, (a) => a.output(a.sub(a.sub(a.c(1), a.c(ERX)), erfMidPQ(a, a.in(0)))));
program("erfc_mid_neg", 1, (a) => a.output(a.add(a.c(1), a.add(a.c(ERX), erfMidPQ(a, a.in(0))))));
/** The exponent −a² − 0.5625 + R(1/a²)/S(1/a²) of erfc's tail (a² rounded once: ≤ 3e-15 relative below 5.4, where erfc still exceeds 1e-14). */
function erfcArg(name: string, r: readonly number[], sq: readonly number[]): void {
  program(name, 1, (a) => {
    const x2 = a.mul(a.in(0), a.in(0));
    const t = a.div(a.c(1), x2);
    a.output(a.add(a.sub(a.c(-0.5625), x2), a.div(a.poly(t, r), a.poly(t, sq))));
  });
}
erfcArg("erfc_arg_a", RA, SA);
erfcArg("erfc_arg_b", RB, SB);
/** q = e/a, 1 − q, 2 − q: erfc, erf and erfc of −a from e = exp(the exponent). */
program("erf_tail_fin", 2, (a) => {
  const q = a.div(a.in(0), a.in(1));
  a.output(q, a.sub(a.c(1), q), a.sub(a.c(2), q));
});

/**
 * The driver loop of a soft-float function run in phases: phase k runs `steps[k]` (WGSL that loads
 * the registers `R` and selects a VM program through `s` and `e`, or sets `phase` itself and
 * `continue`s), the VM runs the program, and the phase after the last returns the result register.
 * The function declares `var R: DRegs;` and `var phase = 0;` before it.
 */
function phaseLoop(steps: readonly string[]): string {
  const branches = steps.map((step, k) => `if (phase == ${k}) {${step}\n    }`).join(" else ");
  return `loop {
    var s = 0u;
    var e = 0u;
    ${branches} else {
      return R[${OUT}];
    }
    d_vm(s, e, &R);
    phase = phase + 1;
  }`;
}

const VM = vmWgsl();

/** 2^126·π/2 as four 32-bit words, low to high (computed exactly from BigInt π). */
const PIO2_FIX = (() => {
  // π/2·2^126 = (2/π)^−1·2^126: use the 2/π words to get π by division in BigInt.
  const bits = 320n;
  const w = twoOverPiWords(10);
  let twoOverPi = 0n;
  for (const x of w) twoOverPi = (twoOverPi << 32n) | BigInt(x);
  // twoOverPi = 2/π·2^320 → π/2·2^126 = 2^(320+126) / twoOverPi
  const v = (1n << (bits + 126n)) / twoOverPi;
  return [0, 1, 2, 3].map((i) => Number((v >> BigInt(32 * i)) & 0xffffffffn));
})();


/** Bits of 2/π for every float64 exponent, after two zero words (bit i of 2/π sits at position i + 63). */
const TWO_OVER_PI_64 = [0, 0, ...twoOverPiWords(40)];

export const F64_MATH_HELPERS: Record<string, Helper> = {
  d_vm: { deps: ["d_add", "d_mul", "d_div"], code: VM },
  dm_exp: {
    deps: ["d_vm", "d_cmp", "d_cast"],
    code: `fn dm_exp(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return D_NAN; }
  if (d_lt(${D(7.09782712893383973096e2)}, x)) { return d_inf(0u); }
  if (d_lt(x, ${D(-7.45133219101941108420e2)})) { return D_ZERO; }
  let hx = x.y & 0x7fffffffu;
  let neg = d_sign(x) == 1u;
  // phases: 0 k estimate (|x| ≥ 1.5 ln2), 1 the exp core, 2 scaling below 2^-1021, 9 |x| < 2^-28
  var phase = 1;
  var k = 0;
  if (hx < 0x3e300000u) { phase = 9; }
  else if (hx >= 0x3ff0a2b2u) { phase = 0; }
  else if (hx > 0x3fd62e42u) { k = select(1, -1, neg); }
  var R: DRegs;
  loop {
    var s = 0u;
    var e = 0u;
    if (phase == 0) {
      R[0] = x; R[1] = ${D(1.44269504088896338700e0)}; R[2] = select(${D(0.5)}, ${D(-0.5)}, neg); ${prog("mulc_add")}
    } else if (phase == 1) {
      if (hx >= 0x3ff0a2b2u) { k = d_to_i32(R[${OUT}]); }
      R[0] = x; R[1] = d_from_i32(k); ${prog("exp")}
    } else if (phase == 2) {
      let y = R[${OUT}];
      if (k >= -1021) { return vec2<u32>(y.x, bitcast<u32>(bitcast<i32>(y.y) + k * 1048576)); }
      R[0] = vec2<u32>(y.x, bitcast<u32>(bitcast<i32>(y.y) + (k + 1000) * 1048576)); R[1] = ${D(2 ** -1000)}; ${prog("mul")}
    } else if (phase == 9) {
      R[0] = D_ONE; R[1] = x; ${prog("add")}
    } else {
      return R[${OUT}];
    }
    d_vm(s, e, &R);
    phase = select(phase + 1, 10, phase == 9);
  }
}`,
  },
  dm_log: {
    deps: ["d_vm", "d_cast"],
    code: `fn dm_log(xIn: vec2<u32>) -> vec2<u32> {
  var x = xIn;
  if (d_isnan(x)) { return D_NAN; }
  var hx = bitcast<i32>(x.y);
  var k = 0;
  if (hx < 0x00100000) {
    if (d_iszero(x)) { return d_inf(1u); }
    if (hx < 0) { return D_NAN; }
    // subnormal: scale by 2^54 exactly (normalize the significand by hand)
    let n = d_norm_subnormal(d_frac(x));
    x = d_pack(0u, n.exp + 54 - 1, n.sig);
    k = -54;
    hx = bitcast<i32>(x.y);
  }
  if (hx >= 0x7ff00000) { return x; }
  k = k + (hx >> 20u) - 1023;
  hx = hx & 0x000fffff;
  let i0 = (hx + 0x95f64) & 0x100000;
  x = vec2<u32>(x.x, bitcast<u32>(hx | (i0 ^ 0x3ff00000)));
  k = k + (i0 >> 20u);
  let dk = d_from_i32(k);
  // phases: 0 f = x − 1, 1 the formula for f's range, 2 done
  var phase = 0;
  var R: DRegs;
  ${phaseLoop([
  `
      R[0] = x; R[1] = D_ONE; ${prog("sub")}`,
  `
      let f = R[${OUT}];
      R[0] = f; R[1] = dk;
      if ((0x000fffff & (2 + hx)) < 3) {
        if (d_iszero(f)) {
          if (k == 0) { return D_ZERO; }
          R[0] = dk; ${prog("log_k")}
        } else { ${prog("log_small")} }
      } else if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) { ${prog("log_hfsq")} } else { ${prog("log_plain")} }`,
  ])}
}`,
  },
  dm_log1p: {
    deps: ["dm_log", "d_cmp"],
    // log(1+x) = log(u)·x/(u−1) with u = 1+x rounded (Goldberg); exact soft-float keeps u−1 honest.
    code: `fn dm_log1p(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return D_NAN; }
  let m1 = ${D(-1)};
  if (d_eq(x, m1)) { return d_inf(1u); }
  if (d_lt(x, m1)) { return D_NAN; }
  if (d_isinf(x)) { return x; }
  var R: DRegs;
  var phase = 0;
  ${phaseLoop([
  `
      R[0] = D_ONE; R[1] = x; ${prog("add")}`,
  `
      let u = R[${OUT}];
      if (d_eq(u, D_ONE)) { return x; }
      R[0] = dm_log(u); R[1] = x; R[2] = u; ${prog("log1p_fix")}`,
  ])}
}`,
  },
  dm_expm1: {
    deps: ["dm_exp", "dm_log", "d_cmp"],
    // exp(x)−1 = (u−1)·x/log(u) with u = exp(x) (Kahan).
    code: `fn dm_expm1(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return D_NAN; }
  if (d_lt(x, ${D(-40)})) { return ${D(-1)}; }
  let u = dm_exp(x);
  if (d_eq(u, D_ONE)) { return x; }
  if (d_isinf(u)) { return u; }
  var R: DRegs;
  var phase = 0;
  ${phaseLoop([
  `
      R[0] = u; R[1] = D_ONE; ${prog("sub")}`,
  `
      if (d_eq(R[${OUT}], ${D(-1)})) { return ${D(-1)}; }
      R[0] = u; R[1] = x; R[2] = dm_log(u); ${prog("expm1_fix")}`,
  ])}
}`,
  },
  dm_trig: {
    deps: ["d_vm", "d_cast", "d_cmp"],
    code: `struct DRem { n: i32, y0: vec2<u32>, y1: vec2<u32> }
const TWO_OVER_PI_64 = array<u32, ${TWO_OVER_PI_64.length}>(${TWO_OVER_PI_64.map((w) => `0x${w.toString(16)}u`).join(", ")});
fn d_2pi_word(p: u32) -> u32 {
  let w = p >> 5u; let sh = p & 31u;
  if (sh == 0u) { return TWO_OVER_PI_64[w]; }
  return (TWO_OVER_PI_64[w] << sh) | (TWO_OVER_PI_64[w + 1u] >> (32u - sh));
}
// Payne–Hanek for |x| ≥ 2^20·π/2: x·2/π mod 4 from a 192-bit window of 2/π times the 53-bit
// significand (exact integer products), then the fraction times π/2 in 128-bit fixed point.
fn d_rem_pio2_huge(x: vec2<u32>) -> DRem {
  let e = d_exp(x) - 1075;
  let m0 = x.x;
  let m1 = (x.y & 0xfffffu) | 0x100000u;
  let p = u32(e - 1 + 63);
  var w: array<u32, 6>;
  for (var k = 0u; k < 6u; k = k + 1u) { w[5u - k] = d_2pi_word(p + 32u * k); }
  // P = m·W mod 2^192
  var P: array<u32, 6>;
  for (var i = 0u; i < 2u; i = i + 1u) {
    let a = select(m0, m1, i == 1u);
    var carry = 0u;
    for (var j = 0u; i + j < 6u; j = j + 1u) {
      let prod = u32_mul_wide(a, w[j]);
      let t = P[i + j] + prod.x;
      let c1 = select(0u, 1u, t < prod.x);
      let t2 = t + carry;
      let c2 = select(0u, 1u, t2 < carry);
      P[i + j] = t2;
      carry = prod.y + c1 + c2;
    }
  }
  var n = i32(P[5] >> 30u);
  P[5] = P[5] & 0x3fffffffu;
  // y0, y1 carry x's sign, flipped when the fraction is taken as fraction − 1.
  var sign = d_sign(x);
  if ((P[5] & 0x20000000u) != 0u) {
    // fraction ≥ 1/2: use fraction − 1 (two's complement over 190 bits) and the next quadrant
    n = n + 1;
    sign = sign ^ 1u;
    var borrow = 1u;
    for (var k = 0u; k < 6u; k = k + 1u) {
      let v = ~P[k] + borrow;
      borrow = select(0u, 1u, borrow == 1u && v == 0u);
      P[k] = v;
    }
    P[5] = P[5] & 0x3fffffffu;
  }
  // A: the 128 bits of F from its leading one down (lz = leading zeros of the 192-bit P), F = A·2^(−126−lz).
  var lz = 0u;
  var top = 5;
  while (top > 0 && P[top] == 0u) { top = top - 1; lz = lz + 32u; }
  lz = lz + countLeadingZeros(P[top]);
  // Shift P left by lz (whole words, then bits) and keep the top four words.
  let ws = lz >> 5u;
  let bs = lz & 31u;
  var A: array<u32, 4>;
  for (var k = 0u; k < 4u; k = k + 1u) {
    let src = i32(k) + 2 - i32(ws);
    var v = 0u;
    if (src >= 0 && src < 6) { v = P[src] << bs; }
    if (bs != 0u && src >= 1 && src <= 6) { v = v | (P[src - 1] >> (32u - bs)); }
    A[k] = v;
  }
  // π/2 as a 128-bit fixed-point number (2^126·π/2), words low to high.
  let PIO2 = array<u32, 4>(0x${PIO2_FIX[0]!.toString(16)}u, 0x${PIO2_FIX[1]!.toString(16)}u, 0x${PIO2_FIX[2]!.toString(16)}u, 0x${PIO2_FIX[3]!.toString(16)}u);
  var R: array<u32, 8>;
  for (var i = 0u; i < 4u; i = i + 1u) {
    var carry = 0u;
    for (var j = 0u; j < 4u; j = j + 1u) {
      let prod = u32_mul_wide(A[i], PIO2[j]);
      let t = R[i + j] + prod.x;
      let c1 = select(0u, 1u, t < prod.x);
      let t2 = t + carry;
      let c2 = select(0u, 1u, t2 < carry);
      R[i + j] = t2;
      carry = prod.y + c1 + c2;
    }
    R[i + 4u] = carry;
  }
  // r = R·2^(−252−lz); T = R >> 128, shifted left by s so that its leading one is at bit 126.
  var T: array<u32, 4> = array<u32, 4>(R[4], R[5], R[6], R[7]);
  let s = i32(countLeadingZeros(T[3])) - 1;
  if (s > 0) {
    for (var k = 3; k > 0; k = k - 1) { T[k] = (T[k] << u32(s)) | (T[k - 1] >> u32(32 - s)); }
    T[0] = T[0] << u32(s);
  }
  // y0: the top 53 bits of T (truncated, so exact), value sig·2^(−60−lz−s).
  let y0 = d_round_pack(sign, 1024 - i32(lz) - s, vec2<u32>(T[2] & 0xfffffc00u, T[3]));
  // y1: bits 73..0 of T, as (bits 73..10)·2^(−114−lz−s) with bits 9..0 as the sticky bit.
  let sig1 = vec2<u32>((T[0] >> 10u) | (T[1] << 22u) | select(0u, 1u, (T[0] & 0x3ffu) != 0u), (T[1] >> 10u) | ((T[2] & 0x3ffu) << 22u));
  var y1 = D_ZERO;
  if (!u64_is0(sig1)) { y1 = d_norm_round_pack(sign, 970 - i32(lz) - s, sig1); }
  if (d_sign(x) == 1u) { n = -n; }
  return DRem(n, y0, y1);
}
fn dm_sincos(x: vec2<u32>, wantCos: bool) -> vec2<u32> {
  if (d_isnan(x) || d_isinf(x)) { return D_NAN; }
  let hx = x.y & 0x7fffffffu;
  // |x| < 2^-27: sin x = x (keeps −0), cos x = 1.
  if (hx < 0x3e400000u) { return select(x, D_ONE, wantCos); }
  let small = hx <= 0x3fe921fbu;
  let huge = hx >= 0x413921fbu;
  var rem = DRem(0, x, D_ZERO);
  // phases: 0 n = round(x·2/π); 1, 2, 3 the rounds of the three-part reduction (each round checks
  // whether the next is needed, else runs the tail y1 = (r − y0) − w); 4 the sin/cos kernels;
  // 5 done. |x| ≤ π/4 starts at 4, and |x| ≥ 2^20·π/2 is reduced natively (Payne–Hanek) first.
  var phase = 0;
  if (small) { phase = 4; }
  else if (huge) { rem = d_rem_pio2_huge(x); phase = 4; }
  var R: DRegs;
  var fn_ = D_ZERO;
  var tail = false;
  let j = i32(hx >> 20u);
  loop {
    var s = 0u;
    var e = 0u;
    var next = phase + 1;
    if (phase == 0) {
      R[0] = x; R[1] = ${D(6.36619772367581382433e-1)}; R[2] = select(${D(0.5)}, ${D(-0.5)}, d_sign(x) == 1u); ${prog("mulc_add")}
    } else if (phase == 1) {
      rem.n = d_to_i32(R[${OUT}]);
      fn_ = d_from_i32(rem.n);
      R[0] = x; R[1] = fn_; ${prog("rem1")}
    } else if (phase == 2 || phase == 3) {
      let r = R[${OUT}];
      let w = R[${OUT + 1}];
      let y0 = R[${OUT + 2}];
      rem.y0 = y0;
      if (j - d_exp(y0) > select(16, 49, phase == 3)) {
        R[0] = r; R[1] = fn_;
        if (phase == 2) { ${prog("rem2")} } else { ${prog("rem3")} }
      } else {
        R[0] = r; R[1] = y0; R[2] = w; ${prog("rem_tail")}
        tail = true;
        next = 4;
      }
    } else if (phase == 4) {
      if (tail) { rem.y1 = R[${OUT}]; }
      else if (!small && !huge) {
        // after the third round: its results, then the tail (run as phase 4 again)
        let r = R[${OUT}];
        let w = R[${OUT + 1}];
        rem.y0 = R[${OUT + 2}];
        R[0] = r; R[1] = rem.y0; R[2] = w; ${prog("rem_tail")}
        tail = true;
        next = 4;
      }
      if (next != 4) {
        // __kernel_cos subtracts qx = |x|/4 (x > 0.3) or 0.28125 (x > 0.78125) first, for accuracy.
        let ix = rem.y0.y & 0x7fffffffu;
        var qx = D_ZERO;
        if (ix >= 0x3fd33333u) { qx = select(vec2<u32>(0u, ix - 0x00200000u), ${D(0.28125)}, ix > 0x3fe90000u); }
        R[0] = rem.y0; R[1] = rem.y1; R[2] = qx;
        if (small) { ${prog("sincos0")} } else { ${prog("sincos1")} }
      }
    } else {
      let q = (rem.n + select(0, 1, wantCos)) & 3;
      let v = select(R[${OUT}], R[${OUT + 1}], (q & 1) == 1);
      return select(v, d_neg(v), q >= 2);
    }
    d_vm(s, e, &R);
    phase = next;
  }
}
fn dm_sin(x: vec2<u32>) -> vec2<u32> { return dm_sincos(x, false); }
fn dm_cos(x: vec2<u32>) -> vec2<u32> { return dm_sincos(x, true); }`,
  },
  dm_atan: {
    deps: ["d_vm", "d_cmp"],
    // fdlibm's atan: reduce |x| into four ranges around tan(π/8 … 3π/8) and evaluate one odd polynomial.
    // One d_vm call site (phases), as the other functions here: every call site is a copy of the VM.
    code: `fn dm_atan(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return D_NAN; }
  let ax = d_abs(x);
  let neg = d_sign(x) == 1u;
  if (!d_lt(ax, ${D(2 ** 66)})) { return select(${D(ATAN_HI[3]! + ATAN_LO[3]!)}, ${D(-(ATAN_HI[3]! + ATAN_LO[3]!))}, neg); }
  if (d_lt(ax, ${D(2 ** -27)})) { return x; }
  let small = d_lt(ax, ${D(0.4375)});
  var R: DRegs;
  var hi = D_ZERO;
  var lo = D_ZERO;
  var phase = 0;
  loop {
    var s = 0u;
    var e = 0u;
    if (phase == 0) {
      if (small) { R[0] = x; ${prog("atan_small")} }
      else {
        R[0] = ax;
        if (d_lt(ax, ${D(1.1875)})) {
          if (d_lt(ax, ${D(0.6875)})) { ${prog("atan_r0")} hi = ${D(ATAN_HI[0]!)}; lo = ${D(ATAN_LO[0]!)}; }
          else { ${prog("atan_r1")} hi = ${D(ATAN_HI[1]!)}; lo = ${D(ATAN_LO[1]!)}; }
        } else {
          if (d_lt(ax, ${D(2.4375)})) { ${prog("atan_r2")} hi = ${D(ATAN_HI[2]!)}; lo = ${D(ATAN_LO[2]!)}; }
          else { ${prog("atan_r3")} hi = ${D(ATAN_HI[3]!)}; lo = ${D(ATAN_LO[3]!)}; }
        }
      }
    } else if (phase == 1 && !small) {
      R[0] = R[${OUT}]; R[1] = hi; R[2] = lo; ${prog("atan_main")}
    } else {
      let z = R[${OUT}];
      return select(z, d_neg(z), neg && !small);
    }
    d_vm(s, e, &R);
    phase = phase + 1;
  }
}`,
  },
  dm_atan2: {
    deps: ["d_vm", "d_cmp"],
    // fdlibm's atan2: signed zeros and infinities by quadrant m = 2·sign(x) + sign(y), then atan(|y/x|)
    // with dm_atan's reduction, all in one phase machine: a single d_vm call site keeps the shader
    // small (every call site is a copy of the VM, and lavapipe compiles them slowly).
    code: `fn dm_atan2(y: vec2<u32>, x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x) || d_isnan(y)) { return D_NAN; }
  var m = d_sign(y) | (d_sign(x) << 1u);
  let pi = ${D(PI)};
  let pio2 = ${D(PI / 2)};
  if (d_iszero(y)) {
    if (m < 2u) { return y; }
    return select(pi, d_neg(pi), m == 3u);
  }
  if (d_iszero(x)) { return select(pio2, d_neg(pio2), d_sign(y) == 1u); }
  if (d_isinf(x)) {
    var r: vec2<u32>;
    if (d_isinf(y)) { r = select(${D(PI / 4)}, ${D((3 * PI) / 4)}, m >= 2u); }
    else { r = select(D_ZERO, pi, m >= 2u); }
    return select(r, d_neg(r), (m & 1u) == 1u);
  }
  if (d_isinf(y)) { return select(pio2, d_neg(pio2), d_sign(y) == 1u); }
  // fdlibm's exponent difference from the high words.
  let k = (i32(y.y & 0x7fffffffu) - i32(x.y & 0x7fffffffu)) >> 20u;
  var R: DRegs;
  var z = D_ZERO;
  var hi = D_ZERO;
  var lo = D_ZERO;
  // Phases: 0 q = y/x, 1 reduce |q| (atan's ranges), 2 atan's polynomial, 3 z = its result,
  // 4 the quadrant fix, 5 done. atan2(y, 1) is atan(y): q = y, and m = sign(y) already.
  var phase = 0;
  if (k > 60) { z = ${D(PI / 2 + 0.5 * PI_LO)}; m = m & 1u; phase = 4; }
  else if (d_sign(x) == 1u && k < -60) { phase = 4; }
  else if (d_eq(x, D_ONE)) { R[${OUT}] = y; phase = 1; }
  ${phaseLoop([
  `
      R[0] = y; R[1] = x; ${prog("div")}`,
  `
      let aq = d_abs(R[${OUT}]);
      if (!d_lt(aq, ${D(2 ** 66)})) { z = ${D(ATAN_HI[3]! + ATAN_LO[3]!)}; phase = 4; continue; }
      if (d_lt(aq, ${D(2 ** -27)})) { z = aq; phase = 4; continue; }
      R[0] = aq;
      if (d_lt(aq, ${D(0.4375)})) { ${prog("atan_small")} phase = 2; }
      else if (d_lt(aq, ${D(0.6875)})) { ${prog("atan_r0")} hi = ${D(ATAN_HI[0]!)}; lo = ${D(ATAN_LO[0]!)}; }
      else if (d_lt(aq, ${D(1.1875)})) { ${prog("atan_r1")} hi = ${D(ATAN_HI[1]!)}; lo = ${D(ATAN_LO[1]!)}; }
      else if (d_lt(aq, ${D(2.4375)})) { ${prog("atan_r2")} hi = ${D(ATAN_HI[2]!)}; lo = ${D(ATAN_LO[2]!)}; }
      else { ${prog("atan_r3")} hi = ${D(ATAN_HI[3]!)}; lo = ${D(ATAN_LO[3]!)}; }`,
  `
      R[0] = R[${OUT}]; R[1] = hi; R[2] = lo; ${prog("atan_main")}`,
  `
      z = R[${OUT}];
      phase = 4;
      continue;`,
  `
      if (m == 0u) { return z; }
      if (m == 1u) { return d_neg(z); }
      R[0] = z;
      if (m == 2u) { ${prog("atan2_q2")} } else { ${prog("atan2_q3")} }`,
  ])}
}`,
  },
  dm_asin: {
    deps: ["dm_atan2", "d_sqrt"],
    // atan2(x, √((1 − x)(1 + x))): NaN outside [−1, 1] through the square root.
    code: `fn dm_asin(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return D_NAN; }
  var R: DRegs;
  R[0] = x;
  ${run("one_minus_sq")};
  return dm_atan2(x, d_sqrt(R[${OUT}]));
}`,
  },
  dm_acos: {
    deps: ["dm_atan2", "d_sqrt"],
    code: `fn dm_acos(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return D_NAN; }
  var R: DRegs;
  R[0] = x;
  ${run("one_minus_sq")};
  return dm_atan2(d_sqrt(R[${OUT}]), x);
}`,
  },
  dm_sinh: {
    deps: ["dm_exp", "dm_expm1", "d_cmp"],
    // |x| < 22: t = expm1(|x|), (t + t/(t + 1))/2; else (w/2)·w with w = exp(|x|/2) (|x|/2 exactly:
    // one off the exponent), which reaches the largest finite values before overflowing.
    code: `fn dm_sinh(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x) || d_isinf(x)) { return x; }
  let ax = d_abs(x);
  if (d_lt(ax, ${D(2 ** -28)})) { return x; }
  var R: DRegs;
  var s = 0u;
  var e = 0u;
  if (d_lt(ax, ${D(22)})) { R[0] = dm_expm1(ax); ${prog("sinh_mid")} }
  else { R[0] = dm_exp(vec2<u32>(ax.x, ax.y - 0x00100000u)); ${prog("half_sq")} }
  d_vm(s, e, &R);
  let r = R[${OUT}];
  return select(r, d_neg(r), d_sign(x) == 1u);
}`,
  },
  dm_cosh: {
    deps: ["dm_exp", "d_cmp"],
    code: `fn dm_cosh(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return x; }
  let ax = d_abs(x);
  if (d_isinf(x)) { return ax; }
  var R: DRegs;
  var s = 0u;
  var e = 0u;
  if (d_lt(ax, ${D(22)})) { R[0] = dm_exp(ax); ${prog("cosh_mid")} }
  else { R[0] = dm_exp(vec2<u32>(ax.x, ax.y - 0x00100000u)); ${prog("half_sq")} }
  d_vm(s, e, &R);
  return R[${OUT}];
}`,
  },
  dm_asinh: {
    deps: ["dm_log", "dm_log1p", "d_sqrt", "d_cmp"],
    // log1p(|x| + x²/(1 + √(x² + 1))); above 2^28, log|x| + ln 2.
    code: `fn dm_asinh(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x) || d_isinf(x)) { return x; }
  let ax = d_abs(x);
  if (d_lt(ax, ${D(2 ** -28)})) { return x; }
  let neg = d_sign(x) == 1u;
  var R: DRegs;
  // phases: 0 x², x² + 1; 1 the log1p argument; 2 its log1p; 3 log|x| + ln 2 (|x| > 2^28); 4 done
  var phase = select(0, 3, d_lt(${D(2 ** 28)}, ax));
  ${phaseLoop([
    `
      R[0] = ax; ${prog("sq_p1")}`,
    `
      R[0] = ax; R[1] = R[${OUT}]; R[2] = d_sqrt(R[${OUT + 1}]); ${prog("asinh_arg")}`,
    `
      let r = dm_log1p(R[${OUT}]);
      return select(r, d_neg(r), neg);`,
    `
      R[0] = dm_log(ax); ${prog("add_ln2")}`,
    `
      let r = R[${OUT}];
      return select(r, d_neg(r), neg);`,
  ])}
}`,
  },
  dm_acosh: {
    deps: ["dm_log", "dm_log1p", "d_sqrt", "d_cmp"],
    // log1p(t + √(t(t + 2))) with t = x − 1; above 2^28, log x + ln 2; NaN below 1.
    code: `fn dm_acosh(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return x; }
  if (d_lt(x, D_ONE)) { return D_NAN; }
  if (d_isinf(x)) { return x; }
  var R: DRegs;
  // phases: 0 t and t(t + 2); 1 t + √(t(t + 2)); 2 its log1p; 3 log x + ln 2 (x > 2^28); 4 done
  var phase = select(0, 3, d_lt(${D(2 ** 28)}, x));
  ${phaseLoop([
    `
      R[0] = x; ${prog("acosh_t")}`,
    `
      R[0] = R[${OUT}]; R[1] = d_sqrt(R[${OUT + 1}]); ${prog("add")}`,
    `
      return dm_log1p(R[${OUT}]);`,
    `
      R[0] = dm_log(x); ${prog("add_ln2")}`,
  ])}
}`,
  },
  dm_atanh: {
    deps: ["dm_log1p", "d_cmp"],
    // log1p(2|x|/(1 − |x|))/2 (the halving exact on the exponent: the result is at least 2^-28).
    code: `fn dm_atanh(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return x; }
  let ax = d_abs(x);
  let neg = d_sign(x) == 1u;
  if (d_lt(D_ONE, ax)) { return D_NAN; }
  if (d_eq(ax, D_ONE)) { return d_inf(d_sign(x)); }
  if (d_lt(ax, ${D(2 ** -28)})) { return x; }
  var R: DRegs;
  R[0] = ax;
  ${run("atanh_arg")};
  let r = dm_log1p(R[${OUT}]);
  let h = vec2<u32>(r.x, r.y - 0x00100000u);
  return select(h, d_neg(h), neg);
}`,
  },
  dm_erf: {
    deps: ["dm_exp", "d_cmp"],
    code: `fn dm_erf(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return D_NAN; }
  let a = d_abs(x);
  let neg = d_sign(x) == 1u;
  if (!d_lt(a, ${D(6)})) { return select(D_ONE, d_neg(D_ONE), neg); }
  let small = d_lt(a, ${D(0.84375)});
  let mid = !small && d_lt(a, ${D(1.25)});
  var R: DRegs;
  // phases: 0 the range's formula (or the tail's exponent); 1 exp and the tail's quotient; 2 done
  var phase = 0;
  ${phaseLoop([
    `
      if (small) { R[0] = x; ${prog("erf_small")} }
      else {
        R[0] = a;
        if (mid) { ${prog("erf_mid")} }
        else if (d_lt(a, ${D(1 / 0.35)})) { ${prog("erfc_arg_a")} }
        else { ${prog("erfc_arg_b")} }
      }`,
    `
      if (small) { return R[${OUT}]; }
      if (mid) { let r = R[${OUT}]; return select(r, d_neg(r), neg); }
      R[0] = dm_exp(R[${OUT}]); R[1] = a; ${prog("erf_tail_fin")}`,
    `
      let r = R[${OUT + 1}];
      return select(r, d_neg(r), neg);`,
  ])}
}`,
  },
  dm_erfc: {
    deps: ["dm_exp", "d_cmp"],
    code: `fn dm_erfc(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return D_NAN; }
  let a = d_abs(x);
  let neg = d_sign(x) == 1u;
  if (!d_lt(${D(-6)}, x)) { return ${D(2)}; }
  if (!d_lt(a, ${D(28)})) { return D_ZERO; }
  let tail = !d_lt(a, ${D(1.25)});
  var R: DRegs;
  // phases: 0 the range's formula (or the tail's exponent); 1 exp and the tail's quotient; 2 done
  var phase = 0;
  ${phaseLoop([
    `
      if (d_lt(a, ${D(0.84375)})) {
        R[0] = x;
        if (d_lt(x, ${D(0.25)})) { ${prog("erfc_small_lo")} } else { ${prog("erfc_small_hi")} }
      } else {
        R[0] = a;
        if (!tail) {
          if (neg) { ${prog("erfc_mid_neg")} } else { ${prog("erfc_mid_pos")} }
        } else if (d_lt(a, ${D(1 / 0.35)})) { ${prog("erfc_arg_a")} }
        else { ${prog("erfc_arg_b")} }
      }`,
    `
      if (!tail) { return R[${OUT}]; }
      R[0] = dm_exp(R[${OUT}]); R[1] = a; ${prog("erf_tail_fin")}`,
    `
      return select(R[${OUT}], R[${OUT + 2}], neg);`,
  ])}
}`,
  },
  dm_tanh: {
    deps: ["dm_expm1"],
    code: `fn dm_tanh(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return D_NAN; }
  let ax = d_abs(x);
  if (!d_lt(ax, ${D(22)})) { return select(D_ONE, d_neg(D_ONE), d_sign(x) == 1u); }
  if (d_lt(ax, ${D(2 ** -55)})) { return x; }
  let big = !d_lt(ax, D_ONE);
  // 2|x| exactly (|x| < 22): add one to the exponent.
  let two_ax = vec2<u32>(ax.x, ax.y + 0x00100000u);
  var R: DRegs;
  R[0] = dm_expm1(select(d_neg(two_ax), two_ax, big));
  var s = 0u;
  var e = 0u;
  if (big) { ${prog("tanh_big")} } else { ${prog("tanh_small")} }
  d_vm(s, e, &R);
  let z = R[${OUT}];
  return select(z, d_neg(z), d_sign(x) == 1u);
}`,
  },
  dm_sigmoid: {
    deps: ["dm_exp"],
    code: `fn dm_sigmoid(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return D_NAN; }
  var R: DRegs;
  R[0] = dm_exp(d_neg(d_abs(x)));
  ${run("sigmoid")};
  return select(R[${OUT}], R[${OUT + 1}], d_sign(x) == 1u && !d_iszero(x));
}`,
  },
  dm_softplus: {
    deps: ["dm_exp", "dm_log1p"],
    code: `fn dm_softplus(x: vec2<u32>) -> vec2<u32> {
  if (d_isnan(x)) { return D_NAN; }
  var R: DRegs;
  R[0] = select(x, D_ZERO, d_lt(x, D_ZERO));
  R[1] = dm_log1p(dm_exp(d_neg(d_abs(x))));
  ${run("add")};
  return R[${OUT}];
}`,
  },
  dm_elu: {
    deps: ["dm_expm1", "d_cmp"],
    code: `fn dm_elu(x: vec2<u32>) -> vec2<u32> { if (d_lt(D_ZERO, x)) { return x; } return dm_expm1(x); }`,
  },
  dm_pow: {
    deps: ["dm_exp", "dm_log", "d_round"],
    // C's pow: pow(x, ±0) = 1, pow(1, y) = 1, pow(±1, ±Inf) = 1, negative base only with integer y.
    code: `fn dm_pow(x: vec2<u32>, y: vec2<u32>) -> vec2<u32> {
  if (d_iszero(y) || d_eq(x, D_ONE)) { return D_ONE; }
  if (d_isnan(x) || d_isnan(y)) { return D_NAN; }
  let ax = d_abs(x);
  if (d_isinf(y)) {
    if (d_eq(ax, D_ONE)) { return D_ONE; }
    return select(D_ZERO, d_inf(0u), d_lt(D_ONE, ax) == (d_sign(y) == 0u));
  }
  let ay = d_abs(y);
  let yInt = d_eq(d_floor(y), y);
  if (d_sign(x) == 1u && !yInt && !d_isinf(x) && !d_iszero(x)) { return D_NAN; }
  let flip = yInt && d_lt(ay, ${D(2 ** 53)}) && d_is_odd_int(y) && d_sign(x) == 1u;
  if (d_iszero(ax)) { let z = select(d_inf(0u), D_ZERO, d_sign(y) == 0u); return select(z, d_neg(z), flip); }
  if (d_isinf(ax)) { let z = select(D_ZERO, d_inf(0u), d_sign(y) == 0u); return select(z, d_neg(z), flip); }
  // Small integer exponents: exact repeated squaring (one rounded multiply per step); others
  // exp(y·log|x|). Phases: 0 r·base if the bit is set, 1 base², 2 the final 1/r, 3 y·log|x|, 4 done.
  let intPath = yInt && !d_lt(${D(64)}, ay);
  var n = 0u;
  if (intPath) { n = u32(d_to_i32(ay)); }
  var r = D_ONE;
  var base = ax;
  var phase = select(3, 0, intPath);
  var R: DRegs;
  loop {
    var s = 0u;
    var e = 0u;
    var next = phase + 1;
    if (phase == 0) {
      if ((n & 1u) == 1u) { R[0] = r; R[1] = base; ${prog("mul")} }
      else { R[${OUT}] = r; phase = 1; continue; }
    } else if (phase == 1) {
      r = R[${OUT}];
      n = n >> 1u;
      if (n == 0u) {
        if (d_sign(y) == 1u) { R[0] = D_ONE; R[1] = r; ${prog("div")} next = 4; }
        else { return select(r, d_neg(r), flip); }
      } else {
        R[0] = base; R[1] = base; ${prog("mul")}
        next = 2;
      }
    } else if (phase == 2) {
      base = R[${OUT}];
      phase = 0;
      continue;
    } else if (phase == 3) {
      R[0] = y; R[1] = dm_log(ax); ${prog("mul")}
    } else {
      if (phase == 4 && !intPath) { r = dm_exp(R[${OUT}]); } else { r = R[${OUT}]; }
      return select(r, d_neg(r), flip);
    }
    d_vm(s, e, &R);
    phase = next;
  }
}`,
  },
};
