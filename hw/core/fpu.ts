// The F and D extensions: every RV64F/RV64D computational instruction, exact
// IEEE 754 (results, NaN rules and the five exception flags) in all five
// rounding modes. AssemblyScript, compiled into the core.
//
// The hart does FLW/FLD/FSW/FSD, checks mstatus.FS and marks FS dirty; it calls
// fpExec() for the major opcodes OP-FP, FMADD, FMSUB, FNMSUB and FNMADD.
//
// How the arithmetic is made exact
// --------------------------------
// wasm gives us IEEE binary64 add/sub/mul/div/sqrt in round-to-nearest-even,
// with no flags and no FMA. We use those results wherever we can *prove* what
// the exact result was, and round in software otherwise:
//
// * Every native op is followed by an exact error term that tells whether the
//   rounded result r is exact, or whether the true value lies just above or
//   just below r (the "direction"):
//     add: TwoSum (Knuth): e = (a - (r - (r - a))) + (b - (r - a)) is exactly
//          (a + b) - r whenever nothing overflows;
//     mul: with integer significands, a*b - r is ma*mb - mr*2^t scaled; its
//          magnitude is below 2^53, so evaluating it in wrapping 64-bit
//          integer arithmetic (mod 2^64) gives it exactly;
//     div: likewise a - q*b = ma*2^s - mq*mb (scaled), |.| < mb < 2^53;
//     sqrt: a - r*r = ma*2^s - mr*mr (scaled), |.| < 2^53.
// * Double results in round-to-nearest-even whose magnitude is well inside the
//   normal range (exponent field 2..2045, so neither tininess nor overflow is
//   possible in any rounding mode) need nothing more: NX = (direction != 0).
// * Everything else (other rounding modes, single precision, results near the
//   range limits) goes through roundPack(), a software rounder that takes an
//   extended significand (leading one at bit 62, sticky bits below) and
//   implements RISC-V's rules: tininess detected after rounding, UF only when
//   tiny and inexact, overflow per rounding mode. roundJam() feeds it from a
//   native result r and its direction by "jamming": r's significand plus or
//   minus one unit far below r's last bit. That is exact information for any
//   target precision below 53 bits (singles, subnormal doubles): every rounding
//   boundary of such a target is itself a double, so the true value and the
//   jammed one lie on the same side of each boundary. For a 53-bit target the
//   only boundary that is not a double is the midpoint between r and its
//   neighbour, which matters only to RMM on an exact tie; add and mul detect
//   that tie explicitly (division and square root cannot produce ties).
// * Single precision is computed in doubles: singles convert exactly, their
//   products are exact in binary64 (24+24 bits), sums/quotients/roots get the
//   error terms above, then roundPack() rounds to binary32.
// * The fused multiply-add on doubles in RNE, with operands well inside the
//   range, is native too: the product's exact error (as for mul), TwoSum, and
//   one addition rounded to odd (fmaFastD, which gives the proof). Everything
//   else is done in integers (fmaD): the 106-bit product and the aligned
//   addend in a 128-bit accumulator with a sticky bit, then roundPack(). The
//   same code is the slow path of fmul.d (subnormal operands, results near
//   underflow/overflow) and of fadd.d (overflow), as fma(a, b, -), fma(a, 1, b).
//
// Nothing here allocates: multi-word temporaries are globals.

import { STATE, F, X, FCSR } from "./layout";

// ---- Constants --------------------------------------------------------------
const RNE: u32 = 0;
const RTZ: u32 = 1;
const RDN: u32 = 2;
const RUP: u32 = 3;
const RMM: u32 = 4;

const NX: u32 = 1;
const UF: u32 = 2;
const OF: u32 = 4;
const DZ: u32 = 8;
const NV: u32 = 16;

const SIGN_D: u64 = 0x8000000000000000;
const EXP_D: u64 = 0x7ff0000000000000;   // also +infinity
const FRAC_D: u64 = 0x000fffffffffffff;
const HID_D: u64 = 0x0010000000000000;   // hidden bit; also the smallest normal
const QNAN_D: u64 = 0x7ff8000000000000;  // canonical NaN
const QBIT_D: u64 = 0x0008000000000000;
const ONE_D: u64 = 0x3ff0000000000000;
const SIGN_S: u32 = 0x80000000;
const EXP_S: u32 = 0x7f800000;
const QNAN_S: u32 = 0x7fc00000;
const QBIT_S: u32 = 0x00400000;
const HID_S: u32 = 0x00800000;
const BOX: u64 = 0xffffffff00000000;     // upper half of a NaN-boxed single

const FCSR_ADDR: usize = <usize>(STATE + FCSR);

// ---- Scratch globals (no allocation anywhere) -------------------------------
/** Exception flags raised by the instruction being executed. */
let fl: u32 = 0;
/** Set by mulDir(): the exact product lies exactly halfway above r (an RMM tie). */
let tie: bool = false;
/** unpack53() results: significand with the leading one at bit 52, exponent. */
let uM: u64 = 0;
let uE: i32 = 0;
/** 128-bit temporaries. */
let hi: u64 = 0;
let lo: u64 = 0;

// ---- Register file ---------------------------------------------------------
@inline function fAddr(i: u32): usize { return <usize>(STATE + F) + (<usize>i << 3); }
@inline function getD(i: u32): u64 { return load<u64>(fAddr(i)); }
/** A single operand: not properly NaN-boxed reads as the canonical NaN. */
@inline function getS(i: u32): u32 {
  const v = load<u64>(fAddr(i));
  return (v >>> 32) == 0xffffffff ? <u32>v : QNAN_S;
}
@inline function setD(i: u32, v: u64): void { store<u64>(fAddr(i), v); }
@inline function setS(i: u32, v: u64): void { store<u64>(fAddr(i), BOX | (v & 0xffffffff)); }
@inline function getX(i: u32): u64 {
  return i == 0 ? 0 : load<u64>(<usize>(STATE + X) + (<usize>i << 3));
}
@inline function setX(i: u32, v: u64): void {
  if (i != 0) store<u64>(<usize>(STATE + X) + (<usize>i << 3), v);
}
/** Sign-extend a 32-bit result to 64 bits (fcvt.w*, fmv.x.w). */
@inline function sext32(v: u64): u64 { return <u64><i64><i32><u32>v; }

