// Lane drivers for floating-point SSE instructions: NaN propagation, DAZ, the
// denormal-operand flag, and writing results (NaNs always as explicit bit patterns,
// because a JS number cannot be trusted to carry a NaN's sign and payload).
//
// x86 NaN rules (SDM vol. 1, 4.8.3.5 and table 4-7): if the first source is a NaN the
// result is that NaN made quiet, else the second source's NaN made quiet; an SNaN
// operand raises IE; an invalid operation on non-NaN inputs gives the default NaN
// (negative QNaN, 0xFFC00000 / 0xFFF8000000000000).

import { env, Mx } from './mxcsr.js';
import type { Vec } from './vec.js';

export const DEFAULT_NAN32 = 0xffc00000;
export const DEFAULT_NAN64_HI = 0xfff80000;
const QUIET32 = 0x00400000;
const QUIET64_HI = 0x00080000;
const MIN_NORMAL32 = 2 ** -126;
const MIN_NORMAL64 = 2 ** -1022;

export function isNaN32(bits: number): boolean { return (bits & 0x7fffffff) > 0x7f800000; }
export function isSNaN32(bits: number): boolean { return isNaN32(bits) && (bits & QUIET32) === 0; }
export function isNaN64(lo: number, hi: number): boolean {
  const h = hi & 0x7fffffff;
  return h > 0x7ff00000 || (h === 0x7ff00000 && lo !== 0);
}
export function isSNaN64(lo: number, hi: number): boolean { return isNaN64(lo, hi) && (hi & QUIET64_HI) === 0; }

/** Set by input32/input64 when an input was denormal (and DAZ is off). */
let denormalSeen = false;

/** Applies DAZ to an input, or notes a denormal input for the DE flag. */
export function input32(x: number): number {
  if (x !== 0 && x < MIN_NORMAL32 && x > -MIN_NORMAL32) {
    if (env.daz) return x < 0 ? -0 : 0;
    denormalSeen = true;
  }
  return x;
}

export function input64(x: number): number {
  if (x !== 0 && x < MIN_NORMAL64 && x > -MIN_NORMAL64) {
    if (env.daz) return x < 0 ? -0 : 0;
    denormalSeen = true;
  }
  return x;
}

export type Binary = (a: number, b: number) => number;
export type Unary = (a: number) => number;

/** Starts one lane's operation: its flags are collected apart so DE can be judged. */
function beginLane(): number {
  const before = env.flags;
  env.flags = 0;
  return before;
}

/** Adds DE when an input was denormal, unless the operation was invalid or a division by zero (those take priority). */
function endLane(before: number): void {
  const raised = env.flags;
  env.flags = before | raised | (denormalSeen && (raised & (Mx.IE | Mx.ZE)) === 0 ? Mx.DE : 0);
}

export function writeF32(out: Vec, i: number, r: number): void {
  if (r !== r) out.u32[i] = DEFAULT_NAN32; else out.f32[i] = r;
}

export function writeF64(out: Vec, i: number, r: number): void {
  if (r !== r) { out.u32[2 * i] = 0; out.u32[2 * i + 1] = DEFAULT_NAN64_HI; } else out.f64[i] = r;
}

/** out.f32[io] = a.f32[ia] op b.f32[ib], with NaN propagation and flags. */
export function binary32(op: Binary, a: Vec, ia: number, b: Vec, ib: number, out: Vec, io: number): void {
  const x = a.u32[ia]!;
  const y = b.u32[ib]!;
  if (isNaN32(x) || isNaN32(y)) {
    if (isSNaN32(x) || isSNaN32(y)) env.flags |= Mx.IE;
    out.u32[io] = (isNaN32(x) ? x : y) | QUIET32;
    return;
  }
  denormalSeen = false;
  const fx = input32(a.f32[ia]!);
  const fy = input32(b.f32[ib]!);
  const saved = beginLane();
  const r = op(fx, fy);
  endLane(saved);
  writeF32(out, io, r);
}

