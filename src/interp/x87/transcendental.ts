// The transcendental instructions on 80-bit values: special cases as the SDM tables give
// them, everything else computed in working precision (bigfloat.ts) and rounded once
// with RC at full 64-bit precision (precision control does not apply to these).
//
// Hardware results are within about 1 ulp but not always correctly rounded; ours aim
// to be correctly rounded, so the tests against the CPU allow 1 ulp here and only here.
// Trigonometric arguments are reduced with the x87's own 66-bit pi, which keeps results
// near multiples of pi/2 as close to hardware as the reduction allows.

import type { BigF } from './bigfloat.js';
import * as B from './bigfloat.js';
import type { F80 } from './float80.js';
import {
  BIAS, Exc, FpClass, FpEnv, INT_BIT, bitLength, classify, infinity, invalid, isNaNClass, propagateNaN,
  propagateNaN1, zero,
} from './float80.js';

const ONE_F80: F80 = { sign: 0, exp: BIAS, sig: INT_BIT };

function isPowerOfTwo(x: BigF): boolean {
  const m = x.m < 0n ? -x.m : x.m;
  return m !== 0n && (m & (m - 1n)) === 0n;
}

/**
 * The CPU reports every nonzero F2XM1/FYL2X/FYL2XP1 result as inexact, even exact ones,
 * and so a denormal one as an underflow too (tiny and inexact).
 */
function inexact(v: F80, env: FpEnv): F80 {
  const c = classify(v);
  if (c !== FpClass.Zero) env.flags |= Exc.PE;
  if (c === FpClass.Denormal) env.flags |= Exc.UE;
  return v;
}

/** Whether 1 + x (computed exactly, not at working precision) is a power of two. */
function onePlusIsPowerOfTwo(x: BigF): boolean {
  if (x.e < -WORK_LIMIT) return false; // 1 + a tiny nonzero x is never one
  const t = x.e >= 0 ? (x.m << BigInt(x.e)) + 1n : x.m + (1n << BigInt(-x.e));
  return t > 0n && (t & (t - 1n)) === 0n;
}
const WORK_LIMIT = 400;

/** k for a positive power of two 2^k. */
function exponentOf(x: BigF): bigint { return BigInt(x.e + bitLength(x.m) - 1); }

/** Prelude for one operand: unsupported, NaN and denormal handling. */
function check1(a: F80, env: FpEnv): { c: FpClass; done?: F80 } {
  const c = classify(a);
  if (c === FpClass.Unsupported) return { c, done: invalid(env) };
  if (isNaNClass(c)) return { c, done: propagateNaN1(a, env) };
  if (c === FpClass.Denormal) env.flags |= Exc.DE;
  return { c };
}

function check2(x: F80, y: F80, env: FpEnv): { cx: FpClass; cy: FpClass; done?: F80 } {
  const cx = classify(x);
  const cy = classify(y);
  if (cx === FpClass.Unsupported || cy === FpClass.Unsupported) return { cx, cy, done: invalid(env) };
  if (isNaNClass(cx) || isNaNClass(cy)) return { cx, cy, done: propagateNaN(x, y, env) };
  return { cx, cy };
}

function denormalCheck(env: FpEnv, ...cs: FpClass[]): void {
  if (cs.includes(FpClass.Denormal)) env.flags |= Exc.DE;
}

/** F2XM1: 2^x - 1. */
export function f2xm1(a: F80, env: FpEnv): F80 {
  const { c, done } = check1(a, env);
  if (done) return done;
  if (c === FpClass.Zero) return a;
  if (c === FpClass.Infinity) return a.sign ? { sign: 1, exp: BIAS, sig: INT_BIT } : a;
  const x = B.fromF80(a);
  // Outside [-1, 1] the result is undefined; the CPU (checked on AMD) returns the operand.
  if (B.compareF(B.absF(x), B.ONE) > 0) { env.flags |= Exc.PE; return a; }
  const isInteger = x.e >= 0 || (x.m & ((1n << BigInt(-x.e)) - 1n)) === 0n;
  return inexact(B.toF80(B.exp2m1(x), env, isInteger), env);
}

/** FYL2X: y * log2(x), x = ST(0), y = ST(1). */
export function fyl2x(x: F80, y: F80, env: FpEnv): F80 {
  const { cx, cy, done } = check2(x, y, env);
  if (done) return done;
  if (x.sign === 1 && cx !== FpClass.Zero) return invalid(env);
  if (cx === FpClass.Zero) {
    // Division by zero only: a denormal y is not reported (checked on AMD).
    if (cy === FpClass.Zero) return invalid(env);
    if (cy !== FpClass.Infinity) env.flags |= Exc.ZE;
    return infinity(y.sign ^ 1);
  }
  denormalCheck(env, cx, cy);
  if (cx === FpClass.Infinity) return cy === FpClass.Zero ? invalid(env) : infinity(y.sign);
  const bx = B.fromF80(x);
  // log2 of a power of two is an integer, and the product is then exact.
  const exactLog = isPowerOfTwo(bx);
  const lg = exactLog ? B.fromInt(exponentOf(bx)) : B.log2(bx);
  const negative = B.sign(lg) < 0 ? 1 : 0;
  if (cy === FpClass.Infinity) return B.isZero(lg) ? invalid(env) : infinity(y.sign ^ negative);
  if (cy === FpClass.Zero || B.isZero(lg)) return zero(y.sign ^ negative);
  return inexact(B.toF80(B.mul(B.fromF80(y), lg), env, exactLog), env);
}

