// Working-precision binary floating point for the x87 transcendental instructions and
// constants: a value is m * 2^e with a signed BigInt m of at most WORK_BITS bits
// (truncated), and an unbounded exponent, so tiny and huge arguments keep their
// relative precision. 192 bits leave a margin of more than 120 bits over the 64-bit
// result, so results are correctly rounded except in astronomically rare near-ties.

import type { F80, FpEnv } from './float80.js';
import { bitLength, lsbExponent, roundFull, isqrt } from './float80.js';

export interface BigF { readonly m: bigint; readonly e: number }

export const WORK_BITS = 192;

const absBig = (x: bigint): bigint => (x < 0n ? -x : x);

export function bf(m: bigint, e = 0): BigF {
  const n = bitLength(absBig(m));
  if (n <= WORK_BITS) return { m, e };
  const sh = n - WORK_BITS;
  return { m: m < 0n ? -(-m >> BigInt(sh)) : m >> BigInt(sh), e: e + sh };
}

export const ZERO: BigF = { m: 0n, e: 0 };
export const ONE: BigF = { m: 1n, e: 0 };

/** Exponent just above the most significant bit (for magnitude comparisons). */
function top(a: BigF): number { return a.e + bitLength(absBig(a.m)); }

export function isZero(a: BigF): boolean { return a.m === 0n; }
export function neg(a: BigF): BigF { return { m: -a.m, e: a.e }; }
export function absF(a: BigF): BigF { return { m: absBig(a.m), e: a.e }; }
export function sign(a: BigF): number { return a.m < 0n ? -1 : a.m > 0n ? 1 : 0; }
export function mulPow2(a: BigF, k: number): BigF { return { m: a.m, e: a.e + k }; }