// ---- Classification --------------------------------------------------------
@inline function isNaND(a: u64): bool { return (a & ~SIGN_D) > EXP_D; }
@inline function isSNaND(a: u64): bool { return (a & ~SIGN_D) > EXP_D && (a & QBIT_D) == 0; }
@inline function isNaNS(a: u32): bool { return (a & ~SIGN_S) > EXP_S; }
@inline function isSNaNS(a: u32): bool { return (a & ~SIGN_S) > EXP_S && (a & QBIT_S) == 0; }
/** A single as a double (exact for every non-NaN value). */
@inline function s2d(a: u32): f64 { return <f64>reinterpret<f32>(a); }
@inline function bitsD(x: f64): u64 { return reinterpret<u64>(x); }

// ---- Software rounding -----------------------------------------------------
/**
 * Round sign * sig * 2^(exp-62) to binary64 (isD) or binary32 and return the
 * encoding (singles in the low 32 bits). sig has its leading one at bit 62;
 * any nonzero bits below the target precision make the result inexact.
 */
@inline function roundPack(sign: u32, exp: i32, sig: u64, isD: bool, rm: u32): u64 {
  return isD ? roundPackD(sign, exp, sig, rm) : roundPackS(sign, exp, sig, rm);
}
// One copy per format, so that the format's constants fold.
function roundPackD(sign: u32, exp: i32, sig: u64, rm: u32): u64 { return roundPackT(sign, exp, sig, true, rm); }
function roundPackS(sign: u32, exp: i32, sig: u64, rm: u32): u64 { return roundPackT(sign, exp, sig, false, rm); }

@inline function roundPackT(sign: u32, exp: i32, sig: u64, isD: bool, rm: u32): u64 {
  const sh: u64 = isD ? 10 : 39;            // bits below the target precision
  const mb: u64 = isD ? 52 : 23;            // stored fraction bits
  const emin: i32 = isD ? -1022 : -126;
  const emax: i32 = isD ? 1023 : 127;
  const half: u64 = <u64>1 << (sh - 1);
  const mask: u64 = (<u64>1 << sh) - 1;
  // The amount added before truncation: half an ulp for the nearest modes,
  // almost a whole ulp when rounding away from zero, nothing toward zero.
  let inc: u64 = half;
  if (rm != RNE && rm != RMM) inc = rm != RTZ && ((rm == RDN) == (sign != 0)) ? mask : 0;
  let tiny = false;
  if (exp < emin) {
    // Tininess after rounding: the result is tiny unless rounding to the full
    // precision with an unbounded exponent carries it up to 2^emin.
    tiny = exp < emin - 1 || sig + inc < 0x8000000000000000;
    const d = <u64>(emin - exp);
    sig = d < 63 ? (sig >> d) | <u64>((sig << (64 - d)) != 0) : <u64>(sig != 0);
    exp = emin;
  }
  const rb = sig & mask;
  let m = (sig + inc) >> sh;
  if (rb == half && rm == RNE) m &= ~(<u64>1);       // ties to even
  if ((m >> (mb + 1)) != 0) { m >>= 1; exp++; }       // carried into a new binade
  if (rb != 0) fl |= tiny ? NX | UF : NX;
  const sbit: u64 = <u64>sign << (isD ? 63 : 31);
  if (exp > emax) {
    fl |= OF | NX;
    const inf: u64 = isD ? EXP_D : <u64>EXP_S;
    const toMax = rm == RTZ || (rm == RDN && sign == 0) || (rm == RUP && sign != 0);
    return sbit | (toMax ? inf - 1 : inf);
  }
  // m includes the hidden bit, which carries into the exponent field; for a
  // subnormal (exp == emin, no hidden bit) the field stays 0.
  return sbit | ((<u64>(exp + (isD ? 1022 : 126)) << mb) + m);
}

/**
 * Round the exact value described by a nonzero finite double r and a direction
 * (0: r is exact; > 0: the exact value is slightly larger in magnitude; < 0:
 * slightly smaller), times 2^eAdj, to the target format. See the header for why
 * this is exact.
 */
@inline function roundJam(r: f64, dir: i32, eAdj: i32, isD: bool, rm: u32): u64 {
  return isD ? roundJamD(r, dir, eAdj, rm) : roundJamS(r, dir, eAdj, rm);
}
function roundJamD(r: f64, dir: i32, eAdj: i32, rm: u32): u64 { return roundJamT(r, dir, eAdj, true, rm); }
function roundJamS(r: f64, dir: i32, eAdj: i32, rm: u32): u64 { return roundJamT(r, dir, eAdj, false, rm); }

@inline function roundJamT(r: f64, dir: i32, eAdj: i32, isD: bool, rm: u32): u64 {
  const R = bitsD(r);
  const E = <i32>((R >>> 52) & 0x7ff);
  let sig: u64;
  let exp: i32;
  if (E != 0) {
    sig = ((R & FRAC_D) | HID_D) << 10;
    exp = E - 1023;
  } else {
    const f = R & FRAC_D;
    const lz = <i32>clz(f);
    sig = f << <u64>(lz - 1);
    exp = -1011 - lz;
  }
  if (dir > 0) {
    sig |= 1;
  } else if (dir < 0) {
    sig -= 1;                                   // the bits below r's last bit are zero
    // r was a power of two: keep the leading one at bit 62 (the invariant
    // roundPack assumes for its tininess test).
    if (sig < 0x4000000000000000) { sig <<= 1; exp--; }
  }
  return roundPackT(<u32>(R >>> 63), exp + eAdj, sig, isD, rm);
}

// ---- Exact error terms of native results -----------------------------------
// All three take normal doubles (and a normal, finite result) and return the
// direction of the exact value relative to the native result, in magnitude.