export function binary64(op: Binary, a: Vec, ia: number, b: Vec, ib: number, out: Vec, io: number): void {
  const xlo = a.u32[2 * ia]!, xhi = a.u32[2 * ia + 1]!;
  const ylo = b.u32[2 * ib]!, yhi = b.u32[2 * ib + 1]!;
  const xn = isNaN64(xlo, xhi);
  if (xn || isNaN64(ylo, yhi)) {
    if (isSNaN64(xlo, xhi) || isSNaN64(ylo, yhi)) env.flags |= Mx.IE;
    out.u32[2 * io] = xn ? xlo : ylo;
    out.u32[2 * io + 1] = (xn ? xhi : yhi) | QUIET64_HI;
    return;
  }
  denormalSeen = false;
  const fx = input64(a.f64[ia]!);
  const fy = input64(b.f64[ib]!);
  const saved = beginLane();
  const r = op(fx, fy);
  endLane(saved);
  writeF64(out, io, r);
}

export function unary32(op: Unary, a: Vec, ia: number, out: Vec, io: number): void {
  const x = a.u32[ia]!;
  if (isNaN32(x)) {
    if (isSNaN32(x)) env.flags |= Mx.IE;
    out.u32[io] = x | QUIET32;
    return;
  }
  denormalSeen = false;
  const fx = input32(a.f32[ia]!);
  const saved = beginLane();
  const r = op(fx);
  endLane(saved);
  writeF32(out, io, r);
}

export function unary64(op: Unary, a: Vec, ia: number, out: Vec, io: number): void {
  const xlo = a.u32[2 * ia]!, xhi = a.u32[2 * ia + 1]!;
  if (isNaN64(xlo, xhi)) {
    if (isSNaN64(xlo, xhi)) env.flags |= Mx.IE;
    out.u32[2 * io] = xlo;
    out.u32[2 * io + 1] = xhi | QUIET64_HI;
    return;
  }
  denormalSeen = false;
  const fx = input64(a.f64[ia]!);
  const saved = beginLane();
  const r = op(fx);
  endLane(saved);
  writeF64(out, io, r);
}

/**
 * MINPS/MAXPS rule: if either input is a NaN (IE, even for QNaN) or both are zeros,
 * the second source is returned (as read: after DAZ); otherwise the smaller/larger.
 */
export function minMax32(isMax: boolean, a: Vec, b: Vec, out: Vec, i: number): void {
  const x = a.u32[i]!;
  const y = b.u32[i]!;
  if (isNaN32(x) || isNaN32(y)) {
    // The second source is returned as read, which includes DAZ.
    env.flags |= Mx.IE;
    if (env.daz && !isNaN32(y) && (y & 0x7f800000) === 0) out.u32[i] = y & 0x80000000; else out.u32[i] = y;
    return;
  }
  denormalSeen = false;
  const fx = input32(a.f32[i]!);
  const fy = input32(b.f32[i]!);
  if (denormalSeen) env.flags |= Mx.DE;
  const pickFirst = isMax ? fx > fy : fx < fy;
  if (pickFirst) { if (fx === a.f32[i]) out.u32[i] = x; else out.f32[i] = fx; }
  else if (fy === b.f32[i]) out.u32[i] = y; else out.f32[i] = fy;
}

export function minMax64(isMax: boolean, a: Vec, b: Vec, out: Vec, i: number): void {
  const xlo = a.u32[2 * i]!, xhi = a.u32[2 * i + 1]!;
  const ylo = b.u32[2 * i]!, yhi = b.u32[2 * i + 1]!;
  if (isNaN64(xlo, xhi) || isNaN64(ylo, yhi)) {
    env.flags |= Mx.IE;
    const flush = env.daz && !isNaN64(ylo, yhi) && (yhi & 0x7ff00000) === 0;
    out.u32[2 * i] = flush ? 0 : ylo; out.u32[2 * i + 1] = flush ? yhi & 0x80000000 : yhi;
    return;
  }
  denormalSeen = false;
  const fx = input64(a.f64[i]!);
  const fy = input64(b.f64[i]!);
  if (denormalSeen) env.flags |= Mx.DE;
  const pickFirst = isMax ? fx > fy : fx < fy;
  const v = pickFirst ? fx : fy;
  if (Object.is(v, pickFirst ? a.f64[i] : b.f64[i])) {
    out.u32[2 * i] = pickFirst ? xlo : ylo; out.u32[2 * i + 1] = pickFirst ? xhi : yhi;
  } else out.f64[i] = v;
}

