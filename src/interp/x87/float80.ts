// An 80-bit extended-precision soft-float with the x87's own rules: explicit integer
// bit, pseudo-denormals, unsupported encodings, NaN propagation by larger significand,
// rounding control (RC) and precision control (PC, rounding the significand to 24/53/64
// bits while keeping the 15-bit exponent range), and the status flags hardware sets.
//
// Values are exact rationals m * 2^e with BigInt significands; every operation computes
// the exact result (or enough bits plus a sticky bit) and rounds once. Exception flags
// and the round-up indicator (C1) accumulate in an FpEnv the caller passes in; masked
// responses are produced here, unmasked exceptions are the caller's business.

export interface F80 {
  readonly sign: number; // 0 or 1
  readonly exp: number; // biased exponent, 0..0x7fff
  readonly sig: bigint; // 64-bit significand with the explicit integer bit (bit 63)
}

export const BIAS = 16383;
/** Unbiased exponent of the smallest normal number. */
export const EMIN = -16382;
export const EMAX = 16383;
export const INT_BIT = 1n << 63n;
const QUIET_BIT = 1n << 62n;
const FRACTION_MASK = INT_BIT - 1n;
/** Exponent of the least significant bit of a denormal: 2^(EMIN - 63). */
const DENORMAL_LSB = EMIN - 63;

/** Status word exception bits (same positions as in the x87 status word). */
export const enum Exc { IE = 0x01, DE = 0x02, ZE = 0x04, OE = 0x08, UE = 0x10, PE = 0x20, SF = 0x40 }

/** Rounding control, as encoded in the control word bits 10..11. */
export const enum Rc { Nearest = 0, Down = 1, Up = 2, Zero = 3 }

export const enum FpClass { Zero, Denormal, Normal, Infinity, QNaN, SNaN, Unsupported }

/** Rounding parameters and accumulated exception state for one instruction. */
export class FpEnv {
  flags = 0;
  /** The last rounding increased the magnitude (reported in C1). */
  roundedUp = false;
  constructor(readonly rc: number, readonly precision: number) {}

  /** RC and PC from an x87 control word. PC 00 = 24 bits, 10 = 53, 11 = 64; the reserved 01 behaves as 64 here. */
  static fromControlWord(cw: number): FpEnv {
    const pc = (cw >> 8) & 3;
    return new FpEnv((cw >> 10) & 3, pc === 0 ? 24 : pc === 2 ? 53 : 64);
  }
}

export const INDEFINITE: F80 = { sign: 1, exp: 0x7fff, sig: 0xc000000000000000n };

export function zero(sign: number): F80 { return { sign, exp: 0, sig: 0n }; }
export function infinity(sign: number): F80 { return { sign, exp: 0x7fff, sig: INT_BIT }; }
export function negate(a: F80): F80 { return { sign: a.sign ^ 1, exp: a.exp, sig: a.sig }; }
export function abs(a: F80): F80 { return { sign: 0, exp: a.exp, sig: a.sig }; }

export function classify(a: F80): FpClass {
  if (a.exp === 0) return a.sig === 0n ? FpClass.Zero : FpClass.Denormal;
  if ((a.sig & INT_BIT) === 0n) return FpClass.Unsupported; // unnormal, pseudo-NaN, pseudo-infinity
  if (a.exp !== 0x7fff) return FpClass.Normal;
  if ((a.sig & FRACTION_MASK) === 0n) return FpClass.Infinity;
  return (a.sig & QUIET_BIT) !== 0n ? FpClass.QNaN : FpClass.SNaN;
}

export function isNaNClass(c: FpClass): boolean { return c === FpClass.QNaN || c === FpClass.SNaN; }

export function bitLength(x: bigint): number {
  if (x > 0xffffffffffffffffffffffffffffffffffffffffn) return x.toString(16).length * 4 - Math.clz32(parseInt(x.toString(16)[0]!, 16)) + 28;
  let n = 0;
  while (x > 0xffffffffn) { x >>= 32n; n += 32; }
  return n + 32 - Math.clz32(Number(x));
}

/** Exponent e such that a finite value is sig * 2^e (denormals and pseudo-denormals share 2^(EMIN-63)). */
export function lsbExponent(a: F80): number {
  return a.exp === 0 ? DENORMAL_LSB : a.exp - BIAS - 63;
}

// ---- rounding -----------------------------------------------------------------------------

