// Stack and control transfer: PUSH POP PUSHFQ POPFQ LEAVE ENTER, JMP Jcc CALL RET,
// LOOP LOOPE LOOPNE JRCXZ JECXZ.
//
// Control-transfer closures set RIP themselves (they are always last in a block);
// everything else leaves RIP alone. Every closure reads and writes memory before it
// commits registers, so a fault leaves the architectural state as it was.

import type { ExecContext } from '../context.js';
import type { Insn } from '../../x86/insn.js';
import { OpKind, COND_SUFFIX } from '../../x86/insn.js';
import type { CompilerTable, Exec } from './types.js';
import { narrowLoc, wideLoc, isGpr } from './operands.js';
import { condPredicate, condTrue, ZF } from './flags.js';

const TWO32 = 0x100000000;
const TWO64 = 2 ** 64;
const RSP = 4, RCX = 1, RBP = 5;

/** RSP as a number (exact below 2^53, which covers every mapped address). */
export function getRsp(c: ExecContext): number {
  const i = c.gi + 2 * RSP;
  const hi = c.u32[i + 1]!;
  return hi === 0 ? c.u32[i]! : hi * TWO32 + c.u32[i]!;
}
export function setRsp(c: ExecContext, v: number): void {
  const i = c.gi + 2 * RSP;
  if (v >= 0 && v <= 0xffffffff) { c.u32[i] = v; c.u32[i + 1] = 0; return; }
  const w = v < 0 ? v + TWO64 : v >= TWO64 ? v - TWO64 : v;
  c.u32[i] = w % TWO32 >>> 0;
  c.u32[i + 1] = Math.floor(w / TWO32) >>> 0;
}
/** An address below the stack pointer: negative wraps to the top of the 64-bit space (unmapped). */
function below(sp: number, n: number): number { const a = sp - n; return a < 0 ? a + TWO64 : a; }
function above(sp: number, n: number): number { const a = sp + n; return a >= TWO64 ? a - TWO64 : a; }

/** Pushes a 64-bit value (RSP committed only after the write succeeds). */
export function push64(c: ExecContext, lo: number, hi: number): void {
  const sp = below(getRsp(c), 8);
  c.wr64(sp, lo, hi);
  setRsp(c, sp);
}
/** Pops a 64-bit value: returns the low half, high half in c.hi. */
export function pop64(c: ExecContext): number {
  const sp = getRsp(c);
  const lo = c.rd64(sp);
  setRsp(c, above(sp, 8));
  return lo;
}

function compilePush(c: ExecContext, insn: Insn): Exec {
  const s = insn.ops[0]!;
  if (s.size === 2) {
    const l = narrowLoc(c, s, insn.addrSize, 2);
    return () => { const v = l.read(); const sp = below(getRsp(c), 2); c.wr16(sp, v); setRsp(c, sp); };
  }
  if (isGpr(s)) {
    const u32 = c.u32; const i = c.gi + 2 * s.reg;
    return () => push64(c, u32[i]!, u32[i + 1]!);
  }
  const l = wideLoc(c, s, insn.addrSize);
  return () => { const lo = l.read(); push64(c, lo, c.hi); };
}

function compilePop(c: ExecContext, insn: Insn): Exec {
  const d = insn.ops[0]!;
  if (d.size === 2) {
    const l = narrowLoc(c, d, insn.addrSize, 2);
    return () => {
      const sp = getRsp(c); const v = c.rd16(sp);
      setRsp(c, above(sp, 2));
      try { l.write(v); } catch (e) { setRsp(c, sp); throw e; }
    };
  }
  if (isGpr(d)) {
    const u32 = c.u32; const i = c.gi + 2 * d.reg;
    return () => { const sp = getRsp(c); const lo = c.rd64(sp); const hi = c.hi; setRsp(c, above(sp, 8)); u32[i] = lo; u32[i + 1] = hi; };
  }
  // POP to memory: the address is computed with RSP already incremented (SDM, POP).
  const l = wideLoc(c, d, insn.addrSize);
  return () => {
    const sp = getRsp(c); const lo = c.rd64(sp); const hi = c.hi;
    setRsp(c, above(sp, 8));
    try { l.write(lo, hi); } catch (e) { setRsp(c, sp); throw e; }
  };
}