/** a*b vs r = RN(a*b). Also sets `tie` when exact = r + half an ulp (away). */
function mulDir(A: u64, B: u64, R: u64): i32 {
  const ea = <i32>((A >>> 52) & 0x7ff);
  const eb = <i32>((B >>> 52) & 0x7ff);
  const er = <i32>((R >>> 52) & 0x7ff);
  const ma = (A & FRAC_D) | HID_D;
  const mb = (B & FRAC_D) | HID_D;
  const mr = (R & FRAC_D) | HID_D;
  // a*b = ma*mb * 2^(ea+eb-2*1075), r = mr * 2^(er-1075): scaled difference
  // ma*mb - mr*2^t with t in [52, 54]; |difference| <= 2^(t-1) < 2^63.
  const t = <u64>(er - ea - eb + 1075);
  const d = <i64>(ma * mb - (mr << t));
  tie = d == <i64>(<u64>1 << (t - 1));
  return d == 0 ? 0 : d > 0 ? 1 : -1;
}

/** a/b vs q = RN(a/b): the sign of the remainder a - q*b. */
function divDir(A: u64, B: u64, Q: u64): i32 {
  const ea = <i32>((A >>> 52) & 0x7ff);
  const eb = <i32>((B >>> 52) & 0x7ff);
  const eq = <i32>((Q >>> 52) & 0x7ff);
  const ma = (A & FRAC_D) | HID_D;
  const mb = (B & FRAC_D) | HID_D;
  const mq = (Q & FRAC_D) | HID_D;
  // a - q*b scaled: ma*2^s - mq*mb, s in {52, 53}; |.| < mb < 2^53.
  const s = <u64>(ea - eb - eq + 1075);
  const d = <i64>((ma << s) - mq * mb);
  return d == 0 ? 0 : d > 0 ? 1 : -1;
}

/** sqrt(a) vs r = RN(sqrt(a)): the sign of a - r*r. */
function sqrtDir(A: u64, R: u64): i32 {
  const ea = <i32>((A >>> 52) & 0x7ff);
  const er = <i32>((R >>> 52) & 0x7ff);
  const ma = (A & FRAC_D) | HID_D;
  const mr = (R & FRAC_D) | HID_D;
  // a - r*r scaled: ma*2^s - mr*mr, s in [51, 53]; |.| < 2^53.
  const s = <u64>(ea - 2 * er + 1075);
  const d = <i64>((ma << s) - mr * mr);
  return d == 0 ? 0 : d > 0 ? 1 : -1;
}

/** Direction of the TwoSum error e relative to r (both nonzero). */
@inline function sumDir(r: f64, e: f64): i32 {
  return ((bitsD(r) ^ bitsD(e)) >> 63) == 0 ? 1 : -1;
}

// ---- 128-bit helpers for the fused multiply-add ----------------------------
/** Split a finite nonzero double magnitude into uM (leading one at bit 52) and uE. */
@inline function unpack53(A: u64): void {
  const E = <i32>((A >>> 52) & 0x7ff);
  const f = A & FRAC_D;
  if (E != 0) {
    uM = f | HID_D;
    uE = E - 1023;
  } else {
    const sh = <i32>clz(f) - 11;
    uM = f << <u64>sh;
    uE = -1022 - sh;
  }
}

/** hi:lo = a * b for a, b < 2^53 (four 32-bit partial products). */
@inline function mul53(a: u64, b: u64): void {
  const a0 = a & 0xffffffff;
  const a1 = a >> 32;
  const b0 = b & 0xffffffff;
  const b1 = b >> 32;
  const p00 = a0 * b0;
  const mid = a0 * b1 + a1 * b0 + (p00 >> 32);    // < 2^55
  lo = (mid << 32) | (p00 & 0xffffffff);
  hi = a1 * b1 + (mid >> 32);
}

/** hi:lo = h:l >> d, with every bit shifted out ORed into bit 0 (sticky). */
@inline function shrJam128(h: u64, l: u64, d: i32): void {
  if (d == 0) {
    hi = h; lo = l;
  } else if (d < 64) {
    const s = <u64>d;
    lo = (l >> s) | (h << (64 - s)) | <u64>((l << (64 - s)) != 0);
    hi = h >> s;
  } else if (d < 128) {
    const s = <u64>(d - 64);
    lo = (s == 0 ? h : (h >> s) | <u64>((h << (64 - s)) != 0)) | <u64>(l != 0);
    hi = 0;
  } else {
    lo = <u64>((h | l) != 0);
    hi = 0;
  }
}

/**
 * Fused multiply-add on doubles, exactly: round(a*b + c) (or round(a*b) when
 * !hasC). Negations are applied by the caller to the signs of A and C.
 */
function fmaD(A: u64, B: u64, C: u64, hasC: bool, rm: u32): u64 {
  const aM = A & ~SIGN_D;
  const bM = B & ~SIGN_D;
  const cM = hasC ? C & ~SIGN_D : 0;
  if (aM > EXP_D || bM > EXP_D || cM > EXP_D) {
    // Any NaN: canonical NaN; invalid for a signalling NaN, and (RISC-V) for
    // inf * 0 even when the addend is a quiet NaN.
    if (isSNaND(A) || isSNaND(B) || (hasC && isSNaND(C)) ||
        (aM == EXP_D && bM == 0) || (aM == 0 && bM == EXP_D)) fl |= NV;
    return QNAN_D;
  }
  const sp = (A ^ B) & SIGN_D;
  const sc = C & SIGN_D;
  if (aM == EXP_D || bM == EXP_D) {
    if (aM == 0 || bM == 0 || (cM == EXP_D && sc != sp)) { fl |= NV; return QNAN_D; }
    return sp | EXP_D;
  }
  if (cM == EXP_D) return C;
  if (aM == 0 || bM == 0) {
    // An exact zero product: the result is c, or a zero whose sign follows the
    // IEEE rule for x + (-x) (negative only when rounding down).
    if (!hasC) return sp;
    if (cM != 0) return C;
    return sp == sc ? sp : (rm == RDN ? SIGN_D : 0);
  }
  unpack53(aM);
  const ma = uM;
  const ea = uE;
  unpack53(bM);
  mul53(ma, uM);
  // Product P < 2^106 as X = P << 21 (leading one at bit 125 or 126);
  // value = X * 2^(e-125).
  let xh = (hi << 21) | (lo >> 43);
  let xl = lo << 21;
  let e = ea + uE;
  let sign = sp;
  if (cM != 0) {
    unpack53(cM);
    // Addend with its leading one at bit 125: C = mc << 73.
    let ch = uM << 9;
    let cl: u64 = 0;
    const d = e - uE;
    // Align to the larger exponent. The operand shifted right keeps a sticky
    // bit; when bits are lost (shift > 21 or > 73) the other operand is so much
    // larger that the result moves by at most one bit during normalization,
    // and the sticky bit stays far below the rounding position.
    if (d >= 0) {
      shrJam128(ch, cl, d); ch = hi; cl = lo;
    } else {
      shrJam128(xh, xl, -d); xh = hi; xl = lo;
      e = uE;
    }
    if (sp == sc) {
      const l = xl + cl;
      xh = xh + ch + <u64>(l < xl);
      xl = l;
    } else {
      if (xh > ch || (xh == ch && xl >= cl)) {
        const l = xl - cl;
        xh = xh - ch - <u64>(xl < cl);
        xl = l;
      } else {
        const l = cl - xl;
        xh = ch - xh - <u64>(cl < xl);
        xl = l;
        sign = sc;
      }
      if ((xh | xl) == 0) return rm == RDN ? SIGN_D : 0;   // exact cancellation
    }
  }
  // Normalize to a leading one at bit 127; 62-bit significand plus sticky.
  const lz: i32 = xh != 0 ? <i32>clz(xh) : 64 + <i32>clz(xl);
  if (lz >= 64) {
    xh = xl << <u64>(lz - 64);
    xl = 0;
  } else if (lz > 0) {
    const s = <u64>lz;
    xh = (xh << s) | (xl >> (64 - s));
    xl <<= s;
  }
  const sig = (xh >> 1) | <u64>(((xh & 1) | xl) != 0);
  return roundPack(<u32>(sign >>> 63), e + 2 - lz, sig, true, rm);
}

