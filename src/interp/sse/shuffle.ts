// Floating-point shuffles and sign-mask extraction: SHUFPS/SHUFPD, UNPCK[LH]P[SD],
// MOVMSKPS/MOVMSKPD.

import type { Handler, HandlerTable } from '../machine.js';
import { xmmOp } from './forms.js';
import { unpackBytes } from './integer.js';
import { imm8, loadXmm } from './operands.js';
import { vB, vR } from './vec.js';

const movmsk = (lanes: number): Handler => (m, insn) => {
  loadXmm(m, insn.ops[1]!.reg, vB);
  const step = 4 / lanes;
  let mask = 0;
  for (let i = 0; i < lanes; i++) mask |= (vB.u32[(i + 1) * step - 1]! >>> 31) << i;
  m.st.set32(insn.ops[0]!.reg, mask);
};

export const shuffleHandlers: HandlerTable = {
  Shufps: xmmOp((a, b, insn) => {
    const imm = imm8(insn);
    vR.u32[0] = a.u32[imm & 3]!; vR.u32[1] = a.u32[(imm >> 2) & 3]!;
    vR.u32[2] = b.u32[(imm >> 4) & 3]!; vR.u32[3] = b.u32[(imm >> 6) & 3]!;
    return vR;
  }),
  Shufpd: xmmOp((a, b, insn) => {
    const imm = imm8(insn);
    const x = imm & 1, y = (imm >> 1) & 1;
    vR.u32[0] = a.u32[2 * x]!; vR.u32[1] = a.u32[2 * x + 1]!;
    vR.u32[2] = b.u32[2 * y]!; vR.u32[3] = b.u32[2 * y + 1]!;
    return vR;
  }),
  Unpcklps: xmmOp((a, b) => unpackBytes(a, b, 4, false)), Unpckhps: xmmOp((a, b) => unpackBytes(a, b, 4, true)),
  Unpcklpd: xmmOp((a, b) => unpackBytes(a, b, 8, false)), Unpckhpd: xmmOp((a, b) => unpackBytes(a, b, 8, true)),
  Movmskps: movmsk(4), Movmskpd: movmsk(2),
};