/** RFLAGS bits POPF may change at CPL 3 with IOPL 0: CF PF AF ZF SF DF OF NT AC ID (TF: single-step is not modelled). */
const POPF_MASK = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x400 | 0x800 | 0x4000 | 0x40000 | 0x200000;

function compilePushf(c: ExecContext, insn: Insn): Exec {
  const u32 = c.u32, fi = c.fi;
  // RF (bit 16) and VM (bit 17) read as zero in the pushed image.
  if (insn.opSize === 2 || insn.mnemonic === 'Pushf') return () => { const sp = below(getRsp(c), 2); c.wr16(sp, u32[fi]! & 0xffff); setRsp(c, sp); };
  return () => push64(c, u32[fi]! & 0xfcffff, 0);
}
function compilePopf(c: ExecContext, insn: Insn): Exec {
  const u32 = c.u32, fi = c.fi;
  const mask = insn.mnemonic === 'Popf' ? POPF_MASK & 0xffff : POPF_MASK;
  return () => {
    let v: number;
    if (mask === POPF_MASK) v = pop64(c); else { const sp = getRsp(c); v = c.rd16(sp); setRsp(c, above(sp, 2)); }
    u32[fi] = ((u32[fi]! & ~mask) | (v & mask) | 2) >>> 0;
  };
}

function compileLeave(c: ExecContext, insn: Insn): Exec {
  const u32 = c.u32; const bp = c.gi + 2 * RBP, sp = c.gi + 2 * RSP;
  if (insn.opSize === 2) {
    // 66 LEAVE: RSP <- RBP (the stack address size stays 64), then a word pop into BP only.
    return () => {
      const frame = u32[bp + 1]! * TWO32 + u32[bp]!;
      const v = c.rd16(frame);
      setRsp(c, above(frame, 2));
      u32[bp] = (u32[bp]! & 0xffff0000 | v) >>> 0;
    };
  }
  return () => {
    const frame = u32[bp + 1]! * TWO32 + u32[bp]!;
    const lo = c.rd64(frame), hi = c.hi;
    u32[sp] = u32[bp]!; u32[sp + 1] = u32[bp + 1]!;
    setRsp(c, above(frame, 8));
    u32[bp] = lo; u32[bp + 1] = hi;
  };
}

function compileEnter(c: ExecContext, insn: Insn): Exec {
  const size = insn.ops[0]!.immLo & 0xffff;
  const level = (insn.ops[1]?.immLo ?? 0) & 31;
  const u32 = c.u32; const bp = c.gi + 2 * RBP;
  if (insn.opSize === 2) return enter16(c, size, level);
  return () => {
    const sp0 = getRsp(c);
    let sp = below(sp0, 8);
    c.wr64(sp, u32[bp]!, u32[bp + 1]!);
    const frameTemp = sp;
    if (level > 0) {
      let rbp = u32[bp + 1]! * TWO32 + u32[bp]!;
      for (let i = 1; i < level; i++) {
        rbp = below(rbp, 8);
        const lo = c.rd64(rbp), hi = c.hi;
        sp = below(sp, 8);
        c.wr64(sp, lo, hi);
      }
      sp = below(sp, 8);
      c.wr64(sp, frameTemp >>> 0, Math.floor(frameTemp / TWO32) >>> 0);
    }
    u32[bp] = frameTemp >>> 0; u32[bp + 1] = Math.floor(frameTemp / TWO32) >>> 0;
    setRsp(c, below(sp, size));
  };
}

/**
 * 66 ENTER: word pushes of BP, of the words below RBP for nesting levels above 1 and of
 * the frame pointer; addresses stay 64-bit (RSP and RBP in full), only BP takes the
 * frame pointer's low word (as the CPU does: RBP's upper 48 bits are kept).
 */
function enter16(c: ExecContext, size: number, level: number): Exec {
  const u32 = c.u32; const bp = c.gi + 2 * RBP;
  return () => {
    let sp = below(getRsp(c), 2);
    c.wr16(sp, u32[bp]! & 0xffff);
    const frameTemp = sp;
    if (level > 0) {
      let rbp = u32[bp + 1]! * TWO32 + u32[bp]!;
      for (let i = 1; i < level; i++) {
        rbp = below(rbp, 2);
        const v = c.rd16(rbp);
        sp = below(sp, 2);
        c.wr16(sp, v);
      }
      sp = below(sp, 2);
      c.wr16(sp, frameTemp & 0xffff);
    }
    u32[bp] = (u32[bp]! & 0xffff0000 | frameTemp & 0xffff) >>> 0;
    setRsp(c, below(sp, size));
  };
}