export function add(a: BigF, b: BigF): BigF {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const ta = top(a);
  const tb = top(b);
  if (ta - tb > WORK_BITS + 8) return a;
  if (tb - ta > WORK_BITS + 8) return b;
  const e = Math.min(a.e, b.e);
  return bf((a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e);
}
export function sub(a: BigF, b: BigF): BigF { return add(a, neg(b)); }
export function mul(a: BigF, b: BigF): BigF { return bf(a.m * b.m, a.e + b.e); }
export function div(a: BigF, b: BigF): BigF {
  const k = Math.max(0, WORK_BITS + 2 + bitLength(absBig(b.m)) - bitLength(absBig(a.m)));
  return bf((a.m << BigInt(k)) / b.m, a.e - b.e - k);
}
export function sqrtF(a: BigF): BigF {
  let m = a.m;
  let e = a.e;
  if (e & 1) { m <<= 1n; e -= 1; }
  const k = Math.max(0, Math.ceil((2 * WORK_BITS + 4 - bitLength(m)) / 2));
  return bf(isqrt(m << BigInt(2 * k)), e / 2 - k);
}
export function fromInt(n: number | bigint): BigF { return bf(BigInt(n)); }

/**
 * a moved by one unit in the last working-precision place, away from zero (dir 1) or
 * toward it (dir -1): stands for a true value just beside a, so that rounding it to 64
 * bits goes the right way under directed rounding (a itself is often representable).
 */
export function nudge(a: BigF, dir: 1 | -1): BigF {
  const mag = absBig(a.m);
  const sh = WORK_BITS - bitLength(mag);
  const m = (mag << BigInt(sh)) + BigInt(dir);
  return bf(a.m < 0n ? -m : m, a.e - sh);
}
export function compareF(a: BigF, b: BigF): number { return sign(sub(a, b)); }

export function fromF80(a: F80): BigF {
  return bf(a.sign ? -a.sig : a.sig, lsbExponent(a));
}

/** Rounds to the 80-bit format with RC (full 64-bit precision); `exact` says m * 2^e is the true value. */
export function toF80(x: BigF, env: FpEnv, exact = false): F80 {
  if (x.m === 0n) return { sign: 0, exp: 0, sig: 0n };
  return roundFull(x.m < 0n ? 1 : 0, absBig(x.m), x.e, !exact, env);
}

/** True once `term` no longer changes `sum` at working precision. */
function negligible(term: BigF, sum: BigF): boolean {
  return term.m === 0n || (sum.m !== 0n && top(term) < top(sum) - WORK_BITS - 4);
}

/** atanh(t) = t + t^3/3 + t^5/5 + ... for small |t|. */
function atanhSeries(t: BigF): BigF {
  const t2 = mul(t, t);
  let power = t;
  let sum = t;
  for (let k = 3; ; k += 2) {
    power = mul(power, t2);
    const term = div(power, fromInt(k));
    sum = add(sum, term);
    if (negligible(term, sum)) return sum;
  }
}

/** atan(t) = t - t^3/3 + t^5/5 - ... for small |t|. */
function atanSeries(t: BigF): BigF {
  const t2 = neg(mul(t, t));
  let power = t;
  let sum = t;
  for (let k = 3; ; k += 2) {
    power = mul(power, t2);
    const term = div(power, fromInt(k));
    sum = add(sum, term);
    if (negligible(term, sum)) return sum;
  }
}

export const LN2: BigF = mulPow2(atanhSeries(div(ONE, fromInt(3))), 1);
export const PI: BigF = sub(mulPow2(atanSeries(div(ONE, fromInt(5))), 4), mulPow2(atanSeries(div(ONE, fromInt(239))), 2));
/** The 66-bit pi the x87 uses to reduce trigonometric arguments. */
export const PI66: BigF = { m: 0x3243f6a8885a308d3n, e: -64 };

/** Natural logarithm of x > 0. */
export function ln(x: BigF): BigF {
  let k = top(x) - 1; // x / 2^k in [1, 2)
  let y = mulPow2(x, -k);
  if (compareF(y, { m: 3n, e: -1 }) > 0) { k += 1; y = mulPow2(y, -1); }
  const t = div(sub(y, ONE), add(y, ONE));
  return add(mul(fromInt(k), LN2), mulPow2(atanhSeries(t), 1));
}

/** ln(1 + x) for x > -1, accurate for tiny x. */
export function ln1p(x: BigF): BigF {
  if (top(x) <= -1) return mulPow2(atanhSeries(div(x, add(fromInt(2), x))), 1); // |x| < 1/2
  return ln(add(ONE, x));
}

export const LN10: BigF = ln(fromInt(10));

/** e^y - 1 by its Taylor series (for |y| <= 1; keeps relative precision for tiny y). */
function expm1Series(y: BigF): BigF {
  let term = y;
  let sum = y;
  for (let n = 2; ; n++) {
    term = div(mul(term, y), fromInt(n));
    sum = add(sum, term);
    if (negligible(term, sum)) return sum;
  }
}

/** 2^x - 1. */
export function exp2m1(x: BigF): BigF {
  if (top(x) <= 1) return expm1Series(mul(x, LN2)); // |x| < 2
  // Outside F2XM1's domain: 2^x = 2^k * 2^r with r in [-0.5, 0.5].
  const k = roundToInteger(x);
  const r = sub(x, fromInt(k));
  return sub(mulPow2(add(ONE, expm1Series(mul(r, LN2))), Number(k)), ONE);
}

function roundToInteger(x: BigF): bigint {
  if (x.e >= 0) return x.m << BigInt(x.e);
  const half = 1n << BigInt(-x.e - 1);
  return (x.m + half) >> BigInt(-x.e);
}

function sinSeries(r: BigF): BigF {
  const r2 = neg(mul(r, r));
  let term = r;
  let sum = r;
  for (let n = 2; ; n += 2) {
    term = div(mul(term, r2), fromInt(n * (n + 1)));
    sum = add(sum, term);
    if (negligible(term, sum)) return sum;
  }
}

function cosSeries(r: BigF): BigF {
  const r2 = neg(mul(r, r));
  let term: BigF = ONE;
  let sum: BigF = ONE;
  for (let n = 1; ; n += 2) {
    term = div(mul(term, r2), fromInt(n * (n + 1)));
    sum = add(sum, term);
    if (negligible(term, sum)) return sum;
  }
}

/**
 * Reduces x modulo pi/2 the way the x87 does, with its 66-bit pi: returns the quadrant
 * and the remainder r in about [-pi/4, pi/4]. The subtraction is exact.
 */
function reduce(x: BigF): { quadrant: number; r: BigF } {
  const halfPi = mulPow2(PI66, -1);
  if (compareF(absF(x), { m: 3n, e: -2 }) <= 0) return { quadrant: 0, r: x };
  const k = roundToInteger(div(x, halfPi));
  // r = x - k * halfPi exactly: both are integers times powers of two.
  const e = Math.min(x.e, halfPi.e);
  const exact = (x.m << BigInt(x.e - e)) - k * (halfPi.m << BigInt(halfPi.e - e));
  return { quadrant: Number(BigInt.asUintN(2, k)), r: bf(exact, e) };
}

export function sinCos(x: BigF): { sin: BigF; cos: BigF } {
  const { quadrant, r } = reduce(x);
  const s = sinSeries(r);
  const c = cosSeries(r);
  switch (quadrant) {
    case 0: return { sin: s, cos: c };
    case 1: return { sin: c, cos: neg(s) };
    case 2: return { sin: neg(s), cos: neg(c) };
    default: return { sin: neg(c), cos: s };
  }
}

export function tan(x: BigF): BigF {
  const { sin, cos } = sinCos(x);
  return div(sin, cos);
}

/** atan(t) for t >= 0. */
function atanNonNegative(t: BigF): BigF {
  if (compareF(t, ONE) > 0) return sub(mulPow2(PI, -1), atanNonNegative(div(ONE, t)));
  // Two argument halvings (atan t = 2 atan(t / (1 + sqrt(1 + t^2)))) bring t below 0.2.
  let u = t;
  for (let i = 0; i < 2; i++) u = div(u, add(ONE, sqrtF(add(ONE, mul(u, u)))));
  return mulPow2(atanSeries(u), 2);
}

/** atan2(y, x) for finite, not both zero, with the usual quadrant rules. */
export function atan2(y: BigF, x: BigF): BigF {
  let a = atanNonNegative(div(absF(y), absF(x)));
  if (sign(x) < 0) a = sub(PI, a);
  return sign(y) < 0 ? neg(a) : a;
}

export function log2(x: BigF): BigF { return div(ln(x), LN2); }
export function log2p1(x: BigF): BigF { return div(ln1p(x), LN2); }

/** Shared for FLDxx constants. */
export const CONSTANTS = {
  pi: PI,
  l2e: div(ONE, LN2),
  l2t: div(LN10, LN2),
  lg2: div(LN2, LN10),
  ln2: LN2,
} as const;

