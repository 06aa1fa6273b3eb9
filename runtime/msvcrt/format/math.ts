// The <math.h> functions MinGW programs import from msvcrt.dll, on doubles, with msvcrt's
// special cases and errno reporting. Values are JS numbers; a NaN result of an invalid
// operation (errno EDOM) is the x86 default NaN in the guest (bits INDEFINITE_NAN_BITS,
// printed -1.#IND) and the API layer writes those bits, since JS does not keep NaN signs.
// A NaN argument propagates as that argument (quieted) with errno 0.
//
// Accuracy: sqrt, fabs, floor, ceil, fmod, modf, frexp, ldexp, copysign are exact (so equal to
// Windows). The transcendental functions use V8's fdlibm-derived Math.* implementations, which
// are within 1 ulp like Windows' own; the tests measure them against glibc (correctly rounded in
// almost all cases) and record how often the last bit differs.

import { EDOM, ERANGE, type Errno } from './errno.js';
import { bitsToDouble, classifyDouble, doubleToBits } from './bits.js';

export interface MathResult {
  value: number;
  errno: Errno;
}

const ok = (value: number): MathResult => ({ value, errno: 0 });
const domain = (): MathResult => ({ value: NaN, errno: EDOM });
const range = (value: number): MathResult => ({ value, errno: ERANGE });

/** Overflow to infinity or total underflow to zero from finite, non-zero inputs is ERANGE. */
function checked(value: number, ...inputs: number[]): MathResult {
  if (inputs.every(Number.isFinite) && !Number.isFinite(value) && !Number.isNaN(value)) return range(value);
  return ok(value);
}

export function sqrt(x: number): MathResult {
  if (x < 0) return domain();
  return ok(Math.sqrt(x));
}

export function sin(x: number): MathResult {
  return Number.isFinite(x) || Number.isNaN(x) ? ok(Math.sin(x)) : domain();
}

export function cos(x: number): MathResult {
  return Number.isFinite(x) || Number.isNaN(x) ? ok(Math.cos(x)) : domain();
}

export function tan(x: number): MathResult {
  return Number.isFinite(x) || Number.isNaN(x) ? ok(Math.tan(x)) : domain();
}

export function asin(x: number): MathResult {
  return Math.abs(x) > 1 ? domain() : ok(Math.asin(x));
}

export function acos(x: number): MathResult {
  return Math.abs(x) > 1 ? domain() : ok(Math.acos(x));
}

export function atan(x: number): MathResult {
  return ok(Math.atan(x));
}

export function atan2(y: number, x: number): MathResult {
  return ok(Math.atan2(y, x));
}

export function sinh(x: number): MathResult {
  return checked(Math.sinh(x), x);
}

export function cosh(x: number): MathResult {
  return checked(Math.cosh(x), x);
}

export function tanh(x: number): MathResult {
  return ok(Math.tanh(x));
}

export function exp(x: number): MathResult {
  const v = Math.exp(x);
  if (Number.isFinite(x) && (v === 0 || !Number.isFinite(v))) return range(v);
  return ok(v);
}

export function log(x: number): MathResult {
  if (x < 0) return domain();
  if (x === 0) return range(-Infinity);
  return ok(Math.log(x));
}

export function log10(x: number): MathResult {
  if (x < 0) return domain();
  if (x === 0) return range(-Infinity);
  return ok(Math.log10(x));
}

export function pow(x: number, y: number): MathResult {
  // C99/Windows cases where JS's Math.pow returns NaN.
  if (x === 1 || y === 0) return ok(1);
  if (x === -1 && (y === Infinity || y === -Infinity)) return ok(1);
  if (Number.isNaN(x) || Number.isNaN(y)) return ok(NaN);
  if (x === 0 && y < 0) {
    const oddInteger = Number.isInteger(y) && Math.abs(y % 2) === 1;
    return range(oddInteger && Object.is(x, -0) ? -Infinity : Infinity);
  }
  if (x < 0 && Number.isFinite(x) && Number.isFinite(y) && !Number.isInteger(y)) return domain();
  const v = Math.pow(x, y);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== 0 && (v === 0 || !Number.isFinite(v))) return range(v);
  return ok(v);
}

export function fabs(x: number): MathResult {
  return ok(Math.abs(x));
}

export function floor(x: number): MathResult {
  return ok(Math.floor(x));
}

export function ceil(x: number): MathResult {
  return ok(Math.ceil(x));
}

/** fmod is exact; JS's % on numbers is the IEEE remainder-by-truncation with the dividend's
 * sign, i.e. C's fmod. fmod(x, 0) and fmod(inf, y) are domain errors. */
export function fmod(x: number, y: number): MathResult {
  if (Number.isNaN(x) || Number.isNaN(y)) return ok(NaN);
  if (y === 0 || !Number.isFinite(x)) return domain();
  return ok(x % y);
}

/** modf: integer part (stored through the pointer) and the signed fractional part. */
export function modf(x: number): { fraction: number; integer: number } {
  if (!Number.isFinite(x)) return { fraction: Number.isNaN(x) ? x : Math.sign(x) * 0, integer: x };
  const integer = Math.trunc(x);
  const fraction = x - integer; // exact
  return { fraction: fraction === 0 ? (Object.is(x, -0) || x < 0 ? -0 : 0) : fraction, integer };
}

