// Handler shapes shared by most SSE instructions: "xmm1 = f(xmm1, xmm2/m)", with or
// without the floating-point environment. The body returns the vector to store into
// the destination register (usually its first argument, updated in place).

import type { Handler } from '../machine.js';
import type { Insn } from '../../x86/insn.js';
import { beginFp, endFp } from './mxcsr.js';
import { loadOperand, loadXmm, storeXmm } from './operands.js';
import { vA, vB, type Vec } from './vec.js';

export type Body = (a: Vec, b: Vec, insn: Insn) => Vec;

/** Integer or bitwise: dest = body(dest, src). */
export function xmmOp(body: Body): Handler {
  return (m, insn) => {
    const d = insn.ops[0]!;
    loadOperand(m, insn, insn.ops[1]!, vB);
    loadXmm(m, d.reg, vA);
    storeXmm(m, d.reg, body(vA, vB, insn));
  };
}

/** Floating point: as xmmOp, with MXCSR's environment and flag update. */
export function fpOp(body: Body): Handler {
  return (m, insn) => {
    const d = insn.ops[0]!;
    loadOperand(m, insn, insn.ops[1]!, vB);
    loadXmm(m, d.reg, vA);
    beginFp(m);
    const r = body(vA, vB, insn);
    endFp(m);
    storeXmm(m, d.reg, r);
  };
}