/** A destination format: significand bits and the unbiased exponent range of normal numbers. */
export interface Format { readonly prec: number; readonly emin: number; readonly emax: number }
export const SINGLE: Format = { prec: 24, emin: -126, emax: 127 };
export const DOUBLE: Format = { prec: 53, emin: -1022, emax: 1023 };
const EXTENDED_FORMATS: Record<number, Format> = {
  24: { prec: 24, emin: EMIN, emax: EMAX },
  53: { prec: 53, emin: EMIN, emax: EMAX },
  64: { prec: 64, emin: EMIN, emax: EMAX },
};
export const EXTENDED: Format = EXTENDED_FORMATS[64]!;
/** The register format under precision control: extended exponent range, PC significand bits. */
export function extendedFormat(env: FpEnv): Format { return EXTENDED_FORMATS[env.precision]!; }

/** A rounded value: m * 2^e with m < 2^prec (m = 0 for zero), or an infinity. */
export interface Rounded { sign: number; m: bigint; e: number; inf: boolean }

interface Step { q: bigint; inexact: boolean; up: boolean }

/** Rounds m * 2^e (+ a nonzero amount below, if sticky) to a multiple of 2^lsb. */
function roundAt(m: bigint, e: number, sticky: boolean, sign: number, rc: number, lsb: number): Step {
  const shift = lsb - e;
  let q: bigint;
  let rem: bigint;
  let half: bigint;
  if (shift <= 0) {
    q = m << BigInt(-shift);
    if (!sticky) return { q, inexact: false, up: false };
    rem = 0n; half = 1n; // sticky alone is strictly below half
  } else {
    const sh = BigInt(shift);
    q = m >> sh;
    rem = m & ((1n << sh) - 1n);
    half = 1n << (sh - 1n);
    if (rem === 0n && !sticky) return { q, inexact: false, up: false };
  }
  let up: boolean;
  switch (rc) {
    case Rc.Nearest: up = rem > half || (rem === half && (sticky || (q & 1n) === 1n)); break;
    case Rc.Down: up = sign === 1; break;
    case Rc.Up: up = sign === 0; break;
    default: up = false;
  }
  return { q: up ? q + 1n : q, inexact: true, up };
}

/**
 * Rounds the exact value (-1)^sign * (m * 2^e + sticky) into `fmt` with env's rounding
 * control, setting PE, UE (tiny after rounding and inexact), OE and the round-up flag.
 */
export function roundToFormat(sign: number, m: bigint, e: number, sticky: boolean, env: FpEnv, fmt: Format): Rounded {
  if (m === 0n && !sticky) return { sign, m: 0n, e: 0, inf: false };
  if (m === 0n) { m = 1n; e -= 2; sticky = false; } // only ever "something tiny": stand in one bit
  const bl = bitLength(m);
  const msb = e + bl - 1;
  const prec = fmt.prec;
  let tiny = false;
  if (msb < fmt.emin) {
    // Tininess after rounding to `prec` bits with an unbounded exponent (SDM 4.9.1.5).
    const lsbU = msb - (prec - 1);
    const u = roundAt(m, e, sticky, sign, env.rc, lsbU);
    tiny = lsbU + bitLength(u.q) - 1 < fmt.emin;
  }
  let lsb = Math.max(msb, fmt.emin) - (prec - 1);
  const r = roundAt(m, e, sticky, sign, env.rc, lsb);
  let q = r.q;
  env.roundedUp = r.up;
  if (r.inexact) {
    env.flags |= Exc.PE;
    if (tiny) env.flags |= Exc.UE;
  }
  if (q >> BigInt(prec) !== 0n) { q >>= 1n; lsb += 1; }
  if (q !== 0n && lsb + bitLength(q) - 1 > fmt.emax) {
    env.flags |= Exc.OE | Exc.PE;
    const rc = env.rc;
    const toInfinity = rc === Rc.Nearest || (rc === Rc.Up && sign === 0) || (rc === Rc.Down && sign === 1);
    env.roundedUp = toInfinity;
    if (toInfinity) return { sign, m: 0n, e: 0, inf: true };
    return { sign, m: (1n << BigInt(prec)) - 1n, e: fmt.emax - prec + 1, inf: false };
  }
  return { sign, m: q, e: lsb, inf: false };
}

