// Data movement: full-register moves (MOVAPS/MOVUPS/MOVDQA/... and the non-temporal
// forms, which behave as plain moves here), partial moves (MOVSS/MOVSD/MOVLPS/
// MOVHPS/...), MOVD/MOVQ in all directions, MOVNTI, LDMXCSR/STMXCSR, SSE3 duplicates.

import type { Handler, HandlerTable } from '../machine.js';
import type { Insn } from '../../x86/insn.js';
import { OpKind } from '../../x86/insn.js';
import { Access } from '../../mem/memory.js';
import { MXCSR_WRITABLE } from './mxcsr.js';
import { generalProtection, isXmm, loadOperand, loadXmm, memAddress, storeMemory, storeOperand, storeXmm } from './operands.js';
import { xmmOp } from './forms.js';
import { vA, vB } from './vec.js';

/** dest <- src, 16 bytes (register or memory on either side). */
const move128: Handler = (m, insn) => {
  loadOperand(m, insn, insn.ops[1]!, vB);
  storeOperand(m, insn, insn.ops[0]!, vB);
};

/**
 * MOVSS/MOVSD (SSE forms): register to register moves the low lane and keeps the
 * rest; a load zeroes the rest; a store writes the low lane.
 */
const moveScalar = (bytes: number): Handler => (m, insn) => {
  const [d, s] = insn.ops as [Insn['ops'][0], Insn['ops'][0]];
  loadOperand(m, insn, s, vB);
  if (d.kind === OpKind.Mem) { storeMemory(m, insn, d, vB); return; }
  if (s.kind === OpKind.Mem) { storeXmm(m, d.reg, vB); return; }
  loadXmm(m, d.reg, vA);
  for (let i = 0; i < bytes / 4; i++) vA.u32[i] = vB.u32[i]!;
  storeXmm(m, d.reg, vA);
};

/** MOVLPS/MOVLPD (half = 0) and MOVHPS/MOVHPD (half = 1): one 64-bit half to or from memory. */
const moveHalf = (half: number): Handler => (m, insn) => {
  const [d, s] = insn.ops as [Insn['ops'][0], Insn['ops'][0]];
  if (d.kind === OpKind.Mem) {
    loadXmm(m, s.reg, vB);
    vB.u32[0] = vB.u32[2 * half]!; vB.u32[1] = vB.u32[2 * half + 1]!;
    storeMemory(m, insn, d, vB);
    return;
  }
  loadOperand(m, insn, s, vB);
  loadXmm(m, d.reg, vA);
  vA.u32[2 * half] = vB.u32[0]!; vA.u32[2 * half + 1] = vB.u32[1]!;
  storeXmm(m, d.reg, vA);
};

/**
 * MOVD/MOVQ: into an XMM register the value is zero-extended to 128 bits; into a
 * general register or memory the low 4/8 bytes are written (32-bit GPR writes clear
 * the upper half).
 */
const moveLow = (bytes: number): Handler => (m, insn) => {
  const [d, s] = insn.ops as [Insn['ops'][0], Insn['ops'][0]];
  loadOperand(m, insn, s, vB);
  if (isXmm(d)) {
    if (bytes === 4) vB.u32[1] = 0;
    vB.u32[2] = 0; vB.u32[3] = 0;
    storeXmm(m, d.reg, vB);
    return;
  }
  storeOperand(m, insn, d, vB);
};

/** MOVNTI m32/m64, r32/r64. */
const movnti: Handler = (m, insn) => {
  loadOperand(m, insn, insn.ops[1]!, vB);
  storeMemory(m, insn, insn.ops[0]!, vB);
};

const ldmxcsr: Handler = (m, insn) => {
  const op = insn.ops[0]!;
  const addr = memAddress(m, insn, op, 4, Access.Read);
  const v = m.mem.dv.getUint32(addr, true);
  if ((v & ~MXCSR_WRITABLE) !== 0) throw generalProtection(`ldmxcsr with reserved bits set (0x${v.toString(16)})`);
  m.st.mxcsr = v;
};

const stmxcsr: Handler = (m, insn) => {
  const addr = memAddress(m, insn, insn.ops[0]!, 4, Access.Write);
  m.mem.write32(addr, m.st.mxcsr);
};

export const moveHandlers: HandlerTable = {
  Movaps: move128, Movups: move128, Movapd: move128, Movupd: move128,
  Movdqa: move128, Movdqu: move128, Lddqu: move128,
  Movntps: move128, Movntpd: move128, Movntdq: move128, Movntdqa: move128,
  Movss: moveScalar(4), Movsd: moveScalar(8),
  Movlps: moveHalf(0), Movlpd: moveHalf(0), Movhps: moveHalf(1), Movhpd: moveHalf(1),
  Movhlps: xmmOp((a, b) => { a.u32[0] = b.u32[2]!; a.u32[1] = b.u32[3]!; return a; }),
  Movlhps: xmmOp((a, b) => { a.u32[2] = b.u32[0]!; a.u32[3] = b.u32[1]!; return a; }),
  Movd: moveLow(4), Movq: moveLow(8),
  Movnti: movnti,
  Ldmxcsr: ldmxcsr, Stmxcsr: stmxcsr,
  Movddup: xmmOp((a, b) => { a.u32[0] = b.u32[0]!; a.u32[1] = b.u32[1]!; a.u32[2] = b.u32[0]!; a.u32[3] = b.u32[1]!; return a; }),
  Movshdup: xmmOp((a, b) => { a.u32[0] = b.u32[1]!; a.u32[1] = b.u32[1]!; a.u32[2] = b.u32[3]!; a.u32[3] = b.u32[3]!; return a; }),
  Movsldup: xmmOp((a, b) => { a.u32[0] = b.u32[0]!; a.u32[1] = b.u32[0]!; a.u32[2] = b.u32[2]!; a.u32[3] = b.u32[2]!; return a; }),
};