/** frexp: mantissa in [0.5, 1) and exponent; 0, inf and NaN give the value and exponent 0.
 * Exact: the mantissa is the same bits with the exponent field replaced. */
export function frexp(x: number): { mantissa: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { mantissa: x, exponent: 0 };
  let bits = doubleToBits(x);
  let bias = 0;
  if (((bits >> 52n) & 0x7ffn) === 0n) {
    bits = doubleToBits(x * 2 ** 64); // subnormal: normalise exactly first
    bias = -64;
  }
  const field = Number((bits >> 52n) & 0x7ffn);
  const mantissa = bitsToDouble((bits & ~(0x7ffn << 52n)) | (1022n << 52n));
  return { mantissa, exponent: field - 1022 + bias };
}

export function ldexp(x: number, n: number): MathResult {
  if (x === 0 || !Number.isFinite(x)) return ok(x);
  const clamped = Math.max(Math.min(n, 4000), -4000);
  const v = exactLdexp(x, clamped);
  if (!Number.isFinite(v)) return range(v);
  return ok(v);
}

/** ldexp with a single rounding: build the result from the bits when it lands in the
 * subnormal range, multiply directly otherwise. */
function exactLdexp(x: number, n: number): number {
  const { mantissa, exponent } = frexp(x);
  const e = exponent + n;
  if (e > 1024) return x > 0 ? Infinity : -Infinity;
  if (e >= -1021) return mantissa * 2 ** (e - 1) * 2; // normal: exact
  // Subnormal or underflow: mantissa * 2^e, rounding to nearest-even at 2^-1074.
  const shift = e + 1074; // bits kept after the binary point of 2^-1074 units
  if (shift < -1) return x > 0 ? 0 : -0;
  const scaled = Math.abs(mantissa) * 2 ** 53; // integer, 53 bits
  const units = scaled / 2 ** (53 - shift);
  const rounded = roundHalfEven(units);
  const v = rounded * 2 ** -1074;
  return x < 0 ? -v : v;
}

function roundHalfEven(u: number): number {
  const f = Math.floor(u);
  const diff = u - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** _hypot / hypot (and cabs on a complex {x, y}). V8's Math.hypot can be 2 ulp off; this
 * one scales to avoid overflow, then corrects sqrt(x^2 + y^2) with the exact residual of the
 * squares (Dekker products), which gives the correctly rounded result in practice. */
export function hypot(x: number, y: number): MathResult {
  let a = Math.abs(x);
  let b = Math.abs(y);
  if (a === Infinity || b === Infinity) return ok(Infinity);
  if (Number.isNaN(a) || Number.isNaN(b)) return ok(NaN);
  if (a < b) [a, b] = [b, a];
  if (b === 0) return ok(a);
  const { exponent } = frexp(a);
  a = exactLdexp(a, -exponent); // [0.5, 1)
  b = exactLdexp(b, -exponent);
  const [a2, a2lo] = twoProduct(a, a);
  const [b2, b2lo] = twoProduct(b, b);
  let h = Math.sqrt(a2 + b2);
  const [h2, h2lo] = twoProduct(h, h);
  const residual = ((a2 - h2) + b2) + ((a2lo + b2lo) - h2lo);
  h += residual / (2 * h);
  return checked(exactLdexp(h, exponent), x, y);
}

function split(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1
  const hi = c - (c - a);
  return [hi, a - hi];
}

/** a * b as an unevaluated sum p + e, exactly (for operands without overflow). */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

export function copysign(x: number, y: number): number {
  const negative = (doubleToBits(y) >> 63n) !== 0n;
  return negative ? -Math.abs(x) : Math.abs(x);
}

/** _chgsign */
export function chgsign(x: number): number {
  return -x;
}

/** _finite: 1 for finite values. */
export function finite(x: number): number {
  return Number.isFinite(x) ? 1 : 0;
}

/** _isnan */
export function isnan(x: number): number {
  return Number.isNaN(x) ? 1 : 0;
}

/** _logb: the unbiased exponent as a double; subnormals report their true exponent. */
export function logb(x: number): MathResult {
  if (Number.isNaN(x)) return ok(x);
  if (x === 0) return range(-Infinity);
  if (!Number.isFinite(x)) return ok(Infinity);
  return ok(frexp(x).exponent - 1);
}

/** _fpclass of a double given by its bits (NaN signs and payloads matter here). */
export function fpclass(bits: bigint): number {
  const negative = (bits >> 63n) !== 0n;
  switch (classifyDouble(bits)) {
    case 'snan': return 0x0001;
    case 'qnan': case 'indefinite': return 0x0002;
    case 'infinity': return negative ? 0x0004 : 0x0200;
    case 'normal': return negative ? 0x0008 : 0x0100;
    case 'subnormal': return negative ? 0x0010 : 0x0080;
    default: return negative ? 0x0020 : 0x0040;
  }
}