/** Packs a value already representable in the 80-bit format (no rounding happens). */
export function pack80(r: Rounded): F80 {
  if (r.inf) return infinity(r.sign);
  if (r.m === 0n) return zero(r.sign);
  const bl = bitLength(r.m);
  const msb = r.e + bl - 1;
  if (msb >= EMIN) return { sign: r.sign, exp: msb + BIAS, sig: r.m << BigInt(64 - bl) };
  return { sign: r.sign, exp: 0, sig: r.m << BigInt(r.e - DENORMAL_LSB) };
}

/** Rounds the exact value to the register format under PC and RC. */
export function roundExtended(sign: number, m: bigint, e: number, sticky: boolean, env: FpEnv): F80 {
  return pack80(roundToFormat(sign, m, e, sticky, env, extendedFormat(env)));
}

/** Rounds the exact value to full 64-bit precision (operations PC does not affect). */
export function roundFull(sign: number, m: bigint, e: number, sticky: boolean, env: FpEnv): F80 {
  return pack80(roundToFormat(sign, m, e, sticky, env, EXTENDED));
}

// ---- NaNs and operand checks --------------------------------------------------------------

export function quiet(a: F80): F80 { return { sign: a.sign, exp: a.exp, sig: a.sig | QUIET_BIT }; }

/** The invalid-operation masked response. */
export function invalid(env: FpEnv): F80 { env.flags |= Exc.IE; return INDEFINITE; }

/** SDM table 4-7 for x87: an SNaN raises IE; the QNaN wins over an SNaN; two of a kind: larger significand. */
export function propagateNaN(a: F80, b: F80, env: FpEnv): F80 {
  const ca = classify(a);
  const cb = classify(b);
  const aNaN = isNaNClass(ca);
  const bNaN = isNaNClass(cb);
  if (ca === FpClass.SNaN || cb === FpClass.SNaN) env.flags |= Exc.IE;
  if (!aNaN) return quiet(b);
  if (!bNaN) return quiet(a);
  if (ca !== cb) return ca === FpClass.QNaN ? a : b;
  const qa = a.sig | QUIET_BIT;
  const qb = b.sig | QUIET_BIT;
  if (qa !== qb) return qa > qb ? quiet(a) : quiet(b);
  return a.sign <= b.sign ? quiet(a) : quiet(b);
}

/** One-operand NaN rule: SNaN raises IE and is quieted. */
export function propagateNaN1(a: F80, env: FpEnv): F80 {
  if (classify(a) === FpClass.SNaN) env.flags |= Exc.IE;
  return quiet(a);
}

/**
 * Shared prelude of two-operand arithmetic: unsupported operands and NaNs decide the
 * result; otherwise a denormal operand raises DE and the caller goes on.
 */
function prelude2(a: F80, ca: FpClass, b: F80, cb: FpClass, env: FpEnv, denormalCounts = true): F80 | undefined {
  if (ca === FpClass.Unsupported || cb === FpClass.Unsupported) return invalid(env);
  if (isNaNClass(ca) || isNaNClass(cb)) return propagateNaN(a, b, env);
  if (denormalCounts && (ca === FpClass.Denormal || cb === FpClass.Denormal)) env.flags |= Exc.DE;
  return undefined;
}

function prelude1(a: F80, ca: FpClass, env: FpEnv, denormalCounts = true): F80 | undefined {
  if (ca === FpClass.Unsupported) return invalid(env);
  if (isNaNClass(ca)) return propagateNaN1(a, env);
  if (denormalCounts && ca === FpClass.Denormal) env.flags |= Exc.DE;
  return undefined;
}

// ---- arithmetic ---------------------------------------------------------------------------

/** Largest exponent gap kept exactly in add/sub; a farther operand only matters as a sticky bit. */
const ADD_GAP = 140;

export function add(a: F80, b: F80, env: FpEnv): F80 { return addSigned(a, b, 0, env); }
export function sub(a: F80, b: F80, env: FpEnv): F80 { return addSigned(a, b, 1, env); }

