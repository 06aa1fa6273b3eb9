// SSE/SSE2/SSE3 floating-point arithmetic: ADD/SUB/MUL/DIV/SQRT/MIN/MAX in packed and
// scalar single/double forms, compares (CMPxx, COMIS, UCOMIS), horizontal and
// alternating add/subtract (HADD/HSUB/ADDSUB), DPPS/DPPD.

import type { Handler, HandlerTable } from '../machine.js';
import { Flag } from '../../cpu/state.js';
import { add32, add64, div32, div64, mul32, mul64, sqrt32, sqrt64, sub32, sub64 } from './ieee.js';
import { binary32, binary64, compare32, compare64, minMax32, minMax64, ordering32, ordering64, unary32, unary64, type Binary, type Unary } from './lanes.js';
import { fpOp } from './forms.js';
import { beginFp, endFp } from './mxcsr.js';
import { imm8, loadOperand, loadXmm } from './operands.js';
import { vA, vB, vR, type Vec } from './vec.js';

const packed32 = (op: Binary): Handler => fpOp((a, b) => { for (let i = 0; i < 4; i++) binary32(op, a, i, b, i, a, i); return a; });
const scalar32 = (op: Binary): Handler => fpOp((a, b) => { binary32(op, a, 0, b, 0, a, 0); return a; });
const packed64 = (op: Binary): Handler => fpOp((a, b) => { for (let i = 0; i < 2; i++) binary64(op, a, i, b, i, a, i); return a; });
const scalar64 = (op: Binary): Handler => fpOp((a, b) => { binary64(op, a, 0, b, 0, a, 0); return a; });
const packedUnary32 = (op: Unary): Handler => fpOp((a, b) => { for (let i = 0; i < 4; i++) unary32(op, b, i, a, i); return a; });
const scalarUnary32 = (op: Unary): Handler => fpOp((a, b) => { unary32(op, b, 0, a, 0); return a; });
const packedUnary64 = (op: Unary): Handler => fpOp((a, b) => { for (let i = 0; i < 2; i++) unary64(op, b, i, a, i); return a; });
const scalarUnary64 = (op: Unary): Handler => fpOp((a, b) => { unary64(op, b, 0, a, 0); return a; });

const minMax = (isMax: boolean, lanes: number, double: boolean): Handler => fpOp((a, b) => {
  for (let i = 0; i < lanes; i++) (double ? minMax64 : minMax32)(isMax, a, b, a, i);
  return a;
});

/** CMPPS & co.: legacy encodings use imm8[2:0] as the predicate. */
const cmp = (lanes: number, double: boolean): Handler => fpOp((a, b, insn) => {
  const p = imm8(insn) & 7;
  for (let i = 0; i < lanes; i++) (double ? compare64 : compare32)(p, a, b, a, i);
  return a;
});

/** COMISS/UCOMISS/COMISD/UCOMISD: ZF PF CF from the ordering; OF SF AF cleared. */
const comis = (signaling: boolean, double: boolean): Handler => (m, insn) => {
  loadOperand(m, insn, insn.ops[1]!, vB);
  loadXmm(m, insn.ops[0]!.reg, vA);
  beginFp(m);
  const o = double ? ordering64(signaling, vA, vB) : ordering32(signaling, vA, vB);
  endFp(m);
  const bits = o === 2 ? Flag.ZF | Flag.PF | Flag.CF : o === 0 ? Flag.ZF : o < 0 ? Flag.CF : 0;
  m.st.rflags = (m.st.rflags & ~Flag.ARITH) | bits;
};

/** HADDPS/HSUBPS: [a0 op a1, a2 op a3, b0 op b1, b2 op b3]. */
const horizontal32 = (op: Binary): Handler => fpOp((a, b) => {
  binary32(op, a, 0, a, 1, vR, 0);
  binary32(op, a, 2, a, 3, vR, 1);
  binary32(op, b, 0, b, 1, vR, 2);
  binary32(op, b, 2, b, 3, vR, 3);
  return vR;
});