/** FYL2XP1: y * log2(x + 1), x = ST(0), y = ST(1). */
export function fyl2xp1(x: F80, y: F80, env: FpEnv): F80 {
  const { cx, cy, done } = check2(x, y, env);
  if (done) return done;
  denormalCheck(env, cx, cy);
  if (cx === FpClass.Zero) return cy === FpClass.Infinity ? invalid(env) : zero(x.sign ^ y.sign);
  if (cx === FpClass.Infinity) return x.sign || cy === FpClass.Zero ? invalid(env) : infinity(y.sign);
  if (cy === FpClass.Zero) return zero(y.sign ^ x.sign);
  const bx = B.fromF80(x);
  const t = B.add(B.ONE, bx);
  // x <= -1 is outside the domain; the CPU (checked on AMD) returns the operand.
  if (B.sign(t) <= 0) { env.flags |= Exc.PE; return x; }
  if (cy === FpClass.Infinity) return infinity(y.sign ^ x.sign);
  const exactLog = onePlusIsPowerOfTwo(bx);
  const lg = exactLog ? B.fromInt(exponentOf(t)) : B.log2p1(bx);
  return inexact(B.toF80(B.mul(B.fromF80(y), lg), env, exactLog), env);
}

/** FPATAN: atan2(y, x) with x = ST(0), y = ST(1). */
export function fpatan(x: F80, y: F80, env: FpEnv): F80 {
  const { cx, cy, done } = check2(x, y, env);
  if (done) return done;
  denormalCheck(env, cx, cy);
  const pi = (fraction: number, sign: number): F80 => {
    const v = B.mul(B.PI, B.div(B.fromInt(BigInt(Math.round(fraction * 4))), B.fromInt(4n)));
    return B.toF80(sign ? B.neg(v) : v, env);
  };
  if (cy === FpClass.Zero) return x.sign === 0 ? zero(y.sign) : pi(1, y.sign);
  if (cx === FpClass.Zero) return pi(0.5, y.sign);
  if (cy === FpClass.Infinity) {
    if (cx === FpClass.Infinity) return pi(x.sign ? 0.75 : 0.25, y.sign);
    return pi(0.5, y.sign);
  }
  if (cx === FpClass.Infinity) return x.sign === 0 ? zero(y.sign) : pi(1, y.sign);
  return B.toF80(B.atan2(B.fromF80(y), B.fromF80(x)), env);
}

/** |x| >= 2^63: FSIN/FCOS/FSINCOS/FPTAN leave ST(0) alone and set C2. */
export function trigOutOfRange(a: F80): boolean {
  const c = classify(a);
  return (c === FpClass.Normal) && a.exp - BIAS >= 63;
}

export type TrigFunction = 'sin' | 'cos' | 'tan';

/** sin, cos or tan of an in-range (or special) operand. */
export function trig(f: TrigFunction, a: F80, env: FpEnv): F80 {
  const { c, done } = check1(a, env);
  if (done) return done;
  if (c === FpClass.Infinity) return invalid(env);
  if (c === FpClass.Zero) return f === 'cos' ? ONE_F80 : a;
  const x = B.fromF80(a);
  // |x| < 2^-40: sin x = x(1 - x^2/6 ...) and cos x = 1 - x^2/2 ... are within far less
  // than half an ulp of x (or 1), on a known side: only directed rounding can tell, so
  // the result is x (or 1) nudged to that side, and inexact; the CPU rounds these
  // correctly (checked on AMD: RC down gives the neighbour below, a denormal for the
  // smallest normal, with UE). Its FPTAN instead returns x itself, inexact, under every
  // rounding mode (tan x lies just beyond x: an error under 1 ulp, which the SDM allows).
  if (a.exp < BIAS - 40) {
    if (f === 'cos') return B.toF80(B.nudge(B.ONE, -1), env);
    if (f === 'tan') {
      // x itself, normalised (a pseudo-denormal gets exponent 1), inexact, and underflowing when denormal.
      const r = B.toF80(x, env, true);
      env.flags |= Exc.PE | (r.exp === 0 ? Exc.UE : 0);
      return r;
    }
    return B.toF80(B.nudge(x, -1), env);
  }
  if (f === 'tan') return B.toF80(B.tan(x), env);
  const sc = B.sinCos(x);
  return B.toF80(f === 'sin' ? sc.sin : sc.cos, env);
}

export { ONE_F80 };