function addSigned(a: F80, b: F80, negateB: number, env: FpEnv): F80 {
  const ca = classify(a);
  const cb = classify(b);
  const special = prelude2(a, ca, b, cb, env);
  if (special) return special;
  const signB = b.sign ^ negateB;
  if (ca === FpClass.Infinity || cb === FpClass.Infinity) {
    if (ca === FpClass.Infinity && cb === FpClass.Infinity && a.sign !== signB) return invalid(env);
    return ca === FpClass.Infinity ? a : infinity(signB);
  }
  if (ca === FpClass.Zero && cb === FpClass.Zero) {
    return zero(a.sign === signB ? a.sign : env.rc === Rc.Down ? 1 : 0);
  }
  let ma = a.sig; let ea = lsbExponent(a);
  let mb = b.sig; let eb = lsbExponent(b);
  if (ma !== 0n && mb !== 0n) {
    if (ea - eb > ADD_GAP) { mb = 1n; eb = ea - ADD_GAP; }
    else if (eb - ea > ADD_GAP) { ma = 1n; ea = eb - ADD_GAP; }
  }
  const e = Math.min(ea, eb);
  const va = ma << BigInt(ea - e);
  const vb = mb << BigInt(eb - e);
  const sum = (a.sign ? -va : va) + (signB ? -vb : vb);
  if (sum === 0n) return zero(env.rc === Rc.Down ? 1 : 0);
  return sum < 0n ? roundExtended(1, -sum, e, false, env) : roundExtended(0, sum, e, false, env);
}

export function mul(a: F80, b: F80, env: FpEnv): F80 {
  const ca = classify(a);
  const cb = classify(b);
  const special = prelude2(a, ca, b, cb, env);
  if (special) return special;
  const sign = a.sign ^ b.sign;
  if (ca === FpClass.Infinity || cb === FpClass.Infinity) {
    if (ca === FpClass.Zero || cb === FpClass.Zero) return invalid(env);
    return infinity(sign);
  }
  if (ca === FpClass.Zero || cb === FpClass.Zero) return zero(sign);
  return roundExtended(sign, a.sig * b.sig, lsbExponent(a) + lsbExponent(b), false, env);
}

export function div(a: F80, b: F80, env: FpEnv): F80 {
  const ca = classify(a);
  const cb = classify(b);
  // A zero divisor takes priority over a denormal dividend (checked on hardware).
  const special = prelude2(a, ca, b, cb, env, cb !== FpClass.Zero);
  if (special) return special;
  const sign = a.sign ^ b.sign;
  if (ca === FpClass.Infinity) return cb === FpClass.Infinity ? invalid(env) : infinity(sign);
  if (cb === FpClass.Infinity) return zero(sign);
  if (cb === FpClass.Zero) {
    if (ca === FpClass.Zero) return invalid(env);
    env.flags |= Exc.ZE;
    return infinity(sign);
  }
  if (ca === FpClass.Zero) return zero(sign);
  const shift = Math.max(0, bitLength(b.sig) - bitLength(a.sig) + 68);
  const num = a.sig << BigInt(shift);
  const q = num / b.sig;
  const sticky = q * b.sig !== num;
  return roundExtended(sign, q, lsbExponent(a) - lsbExponent(b) - shift, sticky, env);
}

export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function sqrt(a: F80, env: FpEnv): F80 {
  const ca = classify(a);
  // The square root of a negative number is invalid before its operand is a denormal.
  const special = prelude1(a, ca, env, a.sign === 0);
  if (special) return special;
  if (ca === FpClass.Zero) return a;
  if (a.sign === 1) return invalid(env);
  if (ca === FpClass.Infinity) return a;
  let m = a.sig;
  let e = lsbExponent(a);
  if (e & 1) { m <<= 1n; e -= 1; }
  const k = Math.max(0, Math.ceil((140 - bitLength(m)) / 2));
  const n = m << BigInt(2 * k);
  const root = isqrt(n);
  return roundExtended(0, root, e / 2 - k, root * root !== n, env);
}

/** FRNDINT: round to an integral value with RC (PC does not apply). */
export function roundToIntegral(a: F80, env: FpEnv): F80 {
  const ca = classify(a);
  const special = prelude1(a, ca, env);
  if (special) return special;
  if (ca === FpClass.Zero || ca === FpClass.Infinity) return a;
  const e = lsbExponent(a);
  if (e >= 0) return a;
  const r = roundAt(a.sig, e, false, a.sign, env.rc, 0);
  env.roundedUp = r.up;
  if (r.inexact) env.flags |= Exc.PE;
  if (r.q === 0n) return zero(a.sign);
  return pack80({ sign: a.sign, m: r.q, e: 0, inf: false });
}

// ---- comparison ---------------------------------------------------------------------------

export const enum Order { Less = 0, Equal = 1, Greater = 2, Unordered = 3 }

