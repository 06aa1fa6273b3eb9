// msvcrt math.h exports: guest-facing wrappers around the engines in ./format/math.ts.
// Arguments and results travel as raw IEEE bits so NaN signs and payloads survive:
// a NaN argument comes back quieted, an invalid operation gives the x86 default NaN
// (-1.#IND), and errno is set as msvcrt sets it.

import { fn } from '../../src/abi/api.js';
import type { Process } from '../process.js';
import { crtMath, bitsToDouble, doubleToBits, INDEFINITE_NAN_BITS } from './format/index.js';
import type { MathResult } from './format/math.js';
import { crt } from './state.js';

const QUIET = 0x0008000000000000n;

function resultBits(p: Process, r: MathResult): bigint {
  if (r.errno) crt(p).errno = r.errno;
  if (Number.isNaN(r.value)) return INDEFINITE_NAN_BITS; // invalid operation: the x86 default NaN
  return doubleToBits(r.value);
}

const isNaNBits = (b: bigint): boolean => (b & 0x7ff0000000000000n) === 0x7ff0000000000000n && (b & 0xfffffffffffffn) !== 0n;

function unary(f: (x: number) => MathResult) {
  return fn(['f64bits'], 'f64bits', (p, x) => (isNaNBits(x) ? x | QUIET : resultBits(p, f(bitsToDouble(x)))));
}

function binary(f: (x: number, y: number) => MathResult) {
  return fn(['f64bits', 'f64bits'], 'f64bits', (p, x, y) => {
    if (isNaNBits(x)) return x | QUIET;
    if (isNaNBits(y)) return y | QUIET;
    return resultBits(p, f(bitsToDouble(x), bitsToDouble(y)));
  });
}

export const mathFunctions = {
  sqrt: unary(crtMath.sqrt), sin: unary(crtMath.sin), cos: unary(crtMath.cos), tan: unary(crtMath.tan),
  asin: unary(crtMath.asin), acos: unary(crtMath.acos), atan: unary(crtMath.atan), atan2: binary(crtMath.atan2),
  sinh: unary(crtMath.sinh), cosh: unary(crtMath.cosh), tanh: unary(crtMath.tanh),
  exp: unary(crtMath.exp), log: unary(crtMath.log), log10: unary(crtMath.log10), pow: binary(crtMath.pow),
  fabs: fn(['f64bits'], 'f64bits', (_p, x) => x & 0x7fffffffffffffffn),
  floor: unary(crtMath.floor), ceil: unary(crtMath.ceil), fmod: binary(crtMath.fmod),
  _hypot: binary(crtMath.hypot), hypot: binary(crtMath.hypot), _logb: unary(crtMath.logb),
  modf: fn(['f64bits', 'ptr'], 'f64bits', (p, x, ip) => {
    if (isNaNBits(x)) { p.mem.write64(ip, x | QUIET); return x | QUIET; }
    const r = crtMath.modf(bitsToDouble(x));
    p.mem.write64(ip, doubleToBits(r.integer));
    return doubleToBits(r.fraction);
  }),
  frexp: fn(['f64bits', 'ptr'], 'f64bits', (p, x, ep) => {
    if (isNaNBits(x)) { p.mem.write32(ep, 0); return x | QUIET; }
    const r = crtMath.frexp(bitsToDouble(x));
    p.mem.write32(ep, r.exponent >>> 0);
    return doubleToBits(r.mantissa);
  }),
  ldexp: fn(['f64bits', 'i32'], 'f64bits', (p, x, n) => (isNaNBits(x) ? x | QUIET : resultBits(p, crtMath.ldexp(bitsToDouble(x), n)))),
  _copysign: fn(['f64bits', 'f64bits'], 'f64bits', (_p, x, y) => (x & 0x7fffffffffffffffn) | (y & 0x8000000000000000n)),
  _chgsign: fn(['f64bits'], 'f64bits', (_p, x) => x ^ 0x8000000000000000n),
  _finite: fn(['f64bits'], 'i32', (_p, x) => ((x & 0x7ff0000000000000n) !== 0x7ff0000000000000n ? 1 : 0)),
  _isnan: fn(['f64bits'], 'i32', (_p, x) => (isNaNBits(x) ? 1 : 0)),
  _fpclass: fn(['f64bits'], 'i32', (_p, x) => crtMath.fpclass(x)),
};
