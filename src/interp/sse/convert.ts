// Conversions: float <-> double, integer <-> float (scalar and packed), with MXCSR
// rounding, the integer indefinite value (0x80000000 / 0x8000000000000000) for NaN
// and out-of-range inputs, and NaN payload rules (quieted; payload bits kept from the
// top when narrowing).

import type { Handler, HandlerTable } from '../machine.js';
import type { Insn } from '../../x86/insn.js';
import { env, Mx, beginFp, endFp } from './mxcsr.js';
import { f64ToF32, floatToInt, intOut, intToFloat } from './ieee.js';
import { input32, input64, isNaN32, isNaN64, isSNaN32, isSNaN64, resetDenormalSeen, denormalInputSeen, writeF32 } from './lanes.js';
import { fpOp } from './forms.js';
import { loadOperand, loadXmm, storeXmm } from './operands.js';
import { vA, vB, vR, type Vec } from './vec.js';

/** b.f32[ib] -> out.f64[io] (exact; NaNs quieted with their payload moved up). */
function single2double(b: Vec, ib: number, out: Vec, io: number): void {
  const x = b.u32[ib]!;
  if (isNaN32(x)) {
    if (isSNaN32(x)) env.flags |= Mx.IE;
    const frac = (x & 0x7fffff) | 0x400000;
    out.u32[2 * io] = (frac << 29) >>> 0;
    out.u32[2 * io + 1] = ((x & 0x80000000) | 0x7ff00000 | (frac >>> 3)) >>> 0;
    return;
  }
  resetDenormalSeen();
  const v = input32(b.f32[ib]!);
  if (denormalInputSeen()) env.flags |= Mx.DE;
  out.f64[io] = v;
}

/** b.f64[ib] -> out.f32[io], rounded per MXCSR; NaNs keep the top 22 payload bits. */
function double2single(b: Vec, ib: number, out: Vec, io: number): void {
  const lo = b.u32[2 * ib]!, hi = b.u32[2 * ib + 1]!;
  if (isNaN64(lo, hi)) {
    if (isSNaN64(lo, hi)) env.flags |= Mx.IE;
    out.u32[io] = ((hi & 0x80000000) | 0x7fc00000 | ((hi & 0x7ffff) << 3) | (lo >>> 29)) >>> 0;
    return;
  }
  resetDenormalSeen();
  const v = input64(b.f64[ib]!);
  const r = f64ToF32(v);
  if (denormalInputSeen()) env.flags |= Mx.DE;
  writeF32(out, io, r);
}

/** A float lane as a number for integer conversion: NaN stays NaN; DAZ applies; no DE flag. */
function lane32(b: Vec, i: number): number {
  return isNaN32(b.u32[i]!) ? NaN : input32(b.f32[i]!);
}
function lane64(b: Vec, i: number): number {
  return isNaN64(b.u32[2 * i]!, b.u32[2 * i + 1]!) ? NaN : input64(b.f64[i]!);
}

/** CVT(T)SS2SI / CVT(T)SD2SI: GPR (32 or 64-bit) <- xmm/m32/m64. */
const toGpr = (double: boolean, truncate: boolean): Handler => (m, insn) => {
  const d = insn.ops[0]!;
  loadOperand(m, insn, insn.ops[1]!, vB);
  beginFp(m);
  floatToInt(double ? lane64(vB, 0) : lane32(vB, 0), d.size === 8 ? 64 : 32, truncate);
  endFp(m);
  if (d.size === 8) m.st.set64(d.reg, intOut.lo, intOut.hi); else m.st.set32(d.reg, intOut.lo);
};

/** The signed integer source of CVTSI2SS/SD (r/m32 or r/m64). */
function intSource(m: Parameters<Handler>[0], insn: Insn): number | bigint {
  const s = insn.ops[1]!;
  loadOperand(m, insn, s, vR);
  if (s.size !== 8) return vR.i32[0]!;
  const lo = vR.u32[0]!, hi = vR.i32[1]!;
  if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

const fromGpr = (double: boolean): Handler => (m, insn) => {
  const v = intSource(m, insn);
  const d = insn.ops[0]!;
  loadXmm(m, d.reg, vA);
  beginFp(m);
  const r = intToFloat(v, !double);
  endFp(m);
  if (double) vA.f64[0] = r; else vA.f32[0] = r;
  storeXmm(m, d.reg, vA);
};

export const convertHandlers: HandlerTable = {
  Cvtss2sd: fpOp((a, b) => { single2double(b, 0, a, 0); return a; }),
  Cvtsd2ss: fpOp((a, b) => { double2single(b, 0, a, 0); return a; }),
  Cvtps2pd: fpOp((a, b) => { single2double(b, 0, vR, 0); single2double(b, 1, vR, 1); return vR; }),
  Cvtpd2ps: fpOp((a, b) => {
    double2single(b, 0, a, 0); double2single(b, 1, a, 1);
    a.u32[2] = 0; a.u32[3] = 0;
    return a;
  }),
  Cvtss2si: toGpr(false, false), Cvttss2si: toGpr(false, true),
  Cvtsd2si: toGpr(true, false), Cvttsd2si: toGpr(true, true),
  Cvtsi2ss: fromGpr(false), Cvtsi2sd: fromGpr(true),
  Cvtdq2ps: fpOp((a, b) => { for (let i = 0; i < 4; i++) a.f32[i] = intToFloat(b.i32[i]!, true); return a; }),
  Cvtdq2pd: fpOp((a, b) => { a.f64[1] = b.i32[1]!; a.f64[0] = b.i32[0]!; return a; }),
  Cvtps2dq: fpOp((a, b) => { for (let i = 0; i < 4; i++) { floatToInt(lane32(b, i), 32, false); a.u32[i] = intOut.lo; } return a; }),
  Cvttps2dq: fpOp((a, b) => { for (let i = 0; i < 4; i++) { floatToInt(lane32(b, i), 32, true); a.u32[i] = intOut.lo; } return a; }),
  Cvtpd2dq: fpOp((a, b) => {
    for (let i = 0; i < 2; i++) { floatToInt(lane64(b, i), 32, false); a.u32[i] = intOut.lo; }
    a.u32[2] = 0; a.u32[3] = 0;
    return a;
  }),
  Cvttpd2dq: fpOp((a, b) => {
    for (let i = 0; i < 2; i++) { floatToInt(lane64(b, i), 32, true); a.u32[i] = intOut.lo; }
    a.u32[2] = 0; a.u32[3] = 0;
    return a;
  }),
};