/**
 * Fused multiply-add on doubles, round to nearest even, in native arithmetic
 * (rounding to odd, after Boldo and Melquiond, IEEE TC 57(4), 2008). Returns
 * the result, or FMA_SLOW (the smallest subnormal, which cannot be a result in
 * this range: nonzero results are above 2^-1004) when the operands are outside
 * the range where the steps below are proven exact; the caller then uses
 * fmaD(). Requires normal a, b, c with ea + eb and ec in [-900, 1020]: every
 * quantity below is then a multiple of 2^-1004 (so nothing is subnormal or
 * lost) and below 2^1023 in magnitude (nothing overflows).
 *
 *  1. p = RN(a*b), and its error pe = a*b - p exactly: the integer residual of
 *     mulDir(), |.| < 2^53, times 2^(ea+eb-104).
 *  2. TwoSum: th + tl = c + p exactly.
 *  3. v = RO(tl + pe), rounded to odd: RN plus its TwoSum error; when inexact
 *     and the last bit is even, step to the odd neighbour on the error's side.
 *  4. z = RN(th + v) = RN(a*b + c).
 * Why 4 is right: if c and p nearly cancel (opposite signs, within a factor
 * 2), c + p is exact (Sterbenz), tl = 0 and v = pe exactly. Otherwise
 * |th| >= max(|c|,|p|)/2, so ulp(p) <= 2 ulp(th) and w = tl + pe is at most
 * 1.5 ulp(th). th is a multiple of ulp(th), and the rounding boundaries of
 * th + w (multiples of ulp(th + w)/2 >= ulp(th)/4) sit at values of w that
 * are multiples of ulp(th)/4 >= 2^48 ulp(v): even 53-bit numbers. Rounding w
 * to odd never lands on such a boundary and never crosses one, so th + v
 * rounds exactly like th + w.
 * Flags: the result is exact iff v is exact and th + v is exact (if w is not
 * a double, neither is th + w: by Sterbenz, th + w = d would make w = d - th
 * a double). No UF or OF is possible in this range.
 */
const FMA_SLOW: u64 = 1;

function fmaFastD(A: u64, B: u64, C: u64): u64 {
  const Ea = <i32>((A >>> 52) & 0x7ff);
  const Eb = <i32>((B >>> 52) & 0x7ff);
  const Ec = <i32>((C >>> 52) & 0x7ff);
  const es = Ea + Eb - 2046;                       // ea + eb
  if (<u32>(es + 900) > 1920 || <u32>(Ec - 123) > 1920 || <u32>(Ea - 1) >= 2046 || <u32>(Eb - 1) >= 2046) {
    return FMA_SLOW;
  }
  const a = reinterpret<f64>(A);
  const c = reinterpret<f64>(C);
  const p = a * reinterpret<f64>(B);
  const P = bitsD(p);
  // 1. The exact error of p (see mulDir), signed like p.
  const t = <u64>(<i32>((P >>> 52) & 0x7ff) - Ea - Eb + 1075);
  const d = <i64>(((A & FRAC_D) | HID_D) * ((B & FRAC_D) | HID_D) - (((P & FRAC_D) | HID_D) << t));
  let pe = <f64>d * reinterpret<f64>(<u64>(es - 104 + 1023) << 52);
  if ((P >> 63) != 0) pe = -pe;
  // 2. th + tl = c + p.
  const th = c + p;
  const b1 = th - c;
  const tl = (c - (th - b1)) + (p - b1);
  // 3. v = RO(tl + pe).
  const s = tl + pe;
  const b2 = s - tl;
  const e2 = (tl - (s - b2)) + (pe - b2);
  let v = s;
  if (e2 != 0) {
    fl |= NX;
    const S = bitsD(s);
    if ((S & 1) == 0) v = reinterpret<f64>(sumDir(s, e2) > 0 ? S + 1 : S - 1);
  }
  // 4. z = RN(th + v), exact iff its TwoSum error is 0.
  const z = th + v;
  const b3 = z - th;
  if ((th - (z - b3)) + (v - b3) != 0) fl |= NX;
  return bitsD(z);
}