const horizontal64 = (op: Binary): Handler => fpOp((a, b) => {
  binary64(op, a, 0, a, 1, vR, 0);
  binary64(op, b, 0, b, 1, vR, 1);
  return vR;
});

/**
 * DPPS: products of the lanes selected by imm8[7:4] (others +0.0), summed as
 * (p0 + p1) + (p2 + p3) with a rounding after each step, then written to the lanes
 * selected by imm8[3:0] (others +0.0).
 */
function dpps(a: Vec, b: Vec, insn: { ops: { immLo: number }[] }): Vec {
  const imm = insn.ops[insn.ops.length - 1]!.immLo & 0xff;
  for (let i = 0; i < 4; i++) {
    if (imm & (0x10 << i)) binary32(mul32, a, i, b, i, vR, i); else vR.u32[i] = 0;
  }
  binary32(add32, vR, 0, vR, 1, a, 0);
  binary32(add32, vR, 2, vR, 3, a, 1);
  binary32(add32, a, 0, a, 1, vR, 0);
  const sum = vR.u32[0]!;
  for (let i = 0; i < 4; i++) a.u32[i] = imm & (1 << i) ? sum : 0;
  return a;
}

function dppd(a: Vec, b: Vec, insn: { ops: { immLo: number }[] }): Vec {
  const imm = insn.ops[insn.ops.length - 1]!.immLo & 0xff;
  for (let i = 0; i < 2; i++) {
    if (imm & (0x10 << i)) binary64(mul64, a, i, b, i, vR, i); else { vR.u32[2 * i] = 0; vR.u32[2 * i + 1] = 0; }
  }
  binary64(add64, vR, 0, vR, 1, vR, 0);
  const lo = vR.u32[0]!, hi = vR.u32[1]!;
  for (let i = 0; i < 2; i++) {
    const on = (imm & (1 << i)) !== 0;
    a.u32[2 * i] = on ? lo : 0; a.u32[2 * i + 1] = on ? hi : 0;
  }
  return a;
}

export const arithHandlers: HandlerTable = {
  Addps: packed32(add32), Addss: scalar32(add32), Addpd: packed64(add64), Addsd: scalar64(add64),
  Subps: packed32(sub32), Subss: scalar32(sub32), Subpd: packed64(sub64), Subsd: scalar64(sub64),
  Mulps: packed32(mul32), Mulss: scalar32(mul32), Mulpd: packed64(mul64), Mulsd: scalar64(mul64),
  Divps: packed32(div32), Divss: scalar32(div32), Divpd: packed64(div64), Divsd: scalar64(div64),
  Sqrtps: packedUnary32(sqrt32), Sqrtss: scalarUnary32(sqrt32), Sqrtpd: packedUnary64(sqrt64), Sqrtsd: scalarUnary64(sqrt64),
  Minps: minMax(false, 4, false), Minss: minMax(false, 1, false), Minpd: minMax(false, 2, true), Minsd: minMax(false, 1, true),
  Maxps: minMax(true, 4, false), Maxss: minMax(true, 1, false), Maxpd: minMax(true, 2, true), Maxsd: minMax(true, 1, true),
  Cmpps: cmp(4, false), Cmpss: cmp(1, false), Cmppd: cmp(2, true), Cmpsd: cmp(1, true),
  Comiss: comis(true, false), Ucomiss: comis(false, false), Comisd: comis(true, true), Ucomisd: comis(false, true),
  Haddps: horizontal32(add32), Hsubps: horizontal32(sub32), Haddpd: horizontal64(add64), Hsubpd: horizontal64(sub64),
  Addsubps: fpOp((a, b) => {
    for (let i = 0; i < 4; i++) binary32(i & 1 ? add32 : sub32, a, i, b, i, a, i);
    return a;
  }),
  Addsubpd: fpOp((a, b) => {
    binary64(sub64, a, 0, b, 0, a, 0);
    binary64(add64, a, 1, b, 1, a, 1);
    return a;
  }),
  Dpps: fpOp(dpps),
  Dppd: fpOp(dppd),
};