/** Compares magnitudes of two non-NaN, supported values. */
function compareMagnitude(a: F80, ca: FpClass, b: F80, cb: FpClass): number {
  const ia = ca === FpClass.Infinity;
  const ib = cb === FpClass.Infinity;
  if (ia || ib) return ia && ib ? 0 : ia ? 1 : -1;
  if (ca === FpClass.Zero || cb === FpClass.Zero) return ca === cb ? 0 : ca === FpClass.Zero ? -1 : 1;
  const ma = a.sig; const ea = lsbExponent(a);
  const mb = b.sig; const eb = lsbExponent(b);
  const xa = ea + bitLength(ma);
  const xb = eb + bitLength(mb);
  if (xa !== xb) return xa < xb ? -1 : 1;
  const e = Math.min(ea, eb);
  const va = ma << BigInt(ea - e);
  const vb = mb << BigInt(eb - e);
  return va === vb ? 0 : va < vb ? -1 : 1;
}

/**
 * Compares a with b. `quietNaNsAllowed` (FUCOM family) raises IE only for SNaNs;
 * the ordered compares (FCOM, FCOMI, FICOM, FTST) raise it for any NaN.
 */
export function compare(a: F80, b: F80, quietNaNsAllowed: boolean, env: FpEnv): Order {
  const ca = classify(a);
  const cb = classify(b);
  if (ca === FpClass.Unsupported || cb === FpClass.Unsupported) { env.flags |= Exc.IE; return Order.Unordered; }
  if (isNaNClass(ca) || isNaNClass(cb)) {
    if (!quietNaNsAllowed || ca === FpClass.SNaN || cb === FpClass.SNaN) env.flags |= Exc.IE;
    return Order.Unordered;
  }
  if (ca === FpClass.Denormal || cb === FpClass.Denormal) env.flags |= Exc.DE;
  const bothZero = ca === FpClass.Zero && cb === FpClass.Zero;
  if (bothZero) return Order.Equal;
  const sa = ca === FpClass.Zero ? b.sign ^ 1 : a.sign;
  const sb = cb === FpClass.Zero ? a.sign ^ 1 : b.sign;
  if (sa !== sb) return sa ? Order.Less : Order.Greater;
  const mag = compareMagnitude(a, ca, b, cb);
  const c = sa ? -mag : mag;
  return c < 0 ? Order.Less : c > 0 ? Order.Greater : Order.Equal;
}

// ---- conversions --------------------------------------------------------------------------

/** Exact conversion of a signed integer (|v| <= 2^64). */
export function fromInteger(v: bigint): F80 {
  if (v === 0n) return zero(0);
  const sign = v < 0n ? 1 : 0;
  return pack80({ sign, m: sign ? -v : v, e: 0, inf: false });
}

/**
 * Converts to a signed integer of `bits` bits with RC (or truncation for FISTTP).
 * Invalid or out-of-range operands give the integer indefinite (the minimum value).
 */
export function toInteger(a: F80, bits: number, truncate: boolean, env: FpEnv): bigint {
  const indefinite = -(1n << BigInt(bits - 1));
  const ca = classify(a);
  if (ca === FpClass.Unsupported || ca === FpClass.Infinity || isNaNClass(ca)) { env.flags |= Exc.IE; return indefinite; }
  if (ca === FpClass.Zero) return 0n;
  // Stores never report a denormal operand (checked on hardware).
  const e = lsbExponent(a);
  let q: bigint;
  let inexact = false;
  let up = false;
  if (e >= 0) {
    if (e > bits) { env.flags |= Exc.IE; return indefinite; }
    q = a.sig << BigInt(e);
  } else {
    const r = roundAt(a.sig, e, false, a.sign, truncate ? Rc.Zero : env.rc, 0);
    q = r.q; inexact = r.inexact; up = r.up;
  }
  const v = a.sign ? -q : q;
  if (v < indefinite || v > -indefinite - 1n) { env.flags |= Exc.IE; return indefinite; }
  if (inexact) env.flags |= Exc.PE;
  env.roundedUp = up;
  return v;
}

/**
 * Widens IEEE single or double bits to 80 bits exactly. No flags: an SNaN stays
 * signaling (the caller decides whether the load raises IE) and `denormal` tells
 * whether DE applies.
 */