// ---- Double-precision arithmetic -------------------------------------------
function addD(A: u64, B: u64, rm: u32): u64 {
  const a = reinterpret<f64>(A);
  const b = reinterpret<f64>(B);
  const r = a + b;
  const R = bitsD(r);
  if ((R & EXP_D) != EXP_D) {
    // r finite, so a and b are finite. TwoSum: e = (a + b) - r exactly.
    const bb = r - a;
    const e = (a - (r - bb)) + (b - bb);
    if (e == 0) {
      // Exact. A zero sum is +0 except when rounding down (x + -x = -0 in RDN)
      // or when both operands are -0 (native already gives that).
      if (r == 0 && rm == RDN) return (A | B) == 0 ? 0 : SIGN_D;
      return R;
    }
    // A sum in the subnormal range is always exact, so no tininess here.
    if (e - e == 0) {          // e finite: no intermediate overflow in TwoSum
      fl |= NX;
      if (rm == RNE) return R;
      const dir = sumDir(r, e);
      if (rm == RMM && dir > 0 && reinterpret<f64>(R + 1) - r == e + e) return R + 1;
      return roundJam(r, dir, 0, true, rm);
    }
  }
  // NaN, infinities, overflow: exactly, as fma(a, 1, b).
  return fmaD(A, ONE_D, B, true, rm);
}

function mulD(A: u64, B: u64, rm: u32): u64 {
  const r = reinterpret<f64>(A) * reinterpret<f64>(B);
  const R = bitsD(r);
  const Ea = <u32>(A >>> 52) & 0x7ff;
  const Eb = <u32>(B >>> 52) & 0x7ff;
  const Er = <u32>(R >>> 52) & 0x7ff;
  // Normal operands and |r| in [2^-1021, 2^1023): the exact product can be
  // neither tiny nor overflowing in any rounding mode.
  if (Ea - 1 < 2046 && Eb - 1 < 2046 && Er - 2 < 2044) {
    const dir = mulDir(A, B, R);
    if (dir == 0) return R;
    fl |= NX;
    if (rm == RNE) return R;
    if (rm == RMM && dir > 0 && tie) return R + 1;
    return roundJam(r, dir, 0, true, rm);
  }
  return fmaD(A, B, 0, false, rm);
}

function divD(A: u64, B: u64, rm: u32): u64 {
  const q = reinterpret<f64>(A) / reinterpret<f64>(B);
  const Q = bitsD(q);
  const Ea = <u32>(A >>> 52) & 0x7ff;
  const Eb = <u32>(B >>> 52) & 0x7ff;
  const Eq = <u32>(Q >>> 52) & 0x7ff;
  if (Ea - 1 < 2046 && Eb - 1 < 2046 && Eq - 2 < 2044) {
    const dir = divDir(A, B, Q);
    if (dir == 0) return Q;
    fl |= NX;
    // A quotient of two 53-bit numbers is never exactly halfway between two
    // doubles, so RMM agrees with RNE.
    if (rm == RNE || rm == RMM) return Q;
    return roundJam(q, dir, 0, true, rm);
  }
  return divSlowD(A, B, rm);
}

function divSlowD(A: u64, B: u64, rm: u32): u64 {
  const aM = A & ~SIGN_D;
  const bM = B & ~SIGN_D;
  const sign = (A ^ B) & SIGN_D;
  if (aM > EXP_D || bM > EXP_D) {
    if (isSNaND(A) || isSNaND(B)) fl |= NV;
    return QNAN_D;
  }
  if (aM == EXP_D) {
    if (bM == EXP_D) { fl |= NV; return QNAN_D; }
    return sign | EXP_D;
  }
  if (bM == EXP_D) return sign;
  if (bM == 0) {
    if (aM == 0) { fl |= NV; return QNAN_D; }
    fl |= DZ;
    return sign | EXP_D;
  }
  if (aM == 0) return sign;
  // Finite nonzero: divide the significands, scaled into [1, 2), natively;
  // the quotient in (1/2, 2) and its remainder sign give the exact result
  // (jamming is exact here: the target is a subnormal, with fewer than 53
  // bits, or a normal double, and a quotient is never a tie between doubles).
  unpack53(aM);
  const ea = uE;
  const A1 = sign | ONE_D | (uM & FRAC_D);
  unpack53(bM);
  const B1 = ONE_D | (uM & FRAC_D);
  const q = reinterpret<f64>(A1) / reinterpret<f64>(B1);
  return roundJam(q, divDir(A1, B1, bitsD(q)), ea - uE, true, rm);
}

function sqrtD(A: u64, rm: u32): u64 {
  if (A - 1 < EXP_D - 1) {
    // Positive, finite, nonzero. The root of any such double is a normal double
    // (sqrt(2^-1074) = 2^-537), so only NX can arise. Subnormal inputs are
    // scaled by 2^108 first (exact), the root by 2^-54 after (exact).
    let x = reinterpret<f64>(A);
    let adj: i32 = 0;
    if (A < HID_D) { x *= 3.2451855365842673e32; adj = -54; }   // 2^108
    const r = sqrt<f64>(x);
    const R = bitsD(r);
    const dir = sqrtDir(bitsD(x), R);
    if (dir != 0) fl |= NX;
    // A square root is never exactly halfway between two doubles: RMM == RNE.
    if (dir == 0 || rm == RNE || rm == RMM) {
      return adj == 0 ? R : bitsD(r * 5.551115123125783e-17);     // 2^-54
    }
    return roundJam(r, dir, adj, true, rm);
  }
  if (isNaND(A)) {
    if (isSNaND(A)) fl |= NV;
    return QNAN_D;
  }
  if (A == EXP_D || (A << 1) == 0) return A;          // +inf, +0, -0
  fl |= NV;                                           // negative
  return QNAN_D;
}

// ---- Single-precision arithmetic (in doubles, then rounded) ---------------
function addS(A: u32, B: u32, rm: u32): u64 {
  const a = s2d(A);
  const b = s2d(B);
  const r = a + b;                  // cannot overflow: |a|,|b| < 2^128
  if (r != r) {
    if (isSNaNS(A) || isSNaNS(B) || (!isNaNS(A) && !isNaNS(B))) fl |= NV;
    return QNAN_S;
  }
  const R = bitsD(r);
  if ((R & ~SIGN_D) == EXP_D) return <u64>(<u32>(R >>> 32) & SIGN_S | EXP_S);
  if (r == 0) {
    if (rm == RDN) return (A | B) == 0 ? 0 : SIGN_S;
    return <u64>(<u32>(R >>> 32));    // ±0
  }
  const bb = r - a;
  const e = (a - (r - bb)) + (b - bb);
  return roundJam(r, e == 0 ? 0 : sumDir(r, e), 0, false, rm);
}

