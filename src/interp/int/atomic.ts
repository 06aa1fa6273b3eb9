// XADD CMPXCHG CMPXCHG8B CMPXCHG16B. wexe runs one guest thread at a time, so LOCK
// needs no extra work: each instruction is already atomic.

import type { ExecContext } from '../context.js';
import type { Insn } from '../../x86/insn.js';
import { OpKind } from '../../x86/insn.js';
import { GuestFault, ExceptionCode } from '../../mem/fault.js';
import type { CompilerTable, Exec } from './types.js';
import { narrowLoc, wideLoc, compileEa } from './operands.js';
import { wideOp, narrowOp, Alu } from './alu.js';
import { ZF, maskOf, signOf } from './flags.js';

function compileXadd(c: ExecContext, insn: Insn): Exec {
  const d = insn.ops[0]!, s = insn.ops[1]!;
  if (d.size === 8) {
    const dl = wideLoc(c, d, insn.addrSize), sl = wideLoc(c, s, insn.addrSize);
    return () => {
      const bLo = sl.read(), bHi = c.hi;
      const aLo = dl.read(), aHi = c.hi;
      const lo = wideOp(Alu.Add, c, aLo, aHi, bLo, bHi);
      const hi = c.hi;
      // Source gets the old destination first, so XADD r, r with one register ends with the sum.
      sl.writeBack(aLo, aHi);
      dl.writeBack(lo, hi);
    };
  }
  const m = maskOf(d.size), sb = signOf(d.size);
  const dl = narrowLoc(c, d, insn.addrSize), sl = narrowLoc(c, s, insn.addrSize);
  if (d.kind === OpKind.Mem) {
    return () => {
      const b = sl.read(); const a = dl.read();
      const saved = c.u32[c.fi]!;
      const r = narrowOp(Alu.Add, c, a, b, m, sb);
      try { dl.writeBack(r); } catch (e) { c.u32[c.fi] = saved; throw e; }
      sl.writeBack(a);
    };
  }
  return () => { const b = sl.read(); const a = dl.read(); const r = narrowOp(Alu.Add, c, a, b, m, sb); sl.writeBack(a); dl.writeBack(r); };
}

function compileCmpxchg(c: ExecContext, insn: Insn): Exec {
  const d = insn.ops[0]!, s = insn.ops[1]!;
  const u32 = c.u32, fi = c.fi, rax = c.gi;
  const isMem = d.kind === OpKind.Mem;
  if (d.size === 8) {
    const dl = wideLoc(c, d, insn.addrSize), sl = wideLoc(c, s, insn.addrSize);
    return () => {
      const sLo = sl.read(), sHi = c.hi;
      const dLo = dl.read(), dHi = c.hi;
      const saved = u32[fi]!;
      wideOp(Alu.Cmp, c, u32[rax]!, u32[rax + 1]!, dLo, dHi);
      try {
        if ((u32[fi]! & ZF) !== 0) dl.writeBack(sLo, sHi);
        // On failure the hardware still writes a memory destination back (with its own value).
        else if (isMem) dl.writeBack(dLo, dHi);
      } catch (e) { u32[fi] = saved; throw e; }
      if ((u32[fi]! & ZF) === 0) { u32[rax] = dLo; u32[rax + 1] = dHi; }
    };
  }
  const size = d.size, m = maskOf(size), sb = signOf(size);
  const dl = narrowLoc(c, d, insn.addrSize), sl = narrowLoc(c, s, insn.addrSize);
  return () => {
    const sv = sl.read();
    const dv = dl.read();
    const saved = u32[fi]!;
    narrowOp(Alu.Cmp, c, c.getReg(0, size), dv, m, sb);
    const equal = (u32[fi]! & ZF) !== 0;
    try {
      if (equal) dl.writeBack(sv); else if (isMem) dl.writeBack(dv);
    } catch (e) { u32[fi] = saved; throw e; }
    // Measured on hardware: a failed CMPXCHG r32 zero-extends RAX and leaves the
    // destination register untouched; a successful one leaves RAX's upper half alone.
    if (!equal) c.setReg(0, size, dv);
  };
}

function compileCmpxchgNb(c: ExecContext, insn: Insn): Exec {
  const ea = compileEa(c, insn.ops[0]!, insn.addrSize);
  const u32 = c.u32, fi = c.fi, g = c.gi;
  const rax = g, rcx = g + 2, rdx = g + 4, rbx = g + 6;
  if (insn.mnemonic === 'Cmpxchg8b') {
    return () => {
      const a = ea();
      const lo = c.rd64(a), hi = c.hi;
      const equal = lo === u32[rax] && hi === u32[rdx];
      if (equal) c.wr64(a, u32[rbx]!, u32[rcx]!); else c.wr64(a, lo, hi);
      if (!equal) { u32[rax] = lo; u32[rax + 1] = 0; u32[rdx] = hi; u32[rdx + 1] = 0; }
      u32[fi] = (u32[fi]! & ~ZF) | (equal ? ZF : 0);
    };
  }
  return () => {
    const a = ea();
    // CMPXCHG16B needs a 16-byte aligned operand, else #GP, which Windows reports as an
    // access violation at address 0xFFFFFFFFFFFFFFFF (given here as -1).
    if (a % 16 !== 0) throw new GuestFault(ExceptionCode.AccessViolation, -1, 0, 'CMPXCHG16B operand not 16-byte aligned');
    c.mem.check(a, 16, 1, 0);
    c.mem.check(a, 16, 2, 1);
    const l0 = c.rd64(a), h0 = c.hi, l1 = c.rd64(a + 8), h1 = c.hi;
    const equal = l0 === u32[rax] && h0 === u32[rax + 1] && l1 === u32[rdx] && h1 === u32[rdx + 1];
    if (equal) { c.wr64(a, u32[rbx]!, u32[rbx + 1]!); c.wr64(a + 8, u32[rcx]!, u32[rcx + 1]!); } else { c.wr64(a, l0, h0); c.wr64(a + 8, l1, h1); }
    if (!equal) { u32[rax] = l0; u32[rax + 1] = h0; u32[rdx] = l1; u32[rdx + 1] = h1; }
    u32[fi] = (u32[fi]! & ~ZF) | (equal ? ZF : 0);
  };
}

export const atomicCompilers: CompilerTable = {
  Xadd: compileXadd,
  Cmpxchg: compileCmpxchg,
  Cmpxchg8b: compileCmpxchgNb,
  Cmpxchg16b: compileCmpxchgNb,
};