export function widen(bits: bigint, fmt: Format): { value: F80; denormal: boolean } {
  const fracBits = fmt.prec - 1;
  const expBits = fmt === SINGLE ? 8 : 11;
  const sign = Number(bits >> BigInt(fracBits + expBits)) & 1;
  const ex = Number((bits >> BigInt(fracBits)) & ((1n << BigInt(expBits)) - 1n));
  const frac = bits & ((1n << BigInt(fracBits)) - 1n);
  const maxExp = (1 << expBits) - 1;
  const bias = (1 << (expBits - 1)) - 1;
  if (ex === maxExp) {
    return { value: { sign, exp: 0x7fff, sig: INT_BIT | (frac << BigInt(63 - fracBits)) }, denormal: false };
  }
  if (ex === 0) {
    if (frac === 0n) return { value: zero(sign), denormal: false };
    return { value: pack80({ sign, m: frac, e: 1 - bias - fracBits, inf: false }), denormal: true };
  }
  return { value: { sign, exp: ex - bias + BIAS, sig: INT_BIT | (frac << BigInt(63 - fracBits)) }, denormal: false };
}

/** FLD m32/m64: widen, quieting an SNaN with IE and flagging a denormal source with DE. */
export function loadReal(bits: bigint, fmt: Format, env: FpEnv): F80 {
  const { value, denormal } = widen(bits, fmt);
  if (denormal) env.flags |= Exc.DE;
  if (classify(value) === FpClass.SNaN) { env.flags |= Exc.IE; return quiet(value); }
  return value;
}

/** FST m32/m64: rounds to single or double with RC, returning the IEEE bits. */
export function narrow(a: F80, fmt: Format, env: FpEnv): bigint {
  const fracBits = fmt.prec - 1;
  const expBits = fmt === SINGLE ? 8 : 11;
  const bias = (1 << (expBits - 1)) - 1;
  const maxExp = BigInt((1 << expBits) - 1);
  const signShift = BigInt(fracBits + expBits);
  const ca = classify(a);
  const signBits = BigInt(a.sign) << signShift;
  const nan = (sig: bigint) => signBits | (maxExp << BigInt(fracBits)) | ((sig & FRACTION_MASK) >> BigInt(63 - fracBits));
  if (ca === FpClass.Unsupported) { env.flags |= Exc.IE; return nan(INDEFINITE.sig) | (1n << signShift); }
  if (isNaNClass(ca)) {
    if (ca === FpClass.SNaN) env.flags |= Exc.IE;
    return nan(a.sig | QUIET_BIT);
  }
  if (ca === FpClass.Infinity) return signBits | (maxExp << BigInt(fracBits));
  if (ca === FpClass.Zero) return signBits;
  const r = roundToFormat(a.sign, a.sig, lsbExponent(a), false, env, fmt);
  if (r.inf) return signBits | (maxExp << BigInt(fracBits));
  if (r.m === 0n) return signBits;
  const bl = bitLength(r.m);
  const msb = r.e + bl - 1;
  if (msb >= fmt.emin) {
    const frac = (r.m << BigInt(fmt.prec - bl)) & ((1n << BigInt(fracBits)) - 1n);
    return signBits | (BigInt(msb + bias) << BigInt(fracBits)) | frac;
  }
  return signBits | (r.m << BigInt(r.e - (fmt.emin - fracBits)));
}

// ---- byte images --------------------------------------------------------------------------

export function f80FromParts(lo: number, hi: number, signExp: number): F80 {
  return { sign: (signExp >> 15) & 1, exp: signExp & 0x7fff, sig: (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0) };
}

export function f80SignExp(a: F80): number { return (a.sign << 15) | a.exp; }
export function f80Lo(a: F80): number { return Number(a.sig & 0xffffffffn); }
export function f80Hi(a: F80): number { return Number(a.sig >> 32n); }

export function f80FromBytes(b: Uint8Array, off = 0): F80 {
  let sig = 0n;
  for (let i = 7; i >= 0; i--) sig = (sig << 8n) | BigInt(b[off + i]!);
  const se = b[off + 8]! | (b[off + 9]! << 8);
  return { sign: se >> 15, exp: se & 0x7fff, sig };
}

export function f80ToBytes(a: F80, out: Uint8Array = new Uint8Array(10), off = 0): Uint8Array {
  let s = a.sig;
  for (let i = 0; i < 8; i++) { out[off + i] = Number(s & 0xffn); s >>= 8n; }
  const se = f80SignExp(a);
  out[off + 8] = se & 0xff;
  out[off + 9] = se >> 8;
  return out;
}

export function f80Equal(a: F80, b: F80): boolean { return a.sign === b.sign && a.exp === b.exp && a.sig === b.sig; }

export function f80Hex(a: F80): string {
  return f80SignExp(a).toString(16).padStart(4, '0') + ':' + a.sig.toString(16).padStart(16, '0');
}