/** Compare predicates 0..7 of CMPPS/CMPSS/CMPPD/CMPSD; 1, 2, 5, 6 signal on QNaN too. */
function predicate(p: number, unordered: boolean, x: number, y: number): boolean {
  switch (p & 7) {
    case 0: return !unordered && x === y;
    case 1: return !unordered && x < y;
    case 2: return !unordered && x <= y;
    case 3: return unordered;
    case 4: return unordered || x !== y;
    case 5: return unordered || !(x < y);
    case 6: return unordered || !(x <= y);
    default: return !unordered;
  }
}

function signalsOnQNaN(p: number): boolean { const q = p & 3; return q === 1 || q === 2; }

/** Writes all-ones or zero to lane i (32-bit) per predicate p. */
export function compare32(p: number, a: Vec, b: Vec, out: Vec, i: number): void {
  const x = a.u32[i]!;
  const y = b.u32[i]!;
  const unordered = isNaN32(x) || isNaN32(y);
  let fx = 0, fy = 0;
  if (unordered) {
    if (isSNaN32(x) || isSNaN32(y) || signalsOnQNaN(p)) env.flags |= Mx.IE;
  } else {
    denormalSeen = false;
    fx = input32(a.f32[i]!);
    fy = input32(b.f32[i]!);
    if (denormalSeen) env.flags |= Mx.DE;
  }
  out.u32[i] = predicate(p, unordered, fx, fy) ? 0xffffffff : 0;
}

export function compare64(p: number, a: Vec, b: Vec, out: Vec, i: number): void {
  const xlo = a.u32[2 * i]!, xhi = a.u32[2 * i + 1]!;
  const ylo = b.u32[2 * i]!, yhi = b.u32[2 * i + 1]!;
  const unordered = isNaN64(xlo, xhi) || isNaN64(ylo, yhi);
  let fx = 0, fy = 0;
  if (unordered) {
    if (isSNaN64(xlo, xhi) || isSNaN64(ylo, yhi) || signalsOnQNaN(p)) env.flags |= Mx.IE;
  } else {
    denormalSeen = false;
    fx = input64(a.f64[i]!);
    fy = input64(b.f64[i]!);
    if (denormalSeen) env.flags |= Mx.DE;
  }
  const r = predicate(p, unordered, fx, fy) ? 0xffffffff : 0;
  out.u32[2 * i] = r; out.u32[2 * i + 1] = r;
}

/**
 * COMISS/UCOMISS/COMISD/UCOMISD ordering of lane 0: -1 less, 0 equal, 1 greater,
 * 2 unordered. COMIS* (signaling) raise IE on QNaN as well.
 */
export function ordering32(signaling: boolean, a: Vec, b: Vec): number {
  const x = a.u32[0]!, y = b.u32[0]!;
  if (isNaN32(x) || isNaN32(y)) {
    if (signaling || isSNaN32(x) || isSNaN32(y)) env.flags |= Mx.IE;
    return 2;
  }
  denormalSeen = false;
  const fx = input32(a.f32[0]!), fy = input32(b.f32[0]!);
  if (denormalSeen) env.flags |= Mx.DE;
  return fx < fy ? -1 : fx > fy ? 1 : 0;
}

export function ordering64(signaling: boolean, a: Vec, b: Vec): number {
  const xlo = a.u32[0]!, xhi = a.u32[1]!, ylo = b.u32[0]!, yhi = b.u32[1]!;
  if (isNaN64(xlo, xhi) || isNaN64(ylo, yhi)) {
    if (signaling || isSNaN64(xlo, xhi) || isSNaN64(ylo, yhi)) env.flags |= Mx.IE;
    return 2;
  }
  denormalSeen = false;
  const fx = input64(a.f64[0]!), fy = input64(b.f64[0]!);
  if (denormalSeen) env.flags |= Mx.DE;
  return fx < fy ? -1 : fx > fy ? 1 : 0;
}

/** Quiets a float32 NaN's bits. */
export function quiet32(bits: number): number { return (bits | QUIET32) >>> 0; }
export function quiet64Hi(hi: number): number { return (hi | QUIET64_HI) >>> 0; }
export function denormalInputSeen(): boolean { return denormalSeen; }
export function resetDenormalSeen(): void { denormalSeen = false; }