// ---- branches ----------------------------------------------------------------------------

function compileJmp(c: ExecContext, insn: Insn): Exec {
  const t = insn.ops[0]!;
  if (t.kind === OpKind.Rel) { const target = t.disp; return () => c.setRip(target); }
  const l = wideLoc(c, t, insn.addrSize);
  return () => { const lo = l.read(); c.setRip(c.hi === 0 ? lo : c.hi * TWO32 + lo); };
}

function compileJcc(c: ExecContext, insn: Insn): Exec {
  const pred = condPredicate(insn.cond);
  const cc = insn.cond;
  const target = insn.ops[0]!.disp, next = insn.addr + insn.len;
  const u32 = c.u32, fi = c.fi, ri = c.ri;
  if (target <= 0xffffffff && next <= 0xffffffff) {
    // condTrue inlines into this closure; its switch on the captured cc is cheaper than a call.
    return () => { u32[ri] = condTrue(cc, u32[fi]!) ? target : next; u32[ri + 1] = 0; };
  }
  return () => c.setRip(pred(u32[fi]!) ? target : next);
}

function compileCall(c: ExecContext, insn: Insn): Exec {
  const t = insn.ops[0]!;
  const next = insn.addr + insn.len;
  const nLo = next >>> 0, nHi = Math.floor(next / TWO32) >>> 0;
  if (t.kind === OpKind.Rel) { const target = t.disp; return () => { push64(c, nLo, nHi); c.setRip(target); }; }
  const l = wideLoc(c, t, insn.addrSize);
  return () => {
    const lo = l.read(); const hi = c.hi;
    push64(c, nLo, nHi);
    c.setRip(hi === 0 ? lo : hi * TWO32 + lo);
  };
}

function compileRet(c: ExecContext, insn: Insn): Exec {
  const extra = insn.ops[0]?.kind === OpKind.Imm ? insn.ops[0].immLo & 0xffff : 0;
  return () => {
    const sp = getRsp(c);
    const lo = c.rd64(sp); const hi = c.hi;
    setRsp(c, above(sp, 8 + extra));
    c.setRip(hi === 0 ? lo : hi * TWO32 + lo);
  };
}

/** LOOP/LOOPE/LOOPNE (which: 0, 1, 2) and JRCXZ/JECXZ (which: 3). */
function loopCompiler(which: number) {
  return (c: ExecContext, insn: Insn): Exec => {
    const target = insn.ops[0]!.disp, next = insn.addr + insn.len;
    const u32 = c.u32, fi = c.fi; const i = c.gi + 2 * RCX;
    const ecx = insn.addrSize === 4 || insn.mnemonic === 'Jecxz';
    if (which === 3) {
      return () => c.setRip((ecx ? u32[i]! : u32[i]! | u32[i + 1]!) === 0 ? target : next);
    }
    return () => {
      let lo = u32[i]!, hi = u32[i + 1]!;
      if (ecx) { lo = (lo - 1) >>> 0; hi = 0; } else if (lo === 0) { lo = 0xffffffff; hi = (hi - 1) >>> 0; } else lo--;
      u32[i] = lo; u32[i + 1] = hi;
      const f = u32[fi]!;
      const taken = (lo | hi) !== 0 && (which === 0 || (which === 1 ? (f & ZF) !== 0 : (f & ZF) === 0));
      c.setRip(taken ? target : next);
    };
  };
}

export const controlCompilers: CompilerTable = {
  Push: compilePush,
  Pop: compilePop,
  Pushfq: compilePushf, Pushf: compilePushf,
  Popfq: compilePopf, Popf: compilePopf,
  Leave: compileLeave,
  Enter: compileEnter,
  Jmp: compileJmp,
  Call: compileCall,
  Ret: compileRet,
  Loop: loopCompiler(0),
  Loope: loopCompiler(1),
  Loopne: loopCompiler(2),
  Jrcxz: loopCompiler(3),
  Jecxz: loopCompiler(3),
};
for (const cc of COND_SUFFIX) controlCompilers[`J${cc}`] = compileJcc;
