// SSE4.1: sign/zero extension, min/max, PMULLD/PMULDQ, inserts and extracts, blends,
// ROUNDxx, PTEST, PCMPEQQ, PHMINPOSUW, MPSADBW. (PACKUSDW is in integer.ts; DPPS/DPPD in arith.ts.)

import type { Handler, HandlerTable } from '../machine.js';
import type { Insn } from '../../x86/insn.js';
import { OpKind } from '../../x86/insn.js';
import { Flag } from '../../cpu/state.js';
import { xmmOp, fpOp } from './forms.js';
import { imm8, loadOperand, loadXmm, readGpr32, storeMemory, storeXmm } from './operands.js';
import { lanewise, mulU32 } from './integer.js';
import { env, Mx, type Rc } from './mxcsr.js';
import { roundIntegral } from './ieee.js';
import { isNaN32, isNaN64, isSNaN32, isSNaN64, input32, input64, quiet32, quiet64Hi } from './lanes.js';
import { vA, vB, vR, type Vec } from './vec.js';

type IntLanes = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32';

/** PMOVSXxx and PMOVZXxx: widen the low lanes of the source. */
const extend = (from: IntLanes, to: 'u16' | 'u32'): Handler => xmmOp((a, b) => {
  const out = to === 'u16' ? vR.u16 : vR.u32;
  for (let i = 0; i < out.length; i++) out[i] = b[from][i]!;
  return vR;
});

/** PMOVSXxQ and PMOVZXxQ: widen to 64-bit lanes. */
const extend64 = (from: IntLanes): Handler => xmmOp((a, b) => {
  for (let i = 0; i < 2; i++) {
    const v = b[from][i]!;
    vR.u32[2 * i] = v >>> 0;
    vR.u32[2 * i + 1] = v < 0 ? 0xffffffff : 0;
  }
  return vR;
});

function pmuldq(a: Vec, b: Vec): Vec {
  for (let k = 0; k < 2; k++) {
    const x = a.i32[2 * k]!, y = b.i32[2 * k]!;
    mulU32(Math.abs(x), Math.abs(y), vR, k);
    if ((x < 0) !== (y < 0) && x !== 0 && y !== 0) {
      // Two's complement negation of the 64-bit magnitude.
      const lo = vR.u32[2 * k]!, hi = vR.u32[2 * k + 1]!;
      const nlo = (~lo + 1) >>> 0;
      vR.u32[2 * k] = nlo;
      vR.u32[2 * k + 1] = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
    }
  }
  return vR;
}

/** PINSRB/PINSRD/PINSRQ xmm, r/m, imm8. */
const pinsr = (bytes: number): Handler => (m, insn) => {
  const d = insn.ops[0]!;
  const s = insn.ops[1]!;
  let lo: number, hi = 0;
  if (bytes === 8) { loadOperand(m, insn, s, vB); lo = vB.u32[0]!; hi = vB.u32[1]!; } else lo = readGpr32(m, insn, s);
  loadXmm(m, d.reg, vA);
  const sel = imm8(insn);
  if (bytes === 1) vA.u8[sel & 15] = lo;
  else if (bytes === 4) vA.u32[sel & 3] = lo;
  else { vA.u32[2 * (sel & 1)] = lo; vA.u32[2 * (sel & 1) + 1] = hi; }
  storeXmm(m, d.reg, vA);
};

/** PEXTRB/PEXTRD/PEXTRQ/EXTRACTPS r/m, xmm, imm8: register destinations are zero-extended. */
const pextr = (bytes: number): Handler => (m, insn) => {
  const d = insn.ops[0]!;
  loadXmm(m, insn.ops[1]!.reg, vB);
  const sel = imm8(insn);
  let lo: number, hi = 0;
  if (bytes === 1) lo = vB.u8[sel & 15]!;
  else if (bytes === 4) lo = vB.u32[sel & 3]!;
  else { lo = vB.u32[2 * (sel & 1)]!; hi = vB.u32[2 * (sel & 1) + 1]!; }
  if (d.kind === OpKind.Mem) {
    vR.clear(); vR.u32[0] = lo; vR.u32[1] = hi;
    storeMemory(m, insn, d, vR);
  } else if (d.size === 8) m.st.set64(d.reg, lo, hi);
  else m.st.set32(d.reg, lo);
};

