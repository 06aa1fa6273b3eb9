// MOV MOVZX MOVSX MOVSXD CMOVcc XCHG BSWAP LEA SETcc XLAT, sign extensions of the
// accumulator (CBW CWDE CDQE CWD CDQ CQO) and the flag instructions (CLC STC CMC CLD
// STD LAHF SAHF).

import type { ExecContext } from '../context.js';
import type { Insn, Operand } from '../../x86/insn.js';
import { OpKind, Seg, COND_SUFFIX } from '../../x86/insn.js';
import type { CompilerTable, Exec } from './types.js';
import { narrowLoc, wideLoc, isGpr, compileEa } from './operands.js';
import { condPredicate, CF, DF } from './flags.js';

function compileMov(c: ExecContext, insn: Insn): Exec | undefined {
  const d = insn.ops[0]!, s = insn.ops[1]!;
  if (!(isGpr(d) || d.kind === OpKind.Mem) || !(isGpr(s) || s.kind === OpKind.Mem || s.kind === OpKind.Imm)) return undefined;
  const u32 = c.u32;
  if (d.size === 8) {
    if (isGpr(d)) {
      const di = c.gi + 2 * d.reg;
      if (isGpr(s)) { const si = c.gi + 2 * s.reg; return () => { u32[di] = u32[si]!; u32[di + 1] = u32[si + 1]!; }; }
      if (s.kind === OpKind.Imm) { const lo = s.immLo >>> 0, hi = s.immHi >>> 0; return () => { u32[di] = lo; u32[di + 1] = hi; }; }
      const ea = compileEa(c, s, insn.addrSize);
      return () => { const lo = c.rd64(ea()); u32[di] = lo; u32[di + 1] = c.hi; };
    }
    const sl = wideLoc(c, s, insn.addrSize);
    const ea = compileEa(c, d, insn.addrSize);
    return () => { const lo = sl.read(); c.wr64(ea(), lo, c.hi); };
  }
  if (d.size === 4 && isGpr(d)) {
    const di = c.gi + 2 * d.reg;
    if (isGpr(s)) { const si = c.gi + 2 * s.reg; return () => { u32[di] = u32[si]!; u32[di + 1] = 0; }; }
    if (s.kind === OpKind.Imm) { const v = s.immLo >>> 0; return () => { u32[di] = v; u32[di + 1] = 0; }; }
    const ea = compileEa(c, s, insn.addrSize);
    return () => { const v = c.rd32(ea()); u32[di] = v; u32[di + 1] = 0; };
  }
  const dl = narrowLoc(c, d, insn.addrSize), sl = narrowLoc(c, s, insn.addrSize, d.size);
  return () => dl.write(sl.read());
}

/** Writes a value already extended to 64 bits (as a signed 32-bit `v` plus sign) or narrow. */
function extendCompiler(signed: boolean) {
  return (c: ExecContext, insn: Insn): Exec => {
    const d = insn.ops[0]!, s = insn.ops[1]!;
    const sl = narrowLoc(c, s, insn.addrSize);
    const ss = s.size;
    const ext = signed
      ? (ss === 1 ? (v: number) => (v << 24) >> 24 : ss === 2 ? (v: number) => (v << 16) >> 16 : (v: number) => v | 0)
      : (v: number) => v;
    if (d.size === 8) {
      const dl = wideLoc(c, d, insn.addrSize);
      return () => { const v = ext(sl.read()); dl.write(v >>> 0, v < 0 ? 0xffffffff : 0); };
    }
    const dl = narrowLoc(c, d, insn.addrSize);
    const m = d.size === 4 ? 0xffffffff : 0xffff;
    return () => dl.write((ext(sl.read()) & m) >>> 0);
  };
}

function compileCmov(c: ExecContext, insn: Insn): Exec {
  const d = insn.ops[0]!, s = insn.ops[1]!;
  const pred = condPredicate(insn.cond);
  const u32 = c.u32, fi = c.fi;
  const di = c.gi + 2 * d.reg;
  if (d.size === 8) {
    const sl = wideLoc(c, s, insn.addrSize);
    return () => { const lo = sl.read(); if (pred(u32[fi]!)) { u32[di] = lo; u32[di + 1] = c.hi; } };
  }
  const sl = narrowLoc(c, s, insn.addrSize);
  if (d.size === 4) {
    // The source is always read (a memory source faults even when the condition is
    // false) and the 32-bit destination is always written, so its upper half clears.
    return () => { const v = sl.read(); if (pred(u32[fi]!)) u32[di] = v; u32[di + 1] = 0; };
  }
  const dl = narrowLoc(c, d, insn.addrSize);
  return () => { const v = sl.read(); if (pred(u32[fi]!)) dl.write(v); };
}