function mulS(A: u32, B: u32, rm: u32): u64 {
  if (isNaNS(A) || isNaNS(B)) {
    if (isSNaNS(A) || isSNaNS(B)) fl |= NV;
    return QNAN_S;
  }
  const r = s2d(A) * s2d(B);        // exact: 24 x 24 bits, exponents in range
  if (r != r) { fl |= NV; return QNAN_S; }        // inf * 0
  const R = bitsD(r);
  if ((R << 1) == 0 || (R & ~SIGN_D) == EXP_D) {
    return <u64>((<u32>(R >>> 32) & SIGN_S) | ((R & ~SIGN_D) == EXP_D ? EXP_S : 0));
  }
  return roundJam(r, 0, 0, false, rm);
}

function divS(A: u32, B: u32, rm: u32): u64 {
  const aM = A & ~SIGN_S;
  const bM = B & ~SIGN_S;
  const sign = <u64>((A ^ B) & SIGN_S);
  if (aM > EXP_S || bM > EXP_S) {
    if (isSNaNS(A) || isSNaNS(B)) fl |= NV;
    return QNAN_S;
  }
  if (aM == EXP_S) {
    if (bM == EXP_S) { fl |= NV; return QNAN_S; }
    return sign | EXP_S;
  }
  if (bM == EXP_S) return sign;
  if (bM == 0) {
    if (aM == 0) { fl |= NV; return QNAN_S; }
    fl |= DZ;
    return sign | EXP_S;
  }
  if (aM == 0) return sign;
  // Singles are normal doubles, and so is their quotient.
  const a = s2d(A);
  const b = s2d(B);
  const q = a / b;
  return roundJam(q, divDir(bitsD(a), bitsD(b), bitsD(q)), 0, false, rm);
}

function sqrtS(A: u32, rm: u32): u64 {
  if (A - 1 < EXP_S - 1) {          // positive, finite, nonzero
    const a = s2d(A);
    const r = sqrt<f64>(a);
    return roundJam(r, sqrtDir(bitsD(a), bitsD(r)), 0, false, rm);
  }
  if (isNaNS(A)) {
    if (isSNaNS(A)) fl |= NV;
    return QNAN_S;
  }
  if (A == EXP_S || (A << 1) == 0) return <u64>A;
  fl |= NV;
  return QNAN_S;
}

/** round(±a*b ± c) in single precision; negations already applied to signs of A, C. */
function fmaS(A: u32, B: u32, C: u32, rm: u32): u64 {
  const aM = A & ~SIGN_S;
  const bM = B & ~SIGN_S;
  const cM = C & ~SIGN_S;
  if (aM > EXP_S || bM > EXP_S || cM > EXP_S) {
    if (isSNaNS(A) || isSNaNS(B) || isSNaNS(C) ||
        (aM == EXP_S && bM == 0) || (aM == 0 && bM == EXP_S)) fl |= NV;
    return QNAN_S;
  }
  const p = s2d(A) * s2d(B);        // exact (or inf, or NaN for inf * 0)
  const c = s2d(C);
  const r = p + c;                  // one rounding, to 53 bits
  if (r != r) { fl |= NV; return QNAN_S; }        // inf * 0, or inf - inf
  const R = bitsD(r);
  if ((R & ~SIGN_D) == EXP_D) return <u64>((<u32>(R >>> 32) & SIGN_S) | EXP_S);
  if (r == 0) {
    if (rm == RDN) return (bitsD(p) | bitsD(c)) == 0 ? 0 : SIGN_S;
    return <u64>(<u32>(R >>> 32));
  }
  const bb = r - p;
  const e = (p - (r - bb)) + (c - bb);
  return roundJam(r, e == 0 ? 0 : sumDir(r, e), 0, false, rm);
}

// ---- Min/max, compare, classify --------------------------------------------
/** Key whose unsigned order is the numeric order with -0 < +0. */
@inline function orderD(a: u64): u64 { return (a >> 63) != 0 ? ~a : a | SIGN_D; }

function minmaxD(A: u64, B: u64, isMax: bool): u64 {
  const aN = isNaND(A);
  const bN = isNaND(B);
  if (aN || bN) {
    if (isSNaND(A) || isSNaND(B)) fl |= NV;
    if (aN && bN) return QNAN_D;
    return aN ? B : A;
  }
  return (orderD(A) < orderD(B)) != isMax ? A : B;
}

/** funct3: 0 fle, 1 flt, 2 feq. Operands given as doubles (singles promoted). */
function compare(a: f64, b: f64, aN: bool, bN: bool, aS: bool, bS: bool, f3: u32): u64 {
  if (aN || bN) {
    // feq is a quiet comparison (invalid only for signalling NaNs);
    // flt and fle signal on any NaN.
    if (f3 != 2 || aS || bS) fl |= NV;
    return 0;
  }
  return <u64>(f3 == 2 ? a == b : f3 == 1 ? a < b : a <= b);
}

function classD(A: u64): u64 {
  const neg = (A >> 63) != 0;
  const m = A & ~SIGN_D;
  if (m == EXP_D) return neg ? 1 : 1 << 7;
  if (m > EXP_D) return (m & QBIT_D) != 0 ? 1 << 9 : 1 << 8;
  if (m == 0) return neg ? 1 << 3 : 1 << 4;
  if (m < HID_D) return neg ? 1 << 2 : 1 << 5;
  return neg ? 1 << 1 : 1 << 6;
}

function classS(A: u32): u64 {
  const neg = (A >> 31) != 0;
  const m = A & ~SIGN_S;
  if (m == EXP_S) return neg ? 1 : 1 << 7;
  if (m > EXP_S) return (m & QBIT_S) != 0 ? 1 << 9 : 1 << 8;
  if (m == 0) return neg ? 1 << 3 : 1 << 4;
  if (m < HID_S) return neg ? 1 << 2 : 1 << 5;
  return neg ? 1 << 1 : 1 << 6;
}

// ---- Conversions -----------------------------------------------------------
/**
 * fcvt.{w,wu,l,lu}.{s,d}: x is the operand as a double (exact), kind = rs2.
 * Rounding to an integral value is exact with wasm's nearest/trunc/floor/ceil;
 * RMM is trunc plus a correction from the exact fractional part x - trunc(x).
 * Out of range (and NaN) saturates with NV only; otherwise NX if inexact.
 */
