// FSCALE, FXTRACT and the partial remainders FPREM/FPREM1: the operations that work on
// exponents and exact remainders rather than rounding an arithmetic result.

import type { F80 } from './float80.js';
import {
  BIAS, Exc, FpClass, FpEnv, INDEFINITE, INT_BIT, Rc, bitLength, classify, fromInteger, infinity, invalid, isNaNClass, lsbExponent,
  propagateNaN, propagateNaN1, roundFull, zero,
} from './float80.js';

/** Unbiased exponent of the most significant set bit of a finite nonzero value. */
function msbExponent(a: F80): number { return lsbExponent(a) + bitLength(a.sig) - 1; }

/** FSCALE: a * 2^trunc(b), rounded with RC at full precision. */
export function scale(a: F80, b: F80, env: FpEnv): F80 {
  const ca = classify(a);
  const cb = classify(b);
  if (ca === FpClass.Unsupported || cb === FpClass.Unsupported) return invalid(env);
  if (isNaNClass(ca) || isNaNClass(cb)) return propagateNaN(a, b, env);
  if (ca === FpClass.Denormal || cb === FpClass.Denormal) env.flags |= Exc.DE;
  if (cb === FpClass.Infinity) {
    if (b.sign === 0) return ca === FpClass.Zero ? invalid(env) : infinity(a.sign);
    return ca === FpClass.Infinity ? invalid(env) : zero(a.sign);
  }
  if (ca === FpClass.Zero || ca === FpClass.Infinity) return a;
  let n = 0;
  if (cb !== FpClass.Zero) {
    const e = lsbExponent(b);
    // Anything beyond 2^20 overflows or underflows every operand the same way.
    const mag = e >= 0 ? (msbExponent(b) > 20 ? 1 << 20 : Number(b.sig << BigInt(e))) : msbExponent(b) > 20 ? 1 << 20 : Number(b.sig >> BigInt(-e));
    n = b.sign ? -mag : mag;
  }
  return roundFull(a.sign, a.sig, lsbExponent(a) + n, false, env);
}

/** FXTRACT: the unbiased exponent (as a value) and the significand scaled to [1, 2). */
export function extract(a: F80, env: FpEnv): { exponent: F80; significand: F80 } {
  const ca = classify(a);
  if (ca === FpClass.Unsupported) return { exponent: invalid(env), significand: INDEFINITE };
  if (isNaNClass(ca)) { const q = propagateNaN1(a, env); return { exponent: q, significand: q }; }
  if (ca === FpClass.Zero) { env.flags |= Exc.ZE; return { exponent: infinity(1), significand: a }; }
  if (ca === FpClass.Infinity) return { exponent: infinity(0), significand: a };
  if (ca === FpClass.Denormal) env.flags |= Exc.DE;
  const bl = bitLength(a.sig);
  return {
    exponent: fromInteger(BigInt(msbExponent(a))),
    significand: { sign: a.sign, exp: BIAS, sig: a.sig << BigInt(64 - bl) },
  };
}

export interface Remainder {
  result: F80;
  /** The low three quotient bits (reported in C0, C3, C1); -1 when a NaN or invalid operand decided the result. */
  quotient: number;
  /** The reduction is incomplete (C2): run the instruction again. */
  partial: boolean;
}

/**
 * FPREM (truncating quotient) and FPREM1 (IEEE remainder, quotient rounded to nearest
 * even). When the exponents differ by 64 or more, one step reduces the dividend's
 * exponent by D - N with N = 32 + (D mod 32) and reports a partial result.
 */
export function remainder(a: F80, b: F80, nearest: boolean, env: FpEnv): Remainder {
  const none = (result: F80): Remainder => ({ result, quotient: 0, partial: false });
  const noQuotient = (result: F80): Remainder => ({ result, quotient: -1, partial: false });
  const ca = classify(a);
  const cb = classify(b);
  if (ca === FpClass.Unsupported || cb === FpClass.Unsupported) return noQuotient(invalid(env));
  if (isNaNClass(ca) || isNaNClass(cb)) return noQuotient(propagateNaN(a, b, env));
  if (ca === FpClass.Infinity || cb === FpClass.Zero) return noQuotient(invalid(env));
  if (ca === FpClass.Denormal || cb === FpClass.Denormal) env.flags |= Exc.DE;
  // x rem inf = x, a pseudo-denormal x coming back normalised (exponent 1) as the CPU stores it.
  if (ca === FpClass.Zero || cb === FpClass.Infinity) return none(a.exp === 0 && (a.sig & INT_BIT) !== 0n ? { ...a, exp: 1 } : a);
  const d = msbExponent(a) - msbExponent(b);
  const ea = lsbExponent(a);
  let eb = lsbExponent(b);
  let partial = false;
  if (d >= 64) {
    partial = true;
    eb += d - (32 + (d & 31));
  }
  const e = Math.min(ea, eb);
  const va = a.sig << BigInt(ea - e);
  const vb = b.sig << BigInt(eb - e);
  let q = va / vb;
  let r = va - q * vb;
  if (nearest && !partial && (2n * r > vb || (2n * r === vb && (q & 1n) === 1n))) { q += 1n; r -= vb; }
  const quotient = Number(q & 7n);
  if (r === 0n) return { result: zero(a.sign), quotient, partial };
  const sign = r < 0n ? a.sign ^ 1 : a.sign;
  const exact = new FpEnv(Rc.Nearest, 64);
  const result = roundFull(sign, r < 0n ? -r : r, e, false, exact);
  env.flags |= exact.flags & Exc.UE;
  return { result, quotient, partial };
}