function compileXchg(c: ExecContext, insn: Insn): Exec {
  // Memory first (it may fault, and then nothing has changed), registers after.
  let a = insn.ops[0]!, b = insn.ops[1]!;
  if (b.kind === OpKind.Mem) [a, b] = [b, a];
  if (a.size === 8) {
    const al = wideLoc(c, a, insn.addrSize), bl = wideLoc(c, b, insn.addrSize);
    return () => {
      const bLo = bl.read(), bHi = c.hi;
      const aLo = al.read(), aHi = c.hi;
      al.writeBack(bLo, bHi);
      bl.writeBack(aLo, aHi);
    };
  }
  const al = narrowLoc(c, a, insn.addrSize), bl = narrowLoc(c, b, insn.addrSize);
  return () => { const bv = bl.read(); const av = al.read(); al.writeBack(bv); bl.writeBack(av); };
}

function bswap32(v: number): number {
  return ((v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

function compileBswap(c: ExecContext, insn: Insn): Exec {
  const d = insn.ops[0]!;
  const u32 = c.u32; const i = c.gi + 2 * d.reg;
  if (d.size === 8) return () => { const lo = u32[i]!, hi = u32[i + 1]!; u32[i] = bswap32(hi); u32[i + 1] = bswap32(lo); };
  if (d.size === 4) return () => { u32[i] = bswap32(u32[i]!); u32[i + 1] = 0; };
  // BSWAP r16 is undefined by the SDM; Intel and AMD hardware both clear the register.
  const u16 = c.u16; const j = (c.gb >>> 1) + 4 * d.reg;
  return () => { u16[j] = 0; };
}

function compileLea(c: ExecContext, insn: Insn): Exec {
  const d = insn.ops[0]!, s = insn.ops[1]!;
  const u32 = c.u32;
  const di = c.gi + 2 * d.reg;
  // LEA computes the offset only: segment overrides do not apply.
  const op: Operand = s.seg === Seg.None ? s : { ...s, seg: Seg.None };
  if (insn.addrSize === 4 || d.size !== 8) {
    const ea = insn.addrSize === 4 ? compileEa(c, op, 4) : exactLow32(c, op);
    if (d.size === 2) { const u16 = c.u16; const j = (c.gb >>> 1) + 4 * d.reg; return () => { u16[j] = ea(); }; }
    return () => { u32[di] = ea(); u32[di + 1] = 0; };
  }
  // 64-bit result, exact in halves.
  const b = op.base >= 0 ? c.gi + 2 * op.base : -1;
  const x = op.index >= 0 ? c.gi + 2 * op.index : -1;
  const scale = op.scale;
  const dLo = op.disp >>> 0;
  const dHi = op.ripRelative ? Math.floor(op.disp / 0x100000000) >>> 0 : op.disp < 0 ? 0xffffffff : 0;
  if (x < 0 && b >= 0) {
    const disp = op.disp;
    return () => {
      const hi = u32[b + 1]!;
      const lo = u32[b]! + disp;
      if (hi === 0 && lo >= 0 && lo <= 0xffffffff) { u32[di] = lo; u32[di + 1] = 0; return; }
      const l2 = u32[b]! + dLo;
      u32[di] = l2 >>> 0;
      u32[di + 1] = (hi + dHi + (l2 > 0xffffffff ? 1 : 0)) >>> 0;
    };
  }
  return () => {
    let lo = dLo, hi = dHi;
    if (b >= 0) { lo += u32[b]!; hi += u32[b + 1]!; }
    if (x >= 0) { lo += u32[x]! * scale; hi += u32[x + 1]! * scale; }
    u32[di] = lo >>> 0;
    u32[di + 1] = (hi + Math.floor(lo / 0x100000000)) >>> 0;
  };
}

/** The low 32 bits of a 64-bit address computation (LEA with a 32/16-bit destination). */
function exactLow32(c: ExecContext, op: Operand): () => number {
  const u32 = c.u32;
  const b = op.base >= 0 ? c.gi + 2 * op.base : -1;
  const x = op.index >= 0 ? c.gi + 2 * op.index : -1;
  const scale = op.scale, disp = op.disp;
  return () => {
    let a = disp;
    if (b >= 0) a += u32[b]!;
    if (x >= 0) a += u32[x]! * scale;
    return a >>> 0;
  };
}

function compileSetcc(c: ExecContext, insn: Insn): Exec {
  const pred = condPredicate(insn.cond);
  const l = narrowLoc(c, insn.ops[0]!, insn.addrSize, 1);
  const u32 = c.u32, fi = c.fi;
  return () => l.write(pred(u32[fi]!) ? 1 : 0);
}

function compileXlat(c: ExecContext, insn: Insn): Exec {
  const u32 = c.u32, u8 = c.u8;
  const seg = insn.ops[0]?.seg ?? Seg.None;
  const al = c.gb; const rbx = c.gi + 6;
  return () => {
    let a = insn.addrSize === 4 ? (u32[rbx]! + u8[al]!) >>> 0 : u32[rbx + 1]! * 0x100000000 + u32[rbx]! + u8[al]!;
    if (seg === Seg.Gs) a += c.st.gsBase; else if (seg === Seg.Fs) a += c.st.fsBase;
    if (a >= 2 ** 64) a -= 2 ** 64; // 64-bit wrap-around (a base near 2^64)
    u8[al] = c.rd8(a);
  };
}

function compileAccExtend(c: ExecContext, insn: Insn): Exec {
  const u32 = c.u32, u16 = c.u16, u8 = c.u8, g = c.gi;
  const rax = g, rdx = g + 4, ax = c.gb >>> 1, dx = ax + 8;
  switch (insn.mnemonic) {
    case 'Cbw': return () => { u16[ax] = ((u8[c.gb]! << 24) >> 24) & 0xffff; };
    case 'Cwde': return () => { u32[rax] = ((u16[ax]! << 16) >> 16) >>> 0; u32[rax + 1] = 0; };
    case 'Cdqe': return () => { u32[rax + 1] = u32[rax]! & 0x80000000 ? 0xffffffff : 0; };
    case 'Cwd': return () => { u16[dx] = u16[ax]! & 0x8000 ? 0xffff : 0; };
    case 'Cdq': return () => { u32[rdx] = u32[rax]! & 0x80000000 ? 0xffffffff : 0; u32[rdx + 1] = 0; };
    default: return () => { const s = u32[rax + 1]! & 0x80000000 ? 0xffffffff : 0; u32[rdx] = s; u32[rdx + 1] = s; };
  }
}

function compileFlagOp(c: ExecContext, insn: Insn): Exec {
  const u32 = c.u32, fi = c.fi, u8 = c.u8, ah = c.gb + 1;
  switch (insn.mnemonic) {
    case 'Clc': return () => { u32[fi] = u32[fi]! & ~CF; };
    case 'Stc': return () => { u32[fi] = u32[fi]! | CF; };
    case 'Cmc': return () => { u32[fi] = u32[fi]! ^ CF; };
    case 'Cld': return () => { u32[fi] = u32[fi]! & ~DF; };
    case 'Std': return () => { u32[fi] = u32[fi]! | DF; };
    // LAHF: AH = SF:ZF:0:AF:0:PF:1:CF.
    case 'Lahf': return () => { u8[ah] = (u32[fi]! & 0xd5) | 2; };
    default: return () => { u32[fi] = (u32[fi]! & ~0xd5) | (u8[ah]! & 0xd5); }; // SAHF
  }
}

export const moveCompilers: CompilerTable = {
  Mov: compileMov,
  Movzx: extendCompiler(false),
  Movsx: extendCompiler(true),
  Movsxd: extendCompiler(true),
  Xchg: compileXchg,
  Bswap: compileBswap,
  Lea: compileLea,
  Xlatb: compileXlat,
  Cbw: compileAccExtend, Cwde: compileAccExtend, Cdqe: compileAccExtend,
  Cwd: compileAccExtend, Cdq: compileAccExtend, Cqo: compileAccExtend,
  Clc: compileFlagOp, Stc: compileFlagOp, Cmc: compileFlagOp, Cld: compileFlagOp, Std: compileFlagOp,
  Lahf: compileFlagOp, Sahf: compileFlagOp,
};
for (const cc of COND_SUFFIX) {
  moveCompilers[`Cmov${cc}`] = compileCmov;
  moveCompilers[`Set${cc}`] = compileSetcc;
}
