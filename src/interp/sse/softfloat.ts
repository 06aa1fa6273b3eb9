// Exact IEEE-754 rounding with BigInt: the slow path behind the element operations.
//
// The fast paths in ieee.ts compute with JavaScript doubles and cover round-to-nearest
// with normal results. Everything else (directed rounding, results that overflow,
// underflow or are subnormal, flush-to-zero) comes here: the operation's exact result
// is formed as an integer significand and a binary exponent, then rounded once to the
// target format with the MXCSR rounding mode, raising OE/UE/PE as x86 does
// (tininess is detected after rounding; with underflow masked, UE needs inexactness).

import { env, Mx, Rc } from './mxcsr.js';

export interface FloatFormat {
  /** Significand precision including the hidden bit. */
  readonly p: number;
  /** Exponent of the smallest normal number. */
  readonly emin: number;
  /** Exponent of the largest finite number. */
  readonly emax: number;
  readonly maxFinite: number;
  readonly minNormal: number;
}

export const F32: FloatFormat = { p: 24, emin: -126, emax: 127, maxFinite: 3.4028234663852886e38, minNormal: 2 ** -126 };
export const F64: FloatFormat = { p: 53, emin: -1022, emax: 1023, maxFinite: Number.MAX_VALUE, minNormal: 2 ** -1022 };

/** A finite value as (-1)^neg * mant * 2^exp. */
export interface Exact { neg: boolean; mant: bigint; exp: number }

const bitsBuf = new DataView(new ArrayBuffer(8));

/** Splits a finite double (any float32 value is one) into an exact integer significand and exponent. */
export function unpack(x: number): Exact {
  bitsBuf.setFloat64(0, x);
  const hi = bitsBuf.getUint32(0);
  const lo = bitsBuf.getUint32(4);
  const e = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e !== 0) mant |= 1n << 52n;
  return { neg: hi >>> 31 === 1, mant, exp: (e === 0 ? 1 : e) - 1075 };
}

export function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Rounds mant*2^exp to a multiple of 2^e with the current rounding mode; returns the multiple's count. */
function roundAt(neg: boolean, mant: bigint, exp: number, e: number, rc: Rc): { m: bigint; inexact: boolean } {
  const k = e - exp;
  if (k <= 0) return { m: mant << BigInt(-k), inexact: false };
  const bk = BigInt(k);
  let m = mant >> bk;
  const rem = mant & ((1n << bk) - 1n);
  if (rem === 0n) return { m, inexact: false };
  const half = 1n << (bk - 1n);
  let up: boolean;
  switch (rc) {
    case Rc.Nearest: up = rem > half || (rem === half && (m & 1n) === 1n); break;
    case Rc.Down: up = neg; break;
    case Rc.Up: up = !neg; break;
    default: up = false;
  }
  if (up) m += 1n;
  return { m, inexact: true };
}

/**
 * Rounds the exact value (-1)^neg * (mant + δ) * 2^exp to `f`, where `sticky` says
 * 0 < δ < 1 (a nonzero remainder below the last bit). Callers that pass sticky must
 * give at least p+2 significant bits in `mant`. Raises OE/UE/PE; applies FTZ.
 * Returns the rounded value as a double (exact: it is representable in `f`).
 */
export function roundToFormat(neg: boolean, mant: bigint, exp: number, sticky: boolean, f: FloatFormat, rc: Rc = env.rc): number {
  if (sticky) { mant = (mant << 1n) | 1n; exp -= 1; }
  if (mant === 0n) return neg ? -0 : 0;
  const lead = exp + bitLength(mant) - 1;
  // Tininess after rounding: round to p bits as if the exponent range were unbounded.
  const eUnbounded = lead - (f.p - 1);
  const unb = roundAt(neg, mant, exp, eUnbounded, rc);
  const tiny = bitLength(unb.m) - 1 + eUnbounded < f.emin;
  const e = Math.max(eUnbounded, f.emin - (f.p - 1));
  const { m, inexact } = roundAt(neg, mant, exp, e, rc);
  if (bitLength(m) - 1 + e > f.emax) {
    env.flags |= Mx.OE | Mx.PE;
    const toInfinity = rc === Rc.Nearest || (rc === Rc.Up && !neg) || (rc === Rc.Down && neg);
    const mag = toInfinity ? Infinity : f.maxFinite;
    return neg ? -mag : mag;
  }
  if (tiny && env.ftz) {
    env.flags |= Mx.UE | Mx.PE;
    return neg ? -0 : 0;
  }
  if (inexact) env.flags |= tiny ? Mx.UE | Mx.PE : Mx.PE;
  const mag = Number(m) * 2 ** e;
  return neg ? -mag : mag;
}

