// RCPPS/RCPSS/RSQRTPS/RSQRTSS: hardware returns approximations (relative error at most
// 1.5*2^-12) from undocumented, vendor-specific tables. wexe returns the correctly
// rounded 1/x and 1/sqrt(x) instead, which is inside that bound; tests compare these
// lanes against the CPU with the bound, and the special cases exactly.
//
// Special cases as on hardware: denormal inputs count as zero (-> signed infinity),
// tiny results are flushed to signed zero, NaNs are quieted, RSQRT of a negative
// number is the default NaN. These instructions never touch MXCSR's flags.

import type { Handler, HandlerTable } from '../machine.js';
import { xmmOp } from './forms.js';
import { DEFAULT_NAN32, isNaN32, quiet32 } from './lanes.js';
import type { Vec } from './vec.js';

const MIN_NORMAL32 = 2 ** -126;

function rcp(b: Vec, i: number, out: Vec): void {
  const bits = b.u32[i]!;
  if (isNaN32(bits)) { out.u32[i] = quiet32(bits); return; }
  const x = b.f32[i]!;
  if (Math.abs(x) < MIN_NORMAL32) { out.f32[i] = bits >>> 31 ? -Infinity : Infinity; return; }
  const r = Math.fround(1 / x);
  out.f32[i] = Math.abs(r) < MIN_NORMAL32 ? (x < 0 ? -0 : 0) : r;
}

function rsqrt(b: Vec, i: number, out: Vec): void {
  const bits = b.u32[i]!;
  if (isNaN32(bits)) { out.u32[i] = quiet32(bits); return; }
  const x = b.f32[i]!;
  if (Math.abs(x) < MIN_NORMAL32) { out.f32[i] = bits >>> 31 ? -Infinity : Infinity; return; }
  if (x < 0) { out.u32[i] = DEFAULT_NAN32; return; }
  out.f32[i] = Math.fround(1 / Math.sqrt(x));
}

const packed = (f: (b: Vec, i: number, out: Vec) => void): Handler => xmmOp((a, b) => { for (let i = 0; i < 4; i++) f(b, i, a); return a; });
const scalar = (f: (b: Vec, i: number, out: Vec) => void): Handler => xmmOp((a, b) => { f(b, 0, a); return a; });

export const approxHandlers: HandlerTable = {
  Rcpps: packed(rcp), Rcpss: scalar(rcp), Rsqrtps: packed(rsqrt), Rsqrtss: scalar(rsqrt),
};

/** Mnemonics whose results are approximations (compare with approxMatches, not bit-exact). */
export const APPROXIMATE = new Set(['Rcpps', 'Rcpss', 'Rsqrtps', 'Rsqrtss']);

/** True when `actual` (hardware) is within the architectural bound of our `expected` lane, or both are the same special value. */
export function approxMatches(expectedBits: number, actualBits: number): boolean {
  if (expectedBits === actualBits) return true;
  const f = new Float32Array(new Uint32Array([expectedBits, actualBits]).buffer);
  const e = f[0]!, a = f[1]!;
  if (!Number.isFinite(e) || !Number.isFinite(a) || e === 0 || a === 0) return false;
  // Both are within 1.5*2^-12 of the true value and ours is within half an ulp of it.
  return Math.abs(a - e) <= (1.5 * 2 ** -12 + 2 ** -24) * Math.abs(e);
}