/** INSERTPS: source lane imm[7:6] (register) or the m32 value, to lane imm[5:4], then zero lanes in imm[3:0]. */
function insertps(a: Vec, b: Vec, insn: Insn): Vec {
  const imm = imm8(insn);
  const v = insn.ops[1]!.kind === OpKind.Mem ? b.u32[0]! : b.u32[(imm >> 6) & 3]!;
  a.u32[(imm >> 4) & 3] = v;
  for (let i = 0; i < 4; i++) if (imm & (1 << i)) a.u32[i] = 0;
  return a;
}

/** Immediate blends: lane i from b when imm bit i is set. */
const blendImm = (t: 'u16' | 'u32', laneWords: number): Handler => xmmOp((a, b, insn) => {
  const imm = imm8(insn);
  const x = a[t], y = b[t];
  const lanes = 16 / (t === 'u16' ? 2 : 4) / laneWords;
  for (let i = 0; i < lanes; i++) {
    if (imm & (1 << i)) for (let j = 0; j < laneWords; j++) x[i * laneWords + j] = y[i * laneWords + j]!;
  }
  return a;
});

/** BLENDVPS/BLENDVPD/PBLENDVB: lane from b where the implicit XMM0 lane's sign bit is set. */
const blendVar = (laneBytes: number): Handler => (m, insn) => {
  const d = insn.ops[0]!;
  loadOperand(m, insn, insn.ops[1]!, vB);
  loadXmm(m, d.reg, vA);
  loadXmm(m, 0, vR);
  for (let i = 0; i < 16; i += laneBytes) {
    if (vR.u8[i + laneBytes - 1]! & 0x80) for (let j = 0; j < laneBytes; j++) vA.u8[i + j] = vB.u8[i + j]!;
  }
  storeXmm(m, d.reg, vA);
};

/**
 * ROUNDPS/PS/SS/SD: imm[1:0] rounding mode unless imm[2] selects MXCSR.RC; imm[3]
 * suppresses the precision exception. SNaN raises IE and is quieted; DAZ applies;
 * DE is never raised.
 */
function roundMode(imm: number): Rc { return (imm & 4 ? env.rc : imm & 3) as Rc; }

function round32(b: Vec, i: number, out: Vec, imm: number): void {
  const x = b.u32[i]!;
  if (isNaN32(x)) { if (isSNaN32(x)) env.flags |= Mx.IE; out.u32[i] = quiet32(x); return; }
  const v = input32(b.f32[i]!);
  const r = roundIntegral(v, roundMode(imm));
  if (r !== v && (imm & 8) === 0) env.flags |= Mx.PE;
  out.f32[i] = r;
}

function round64(b: Vec, i: number, out: Vec, imm: number): void {
  const lo = b.u32[2 * i]!, hi = b.u32[2 * i + 1]!;
  if (isNaN64(lo, hi)) {
    if (isSNaN64(lo, hi)) env.flags |= Mx.IE;
    out.u32[2 * i] = lo; out.u32[2 * i + 1] = quiet64Hi(hi);
    return;
  }
  const v = input64(b.f64[i]!);
  const r = roundIntegral(v, roundMode(imm));
  if (r !== v && (imm & 8) === 0) env.flags |= Mx.PE;
  out.f64[i] = r;
}

function ptest(m: Parameters<Handler>[0], insn: Insn): void {
  loadOperand(m, insn, insn.ops[1]!, vB);
  loadXmm(m, insn.ops[0]!.reg, vA);
  let and = 0, andn = 0;
  for (let i = 0; i < 4; i++) { and |= vA.u32[i]! & vB.u32[i]!; andn |= ~vA.u32[i]! & vB.u32[i]!; }
  m.st.rflags = (m.st.rflags & ~Flag.ARITH) | (and === 0 ? Flag.ZF : 0) | (andn === 0 ? Flag.CF : 0);
}