function roundExact(x: Exact, f: FloatFormat, sticky = false): number {
  return roundToFormat(x.neg, x.mant, x.exp, sticky, f);
}

/** The sign of an exact zero sum: +0 unless rounding down (or both addends are -0). */
function zeroSum(aNeg: boolean, bNeg: boolean): number {
  if (aNeg && bNeg) return -0;
  if (aNeg !== bNeg && env.rc === Rc.Down) return -0;
  return 0;
}

/** Exact a + b for finite a, b, rounded to `f`. */
export function softAdd(a: number, b: number, f: FloatFormat): number {
  const x = unpack(a);
  const y = unpack(b);
  const e = Math.min(x.exp, y.exp);
  const mx = (x.mant << BigInt(x.exp - e)) * (x.neg ? -1n : 1n);
  const my = (y.mant << BigInt(y.exp - e)) * (y.neg ? -1n : 1n);
  const s = mx + my;
  if (s === 0n) return zeroSum(a < 0 || Object.is(a, -0), b < 0 || Object.is(b, -0));
  return roundToFormat(s < 0n, s < 0n ? -s : s, e, false, f);
}

/** Exact a * b for finite a, b, rounded to `f`. */
export function softMul(a: number, b: number, f: FloatFormat): number {
  const x = unpack(a);
  const y = unpack(b);
  const neg = x.neg !== y.neg;
  if (x.mant === 0n || y.mant === 0n) return neg ? -0 : 0;
  return roundToFormat(neg, x.mant * y.mant, x.exp + y.exp, false, f);
}

/** a / b for finite a and finite nonzero b, rounded to `f`. */
export function softDiv(a: number, b: number, f: FloatFormat): number {
  const x = unpack(a);
  const y = unpack(b);
  const neg = x.neg !== y.neg;
  if (x.mant === 0n) return neg ? -0 : 0;
  const shift = Math.max(0, f.p + 3 + bitLength(y.mant) - bitLength(x.mant));
  const num = x.mant << BigInt(shift);
  const q = num / y.mant;
  const sticky = q * y.mant !== num;
  return roundToFormat(neg, q, x.exp - y.exp - shift, sticky, f);
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** sqrt(a) for finite a >= +0 (the caller handles -0 and negatives), rounded to `f`. */
export function softSqrt(a: number, f: FloatFormat): number {
  const x = unpack(a);
  if (x.mant === 0n) return a;
  let mant = x.mant;
  let exp = x.exp;
  // Make the exponent even and give the root at least p+3 bits.
  let shift = Math.max(0, 2 * (f.p + 3) - bitLength(mant));
  if ((exp - shift) % 2 !== 0) shift++;
  mant <<= BigInt(shift);
  exp -= shift;
  const r = isqrt(mant);
  return roundToFormat(false, r, exp / 2, r * r !== mant, f);
}

/** Rounds a finite double to `f` (used for double -> float conversion). */
export function softConvert(a: number, f: FloatFormat): number {
  const x = unpack(a);
  if (x.mant === 0n) return a;
  return roundExact(x, f);
}

/** Rounds an exact integer to `f` (CVTSI2SS/SD). */
export function softFromInt(v: bigint, f: FloatFormat): number {
  if (v === 0n) return 0;
  return roundToFormat(v < 0n, v < 0n ? -v : v, 0, false, f);
}
