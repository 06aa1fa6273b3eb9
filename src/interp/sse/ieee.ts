// IEEE-754 element operations on non-NaN inputs, with x86 exception flags.
//
// Callers (lanes.ts) deal with NaN operands and DAZ before calling these; a NaN
// return value means "invalid operation: produce the default NaN". Results are JS
// numbers holding the exactly rounded float32/float64 value.
//
// Fast paths use doubles for round-to-nearest when the result is a normal number above
// the smallest one (a result that rounds to exactly 2^emin may still be "tiny" under
// x86's after-rounding rule, so it takes the slow path):
// a float32 sum, product, quotient or square root computed in double and then
// rounded to float32 is correctly rounded (53 >= 2*24+2), and exactness (for PE) is
// checked with error-free transformations (TwoSum, Dekker's TwoProduct). Everything
// else goes to the exact BigInt path in softfloat.ts.

import { env, Mx, Rc } from './mxcsr.js';
import { F32, F64, softAdd, softDiv, softMul, softSqrt, softConvert, softFromInt } from './softfloat.js';

const fround = Math.fround;
const MIN_NORMAL32 = 2 ** -126;
const MIN_NORMAL64 = 2 ** -1022;
/** Below this magnitude Dekker's product error term could be subnormal (inexact). */
const DEKKER_LOW = 2 ** -969;
/** Above this magnitude Veltkamp splitting, or the partial products, could overflow. */
const DEKKER_HIGH = 2 ** 995;

function twoSumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/** The rounding error of a*b (exact when the inputs are inside Dekker's limits). */
function twoProductError(a: number, b: number, p: number): number {
  const ca = 134217729 * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = 134217729 * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

function invalid(): number {
  env.flags |= Mx.IE;
  return NaN;
}

function isInf(x: number): boolean { return x === Infinity || x === -Infinity; }

// ---- float32 ----------------------------------------------------------------------

export function add32(a: number, b: number): number {
  if (isInf(a) || isInf(b)) return isInf(a) && isInf(b) && a !== b ? invalid() : a + b;
  const d = a + b;
  if (env.rc === Rc.Nearest) {
    if (d === 0) return d;
    const r = fround(d);
    if (Math.abs(r) > MIN_NORMAL32 && r !== Infinity && r !== -Infinity) {
      if (r !== d || twoSumError(a, b, d) !== 0) env.flags |= Mx.PE;
      return r;
    }
  }
  return softAdd(a, b, F32);
}

export function sub32(a: number, b: number): number { return add32(a, -b); }

export function mul32(a: number, b: number): number {
  if (isInf(a) || isInf(b)) return a === 0 || b === 0 ? invalid() : a * b;
  const d = a * b; // exact: 24x24 bits
  if (d === 0) return d;
  if (env.rc === Rc.Nearest) {
    const r = fround(d);
    if (Math.abs(r) > MIN_NORMAL32 && r !== Infinity && r !== -Infinity) {
      if (r !== d) env.flags |= Mx.PE;
      return r;
    }
  }
  return softMul(a, b, F32);
}

/**
 * Division's special operands, the same for both widths: infinities, zero divisors
 * (ZE, or IE for 0/0) and zero dividends. Undefined when the quotient needs rounding.
 */
function divSpecial(a: number, b: number): number | undefined {
  if (isInf(a)) return isInf(b) ? invalid() : a / b;
  if (isInf(b)) return a / b;
  if (b === 0) {
    if (a === 0) return invalid();
    env.flags |= Mx.ZE;
    return a / b;
  }
  if (a === 0) return a / b;
  return undefined;
}

export function div32(a: number, b: number): number {
  const special = divSpecial(a, b);
  if (special !== undefined) return special;
  if (env.rc === Rc.Nearest) {
    const r = fround(a / b);
    if (Math.abs(r) > MIN_NORMAL32 && r !== Infinity && r !== -Infinity) {
      if (r * b !== a) env.flags |= Mx.PE; // r*b is exact (24x24 bits)
      return r;
    }
  }
  return softDiv(a, b, F32);
}

export function sqrt32(a: number): number {
  if (a === 0 || a === Infinity) return a;
  if (a < 0) return invalid();
  if (env.rc === Rc.Nearest) {
    const r = fround(Math.sqrt(a));
    if (r * r !== a) env.flags |= Mx.PE;
    return r;
  }
  return softSqrt(a, F32);
}

// ---- float64 ----------------------------------------------------------------------

export function add64(a: number, b: number): number {
  if (isInf(a) || isInf(b)) return isInf(a) && isInf(b) && a !== b ? invalid() : a + b;
  const d = a + b;
  if (env.rc === Rc.Nearest) {
    if (d === 0) return d;
    if (Math.abs(d) > MIN_NORMAL64 && d !== Infinity && d !== -Infinity) {
      if (twoSumError(a, b, d) !== 0) env.flags |= Mx.PE;
      return d;
    }
  }
  return softAdd(a, b, F64);
}

export function sub64(a: number, b: number): number { return add64(a, -b); }

export function mul64(a: number, b: number): number {
  if (isInf(a) || isInf(b)) return a === 0 || b === 0 ? invalid() : a * b;
  const d = a * b;
  if (a === 0 || b === 0) return d;
  if (env.rc === Rc.Nearest) {
    const ad = Math.abs(d);
    if (ad >= DEKKER_LOW && ad < DEKKER_HIGH && Math.abs(a) < DEKKER_HIGH && Math.abs(b) < DEKKER_HIGH) {
      if (twoProductError(a, b, d) !== 0) env.flags |= Mx.PE;
      return d;
    }
  }
  return softMul(a, b, F64);
}

export function div64(a: number, b: number): number {
  const special = divSpecial(a, b);
  if (special !== undefined) return special;
  if (env.rc === Rc.Nearest) {
    const q = a / b;
    const aq = Math.abs(q);
    const aa = Math.abs(a);
    if (aa >= DEKKER_LOW && aa < DEKKER_HIGH && aq > MIN_NORMAL64 && aq < DEKKER_HIGH && Math.abs(b) >= MIN_NORMAL64 && Math.abs(b) < DEKKER_HIGH) {
      const p = q * b;
      if (p !== a || twoProductError(q, b, p) !== 0) env.flags |= Mx.PE;
      return q;
    }
  }
  return softDiv(a, b, F64);
}

export function sqrt64(a: number): number {
  if (a === 0 || a === Infinity) return a;
  if (a < 0) return invalid();
  if (env.rc === Rc.Nearest && a >= DEKKER_LOW && a < DEKKER_HIGH) {
    const r = Math.sqrt(a);
    const p = r * r;
    if (p !== a || twoProductError(r, r, p) !== 0) env.flags |= Mx.PE;
    return r;
  }
  return softSqrt(a, F64);
}

// ---- conversions --------------------------------------------------------------------

/** float64 -> float32 (CVTSD2SS, CVTPD2PS) for a non-NaN input. */
export function f64ToF32(a: number): number {
  if (a === 0 || isInf(a)) return a;
  if (env.rc === Rc.Nearest) {
    const r = fround(a);
    if (Math.abs(r) > MIN_NORMAL32 && r !== Infinity && r !== -Infinity) {
      if (r !== a) env.flags |= Mx.PE;
      return r;
    }
  }
  return softConvert(a, F32);
}

/** A signed integer (exact in a double, or a BigInt beyond 2^53) -> float32/float64. */
export function intToFloat(v: number | bigint, single: boolean): number {
  if (typeof v === 'number') {
    if (!single) return v;
    const r = fround(v);
    if (r === v) return r;
    if (env.rc === Rc.Nearest) { env.flags |= Mx.PE; return r; }
    return softFromInt(BigInt(v), F32);
  }
  return softFromInt(v, single ? F32 : F64);
}

/** Rounds to an integral value with rounding control `rc`, keeping the sign of zero. */
export function roundIntegral(x: number, rc: Rc): number {
  let r: number;
  switch (rc) {
    case Rc.Nearest: {
      const f = Math.floor(x);
      const d = x - f;
      r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
      break;
    }
    case Rc.Down: r = Math.floor(x); break;
    case Rc.Up: r = Math.ceil(x); break;
    default: r = Math.trunc(x);
  }
  if (r === 0) return x < 0 || Object.is(x, -0) ? -0 : 0;
  return r;
}

/** Integer result of a float -> int conversion: low and high 32-bit halves. */
export const intOut = { lo: 0, hi: 0 };

const TWO31 = 2 ** 31;
const TWO63 = 2 ** 63;

/**
 * Float -> signed integer (CVT(T)SS2SI, CVT(T)SD2SI, CVT(T)PS2DQ, CVT(T)PD2DQ) for a
 * value that may be NaN; out-of-range and NaN give the integer indefinite value and IE.
 */
export function floatToInt(x: number, bits: 32 | 64, truncate: boolean): void {
  const r = x !== x ? NaN : roundIntegral(x, truncate ? Rc.Zero : env.rc);
  const inRange = bits === 32 ? r >= -TWO31 && r < TWO31 : r >= -TWO63 && r < TWO63;
  if (!inRange) {
    env.flags |= Mx.IE;
    if (bits === 32) { intOut.lo = 0x80000000; intOut.hi = 0; } else { intOut.lo = 0; intOut.hi = 0x80000000; }
    return;
  }
  if (r !== x) env.flags |= Mx.PE;
  if (bits === 32) { intOut.lo = r >>> 0; intOut.hi = 0; return; }
  if (Math.abs(r) < 2 ** 53) {
    const hi = Math.floor(r / 0x100000000);
    intOut.lo = (r - hi * 0x100000000) >>> 0;
    intOut.hi = hi >>> 0;
    return;
  }
  const big = BigInt.asUintN(64, BigInt(r));
  intOut.lo = Number(big & 0xffffffffn);
  intOut.hi = Number(big >> 32n);
}