function phminposuw(a: Vec, b: Vec): Vec {
  let min = b.u16[0]!, idx = 0;
  for (let i = 1; i < 8; i++) if (b.u16[i]! < min) { min = b.u16[i]!; idx = i; }
  vR.clear();
  vR.u16[0] = min; vR.u16[1] = idx;
  return vR;
}

/** MPSADBW: eight sums of absolute differences between a sliding 4-byte window of the destination and one 4-byte block of the source. */
function mpsadbw(a: Vec, b: Vec, insn: Insn): Vec {
  const imm = imm8(insn);
  const aOff = imm & 4, bOff = (imm & 3) * 4;
  for (let i = 0; i < 8; i++) {
    let sum = 0;
    for (let j = 0; j < 4; j++) sum += Math.abs(a.u8[aOff + i + j]! - b.u8[bOff + j]!);
    vR.u16[i] = sum;
  }
  return vR;
}

export const sse41Handlers: HandlerTable = {
  Pmovsxbw: extend('i8', 'u16'), Pmovsxbd: extend('i8', 'u32'), Pmovsxwd: extend('i16', 'u32'),
  Pmovsxbq: extend64('i8'), Pmovsxwq: extend64('i16'), Pmovsxdq: extend64('i32'),
  Pmovzxbw: extend('u8', 'u16'), Pmovzxbd: extend('u8', 'u32'), Pmovzxwd: extend('u16', 'u32'),
  Pmovzxbq: extend64('u8'), Pmovzxwq: extend64('u16'), Pmovzxdq: extend64('u32'),
  Pminsb: lanewise('i8', Math.min), Pmaxsb: lanewise('i8', Math.max),
  Pminsd: lanewise('i32', Math.min), Pmaxsd: lanewise('i32', Math.max),
  Pminuw: lanewise('u16', Math.min), Pmaxuw: lanewise('u16', Math.max),
  Pminud: lanewise('u32', Math.min), Pmaxud: lanewise('u32', Math.max),
  Pmulld: lanewise('i32', Math.imul),
  Pmuldq: xmmOp(pmuldq),
  Pcmpeqq: xmmOp((a, b) => {
    for (let k = 0; k < 2; k++) {
      const r = a.u32[2 * k] === b.u32[2 * k] && a.u32[2 * k + 1] === b.u32[2 * k + 1] ? 0xffffffff : 0;
      vR.u32[2 * k] = r; vR.u32[2 * k + 1] = r;
    }
    return vR;
  }),
  Pinsrb: pinsr(1), Pinsrd: pinsr(4), Pinsrq: pinsr(8),
  Pextrb: pextr(1), Pextrd: pextr(4), Pextrq: pextr(8), Extractps: pextr(4),
  Insertps: xmmOp(insertps),
  Blendps: blendImm('u32', 1), Blendpd: blendImm('u32', 2), Pblendw: blendImm('u16', 1),
  Blendvps: blendVar(4), Blendvpd: blendVar(8), Pblendvb: blendVar(1),
  Roundps: fpOp((a, b, insn) => { const imm = imm8(insn); for (let i = 0; i < 4; i++) round32(b, i, a, imm); return a; }),
  Roundpd: fpOp((a, b, insn) => { const imm = imm8(insn); for (let i = 0; i < 2; i++) round64(b, i, a, imm); return a; }),
  Roundss: fpOp((a, b, insn) => { round32(b, 0, a, imm8(insn)); return a; }),
  Roundsd: fpOp((a, b, insn) => { round64(b, 0, a, imm8(insn)); return a; }),
  Ptest: ptest,
  Phminposuw: xmmOp(phminposuw),
  Mpsadbw: xmmOp(mpsadbw),
};