function toInt(x: f64, nan: bool, kind: u32, rm: u32): u64 {
  if (nan) {
    fl |= NV;
    return kind == 0 ? 0x7fffffff : kind == 2 ? 0x7fffffffffffffff : 0xffffffffffffffff;
  }
  let r: f64;
  if (rm == RNE) r = nearest<f64>(x);
  else if (rm == RTZ) r = trunc<f64>(x);
  else if (rm == RDN) r = floor<f64>(x);
  else if (rm == RUP) r = ceil<f64>(x);
  else {
    r = trunc<f64>(x);
    if (abs<f64>(x - r) >= 0.5) r += copysign<f64>(1.0, x);
  }
  let v: u64;
  if (kind == 0) {
    if (!(r >= -2147483648.0 && r <= 2147483647.0)) {
      fl |= NV;
      return x < 0 ? 0xffffffff80000000 : 0x7fffffff;
    }
    v = <u64><i64>r;
  } else if (kind == 1) {
    if (!(r >= 0 && r <= 4294967295.0)) {            // -0 is in range
      fl |= NV;
      return x < 0 ? 0 : 0xffffffffffffffff;
    }
    v = sext32(<u64>r);
  } else if (kind == 2) {
    if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) {
      fl |= NV;
      return x < 0 ? 0x8000000000000000 : 0x7fffffffffffffff;
    }
    v = <u64><i64>r;
  } else {
    if (!(r >= 0 && r < 18446744073709551616.0)) {
      fl |= NV;
      return x < 0 ? 0 : 0xffffffffffffffff;
    }
    v = <u64>r;
  }
  if (r != x) fl |= NX;
  return v;
}

/** fcvt.{s,d}.{w,wu,l,lu}: v is the x register, kind = rs2. */
function fromInt(v: u64, kind: u32, isD: bool, rm: u32): u64 {
  let neg = false;
  let m: u64;
  if (kind == 0) {
    const s = <i64><i32><u32>v;
    neg = s < 0;
    m = <u64>(neg ? -s : s);
  } else if (kind == 1) {
    m = v & 0xffffffff;
  } else if (kind == 2) {
    neg = <i64>v < 0;
    m = neg ? 0 - v : v;                       // -2^63 gives 2^63, as wanted
  } else {
    m = v;
  }
  if (m == 0) return 0;
  if (isD) {
    if (m < 0x20000000000000) return bitsD(<f64>m) | (<u64>neg << 63);   // exact
  } else if (m < 0x1000000) {
    return <u64>(reinterpret<u32>(<f32>m) | (<u32>neg << 31));
  }
  const lz = <i32>clz(m);
  let sig: u64;
  let exp: i32;
  if (lz == 0) { sig = (m >> 1) | (m & 1); exp = 63; }
  else { sig = m << <u64>(lz - 1); exp = 63 - lz; }
  return roundPack(<u32>neg, exp, sig, isD, rm);
}

function d2s(A: u64, rm: u32): u64 {
  const m = A & ~SIGN_D;
  const sign = <u64>((A >>> 32) & SIGN_S);
  if (m >= EXP_D) {
    if (m == EXP_D) return sign | EXP_S;
    if (isSNaND(A)) fl |= NV;
    return QNAN_S;
  }
  if (m == 0) return sign;
  return roundJam(reinterpret<f64>(A), 0, 0, false, rm);
}

function s2dBits(A: u32): u64 {
  if (isNaNS(A)) {
    if (isSNaNS(A)) fl |= NV;
    return QNAN_D;
  }
  return bitsD(s2d(A));
}

// ---- Decoder ---------------------------------------------------------------
/** The rounding mode of an instruction: its rm field, or frm when rm = 7 (DYN). */
@inline function roundingMode(insn: u32): u32 {
  const rm = (insn >>> 12) & 7;
  return rm != 7 ? rm : (load<u32>(FCSR_ADDR) >>> 5) & 7;
}

/** Execute one F/D computational instruction (32-bit encoding `insn`).
 *  Returns 0 on success, 1 if the encoding is illegal (reserved rm, unknown funct, etc.),
 *  in which case no register or flag may have changed. */
export function fpExec(insn: u32): i32 {
  const rd = (insn >>> 7) & 31;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const f3 = (insn >>> 12) & 7;
  fl = 0;
  if ((insn & 0x7f) == 0x53) {
    const f7 = insn >>> 25;
    switch (f7) {
      case 0x01: {              // fadd.d
        const rm = roundingMode(insn); if (rm > 4) return 1;
        setD(rd, addD(getD(rs1), getD(rs2), rm));
        break;
      }
      case 0x05: {              // fsub.d
        const rm = roundingMode(insn); if (rm > 4) return 1;
        setD(rd, addD(getD(rs1), getD(rs2) ^ SIGN_D, rm));
        break;
      }
      case 0x09: {              // fmul.d
        const rm = roundingMode(insn); if (rm > 4) return 1;
        setD(rd, mulD(getD(rs1), getD(rs2), rm));
        break;
      }
      case 0x0d: {              // fdiv.d
        const rm = roundingMode(insn); if (rm > 4) return 1;
        setD(rd, divD(getD(rs1), getD(rs2), rm));
        break;
      }
      case 0x2d: {              // fsqrt.d
        const rm = roundingMode(insn); if (rm > 4 || rs2 != 0) return 1;
        setD(rd, sqrtD(getD(rs1), rm));
        break;
      }
      case 0x00: {              // fadd.s
        const rm = roundingMode(insn); if (rm > 4) return 1;
        setS(rd, addS(getS(rs1), getS(rs2), rm));
        break;
      }
      case 0x04: {              // fsub.s
        const rm = roundingMode(insn); if (rm > 4) return 1;
        setS(rd, addS(getS(rs1), getS(rs2) ^ SIGN_S, rm));
        break;
      }
      case 0x08: {              // fmul.s
        const rm = roundingMode(insn); if (rm > 4) return 1;
        setS(rd, mulS(getS(rs1), getS(rs2), rm));
        break;
      }
      case 0x0c: {              // fdiv.s
        const rm = roundingMode(insn); if (rm > 4) return 1;
        setS(rd, divS(getS(rs1), getS(rs2), rm));
        break;
      }
      case 0x2c: {              // fsqrt.s
        const rm = roundingMode(insn); if (rm > 4 || rs2 != 0) return 1;
        setS(rd, sqrtS(getS(rs1), rm));
        break;
      }
      case 0x10: {              // fsgnj.s, fsgnjn.s, fsgnjx.s
        if (f3 > 2) return 1;
        const a = getS(rs1);
        const b = getS(rs2);
        const s = f3 == 0 ? b : f3 == 1 ? ~b : a ^ b;
        setS(rd, <u64>((a & ~SIGN_S) | (s & SIGN_S)));
        break;
      }
      case 0x11: {              // fsgnj.d, fsgnjn.d, fsgnjx.d
        if (f3 > 2) return 1;
        const a = getD(rs1);
        const b = getD(rs2);
        const s = f3 == 0 ? b : f3 == 1 ? ~b : a ^ b;
        setD(rd, (a & ~SIGN_D) | (s & SIGN_D));
        break;
      }
      case 0x14: {              // fmin.s, fmax.s
        if (f3 > 1) return 1;
        // Singles widen to doubles order-preservingly; NaNs stay NaNs with the
        // same quiet bit, but results must be the original single bits.
        const a = getS(rs1);
        const b = getS(rs2);
        const aN = isNaNS(a);
        const bN = isNaNS(b);
        let r: u32;
        if (aN || bN) {
          if (isSNaNS(a) || isSNaNS(b)) fl |= NV;
          r = aN && bN ? QNAN_S : aN ? b : a;
        } else {
          const ka = (a >> 31) != 0 ? ~a : a | SIGN_S;
          const kb = (b >> 31) != 0 ? ~b : b | SIGN_S;
          r = (ka < kb) != (f3 == 1) ? a : b;
        }
        setS(rd, <u64>r);
        break;
      }
      case 0x15: {              // fmin.d, fmax.d
        if (f3 > 1) return 1;
        setD(rd, minmaxD(getD(rs1), getD(rs2), f3 == 1));
        break;
      }
      case 0x20: {              // fcvt.s.d
        const rm = roundingMode(insn); if (rm > 4 || rs2 != 1) return 1;
        setS(rd, d2s(getD(rs1), rm));
        break;
      }
      case 0x21: {              // fcvt.d.s
        const rm = roundingMode(insn); if (rm > 4 || rs2 != 0) return 1;
        setD(rd, s2dBits(getS(rs1)));
        break;
      }
      case 0x50: {              // fle.s, flt.s, feq.s
        if (f3 > 2) return 1;
        const a = getS(rs1);
        const b = getS(rs2);
        setX(rd, compare(s2d(a), s2d(b), isNaNS(a), isNaNS(b), isSNaNS(a), isSNaNS(b), f3));
        break;
      }
      case 0x51: {              // fle.d, flt.d, feq.d
        if (f3 > 2) return 1;
        const a = getD(rs1);
        const b = getD(rs2);
        setX(rd, compare(reinterpret<f64>(a), reinterpret<f64>(b),
          isNaND(a), isNaND(b), isSNaND(a), isSNaND(b), f3));
        break;
      }
      case 0x60: {              // fcvt.{w,wu,l,lu}.s
        const rm = roundingMode(insn); if (rm > 4 || rs2 > 3) return 1;
        const a = getS(rs1);
        setX(rd, toInt(s2d(a), isNaNS(a), rs2, rm));
        break;
      }
      case 0x61: {              // fcvt.{w,wu,l,lu}.d
        const rm = roundingMode(insn); if (rm > 4 || rs2 > 3) return 1;
        const a = getD(rs1);
        setX(rd, toInt(reinterpret<f64>(a), isNaND(a), rs2, rm));
        break;
      }
      case 0x68: {              // fcvt.s.{w,wu,l,lu}
        const rm = roundingMode(insn); if (rm > 4 || rs2 > 3) return 1;
        setS(rd, fromInt(getX(rs1), rs2, false, rm));
        break;
      }
      case 0x69: {              // fcvt.d.{w,wu,l,lu}
        const rm = roundingMode(insn); if (rm > 4 || rs2 > 3) return 1;
        setD(rd, fromInt(getX(rs1), rs2, true, rm));
        break;
      }
      case 0x70: {              // fmv.x.w, fclass.s
        if (rs2 != 0 || f3 > 1) return 1;
        setX(rd, f3 == 0 ? sext32(getD(rs1)) : classS(getS(rs1)));
        break;
      }
      case 0x71: {              // fmv.x.d, fclass.d
        if (rs2 != 0 || f3 > 1) return 1;
        const a = getD(rs1);
        setX(rd, f3 == 0 ? a : classD(a));
        break;
      }
      case 0x78: {              // fmv.w.x
        if (rs2 != 0 || f3 != 0) return 1;
        setS(rd, getX(rs1));
        break;
      }
      case 0x79: {              // fmv.d.x
        if (rs2 != 0 || f3 != 0) return 1;
        setD(rd, getX(rs1));
        break;
      }
      default:
        return 1;
    }
  } else {
    // FMADD 0x43, FMSUB 0x47, FNMSUB 0x4b, FNMADD 0x4f: rd = ±(rs1*rs2) ± rs3.
    const op = insn & 0x7f;
    const fmt = (insn >>> 25) & 3;
    if ((op & 0x73) != 0x43 || fmt > 1) return 1;
    const rm = roundingMode(insn); if (rm > 4) return 1;
    const rs3 = insn >>> 27;
    const negC = (op & 4) != 0;                 // fmsub, fnmadd
    const negP = (op & 8) != 0;                 // fnmsub, fnmadd
    if (fmt == 1) {
      const A = getD(rs1) ^ (<u64>negP << 63);
      const B = getD(rs2);
      const C = getD(rs3) ^ (<u64>negC << 63);
      let r = FMA_SLOW;
      if (rm == RNE) r = fmaFastD(A, B, C);
      setD(rd, r != FMA_SLOW ? r : fmaD(A, B, C, true, rm));
    } else {
      setS(rd, fmaS(getS(rs1) ^ (<u32>negP << 31), getS(rs2),
        getS(rs3) ^ (<u32>negC << 31), rm));
    }
  }
  if (fl != 0) store<u32>(FCSR_ADDR, load<u32>(FCSR_ADDR) | fl);
  return 0;
}
