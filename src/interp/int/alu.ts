// ADD OR ADC SBB AND SUB XOR CMP TEST INC DEC NEG NOT.
//
// Register and immediate forms at 32 and 64 bits get hand-specialised closures (the
// hot path of compiled C); every other form goes through the generic operand
// accessors.

import type { ExecContext } from '../context.js';
import type { Insn, Operand } from '../../x86/insn.js';
import { OpKind } from '../../x86/insn.js';
import type { CompilerTable, Exec } from './types.js';
import { narrowLoc, wideLoc, isGpr } from './operands.js';
import {
  AF, CF, OF, PARITY, ZF, SF, addFlags, subFlags, szp, szp64, maskOf, signOf,
  add32Flags, sub32Flags, logic32Flags,
} from './flags.js';

const enum Alu { Add, Or, Adc, Sbb, And, Sub, Xor, Cmp, Test }

// ---- narrow (1, 2, 4 bytes) ----------------------------------------------------------

/** Computes a op b for a narrow width, sets the flags, returns the masked result. */
function narrowOp(kind: Alu, c: ExecContext, a: number, b: number, m: number, sb: number): number {
  switch (kind) {
    case Alu.Add: { const s = a + b; const r = (s & m) >>> 0; c.setArith(addFlags(a, b, r, s, m, sb)); return r; }
    case Alu.Adc: { const s = a + b + (c.u32[c.fi]! & CF); const r = (s & m) >>> 0; c.setArith(addFlags(a, b, r, s, m, sb)); return r; }
    case Alu.Sub: case Alu.Cmp: { const r = ((a - b) & m) >>> 0; c.setArith(subFlags(a, b, r, a < b, sb)); return r; }
    case Alu.Sbb: {
      const cin = c.u32[c.fi]! & CF;
      const r = ((a - b - cin) & m) >>> 0;
      c.setArith(subFlags(a, b, r, a < b + cin, sb));
      return r;
    }
    case Alu.And: case Alu.Test: { const r = (a & b & m) >>> 0; c.setArith(szp(r, sb)); return r; }
    case Alu.Or: { const r = ((a | b) & m) >>> 0; c.setArith(szp(r, sb)); return r; }
    default: { const r = ((a ^ b) & m) >>> 0; c.setArith(szp(r, sb)); return r; }
  }
}

// ---- 64-bit --------------------------------------------------------------------------

/** a op b on 64-bit halves; sets flags, returns the low half, leaves the high half in c.hi. */
function wideOp(kind: Alu, c: ExecContext, aLo: number, aHi: number, bLo: number, bHi: number): number {
  switch (kind) {
    case Alu.Add: case Alu.Adc: {
      const cin = kind === Alu.Adc ? c.u32[c.fi]! & CF : 0;
      const ls = aLo + bLo + cin; const lo = ls >>> 0;
      const hs = aHi + bHi + (ls > 0xffffffff ? 1 : 0); const hi = hs >>> 0;
      c.hi = hi;
      c.setArith((hs > 0xffffffff ? CF : 0) | szp64(lo, hi) | ((aLo ^ bLo ^ lo) & AF)
        | ((aHi ^ hi) & (bHi ^ hi) & 0x80000000 ? OF : 0));
      return lo;
    }
    case Alu.Sub: case Alu.Cmp: case Alu.Sbb: {
      const bin = kind === Alu.Sbb ? c.u32[c.fi]! & CF : 0;
      const ls = aLo - bLo - bin; const lo = ls >>> 0;
      const hs = aHi - bHi - (ls < 0 ? 1 : 0); const hi = hs >>> 0;
      c.hi = hi;
      c.setArith((hs < 0 ? CF : 0) | szp64(lo, hi) | ((aLo ^ bLo ^ lo) & AF)
        | ((aHi ^ bHi) & (aHi ^ hi) & 0x80000000 ? OF : 0));
      return lo;
    }
    case Alu.And: case Alu.Test: { const lo = (aLo & bLo) >>> 0, hi = (aHi & bHi) >>> 0; c.hi = hi; c.setArith(szp64(lo, hi)); return lo; }
    case Alu.Or: { const lo = (aLo | bLo) >>> 0, hi = (aHi | bHi) >>> 0; c.hi = hi; c.setArith(szp64(lo, hi)); return lo; }
    default: { const lo = (aLo ^ bLo) >>> 0, hi = (aHi ^ bHi) >>> 0; c.hi = hi; c.setArith(szp64(lo, hi)); return lo; }
  }
}

// ---- compilers -------------------------------------------------------------------------

function compileBinary(kind: Alu) {
  return (c: ExecContext, insn: Insn): Exec | undefined => {
    const d = insn.ops[0]!, s = insn.ops[1]!;
    const writes = kind !== Alu.Cmp && kind !== Alu.Test;
    const fast = fastBinary(kind, c, d, s, writes);
    if (fast) return fast;
    const size = d.size;
    if (size === 8) {
      const dl = wideLoc(c, d, insn.addrSize), sl = wideLoc(c, s, insn.addrSize);
      if (!writes) return () => { const bLo = sl.read(), bHi = c.hi; const aLo = dl.read(); wideOp(kind, c, aLo, c.hi, bLo, bHi); };
      return () => {
        const bLo = sl.read(), bHi = c.hi;
        const aLo = dl.read();
        const lo = wideOp(kind, c, aLo, c.hi, bLo, bHi);
        dl.writeBack(lo, c.hi);
      };
    }
    const m = maskOf(size), sb = signOf(size);
    const dl = narrowLoc(c, d, insn.addrSize), sl = narrowLoc(c, s, insn.addrSize, size);
    if (!writes) return () => { const b = sl.read(); narrowOp(kind, c, dl.read(), b, m, sb); };
    // XOR r,r / SUB r,r: the classic zeroing idiom still sets flags normally.
    return () => { const b = sl.read(); dl.writeBack(narrowOp(kind, c, dl.read(), b, m, sb)); };
  };
}

/** Specialised closures for reg-reg and reg-imm forms at 32 and 64 bits. */
function fastBinary(kind: Alu, c: ExecContext, d: Operand, s: Operand, writes: boolean): Exec | undefined {
  if (!isGpr(d) || (d.size !== 4 && d.size !== 8)) return undefined;
  if (!(isGpr(s) || s.kind === OpKind.Imm)) return undefined;
  const u32 = c.u32, fi = c.fi;
  const di = c.gi + 2 * d.reg;
  if (d.size === 4) {
    const si = s.kind === OpKind.Imm ? -1 : c.gi + 2 * s.reg;
    const imm = s.immLo >>> 0;
    switch (kind) {
      case Alu.Add:
        if (si < 0) return () => { const a = u32[di]!; const r = (a + imm) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d5) | add32Flags(a, imm, r); };
        return () => { const a = u32[di]!, b = u32[si]!; const r = (a + b) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d5) | add32Flags(a, b, r); };
      case Alu.Sub:
        if (si < 0) return () => { const a = u32[di]!; const r = (a - imm) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d5) | sub32Flags(a, imm, r); };
        return () => { const a = u32[di]!, b = u32[si]!; const r = (a - b) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d5) | sub32Flags(a, b, r); };
      case Alu.Cmp:
        if (si < 0) return () => { const a = u32[di]!; u32[fi] = (u32[fi]! & ~0x8d5) | sub32Flags(a, imm, (a - imm) >>> 0); };
        return () => { const a = u32[di]!, b = u32[si]!; u32[fi] = (u32[fi]! & ~0x8d5) | sub32Flags(a, b, (a - b) >>> 0); };
      case Alu.And: case Alu.Test: {
        if (si < 0) {
          if (!writes) return () => { u32[fi] = (u32[fi]! & ~0x8d5) | logic32Flags((u32[di]! & imm) >>> 0); };
          return () => { const r = (u32[di]! & imm) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d5) | logic32Flags(r); };
        }
        if (!writes) return () => { u32[fi] = (u32[fi]! & ~0x8d5) | logic32Flags((u32[di]! & u32[si]!) >>> 0); };
        return () => { const r = (u32[di]! & u32[si]!) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d5) | logic32Flags(r); };
      }
      case Alu.Or:
        if (si < 0) return () => { const r = (u32[di]! | imm) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d5) | logic32Flags(r); };
        return () => { const r = (u32[di]! | u32[si]!) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d5) | logic32Flags(r); };
      case Alu.Xor:
        if (si < 0) return () => { const r = (u32[di]! ^ imm) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d5) | logic32Flags(r); };
        return () => { const r = (u32[di]! ^ u32[si]!) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d5) | logic32Flags(r); };
      default: return undefined;
    }
  }
  // 64-bit
  const si = s.kind === OpKind.Imm ? -1 : c.gi + 2 * s.reg;
  const immLo = s.immLo >>> 0, immHi = s.immHi >>> 0;
  switch (kind) {
    case Alu.Add: case Alu.Sub: case Alu.Cmp:
      return () => {
        const bLo = si < 0 ? immLo : u32[si]!, bHi = si < 0 ? immHi : u32[si + 1]!;
        const lo = wideOp(kind, c, u32[di]!, u32[di + 1]!, bLo, bHi);
        if (writes) { u32[di] = lo; u32[di + 1] = c.hi; }
      };
    case Alu.And: case Alu.Test: case Alu.Or: case Alu.Xor:
      return () => {
        const bLo = si < 0 ? immLo : u32[si]!, bHi = si < 0 ? immHi : u32[si + 1]!;
        const aLo = u32[di]!, aHi = u32[di + 1]!;
        const lo = kind === Alu.Or ? (aLo | bLo) >>> 0 : kind === Alu.Xor ? (aLo ^ bLo) >>> 0 : (aLo & bLo) >>> 0;
        const hi = kind === Alu.Or ? (aHi | bHi) >>> 0 : kind === Alu.Xor ? (aHi ^ bHi) >>> 0 : (aHi & bHi) >>> 0;
        if (writes) { u32[di] = lo; u32[di + 1] = hi; }
        u32[fi] = (u32[fi]! & ~0x8d5) | ((lo | hi) === 0 ? ZF : 0) | (hi & 0x80000000 ? SF : 0) | PARITY[lo & 0xff]!;
      };
    default: return undefined;
  }
}

/** INC / DEC: like ADD/SUB 1 but CF is preserved. */
function compileIncDec(dec: boolean) {
  return (c: ExecContext, insn: Insn): Exec => {
    const d = insn.ops[0]!;
    const u32 = c.u32, fi = c.fi;
    if (d.size === 8) {
      const l = wideLoc(c, d, insn.addrSize);
      return () => {
        const aLo = l.read(), aHi = c.hi;
        const cf = u32[fi]! & CF;
        const lo = wideOp(dec ? Alu.Sub : Alu.Add, c, aLo, aHi, 1, 0);
        l.writeBack(lo, c.hi);
        u32[fi] = (u32[fi]! & ~CF) | cf;
      };
    }
    if (d.size === 4 && isGpr(d)) {
      const di = c.gi + 2 * d.reg;
      if (dec) return () => { const a = u32[di]!; const r = (a - 1) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d4) | (sub32Flags(a, 1, r) & ~CF); };
      return () => { const a = u32[di]!; const r = (a + 1) >>> 0; u32[di] = r; u32[di + 1] = 0; u32[fi] = (u32[fi]! & ~0x8d4) | (add32Flags(a, 1, r) & ~CF); };
    }
    const m = maskOf(d.size), sb = signOf(d.size);
    const l = narrowLoc(c, d, insn.addrSize);
    return () => {
      const a = l.read();
      const r = ((dec ? a - 1 : a + 1) & m) >>> 0;
      l.writeBack(r);
      const f = dec ? subFlags(a, 1, r, false, sb) : addFlags(a, 1, r, a + 1, m, sb);
      u32[fi] = (u32[fi]! & ~0x8d4) | (f & ~CF);
    };
  };
}

function compileNeg(c: ExecContext, insn: Insn): Exec {
  const d = insn.ops[0]!;
  if (d.size === 8) {
    const l = wideLoc(c, d, insn.addrSize);
    return () => { const aLo = l.read(), aHi = c.hi; const lo = wideOp(Alu.Sub, c, 0, 0, aLo, aHi); l.writeBack(lo, c.hi); };
  }
  const m = maskOf(d.size), sb = signOf(d.size);
  const l = narrowLoc(c, d, insn.addrSize);
  return () => { const a = l.read(); const r = ((0 - a) & m) >>> 0; l.writeBack(r); c.setArith(subFlags(0, a, r, a !== 0, sb)); };
}

function compileNot(c: ExecContext, insn: Insn): Exec {
  const d = insn.ops[0]!;
  if (d.size === 8) {
    const l = wideLoc(c, d, insn.addrSize);
    return () => { const lo = ~l.read() >>> 0; l.writeBack(lo, ~c.hi >>> 0); };
  }
  const m = maskOf(d.size);
  const l = narrowLoc(c, d, insn.addrSize);
  return () => { l.writeBack((~l.read() & m) >>> 0); };
}

export const aluCompilers: CompilerTable = {
  Add: compileBinary(Alu.Add),
  Or: compileBinary(Alu.Or),
  Adc: compileBinary(Alu.Adc),
  Sbb: compileBinary(Alu.Sbb),
  And: compileBinary(Alu.And),
  Sub: compileBinary(Alu.Sub),
  Xor: compileBinary(Alu.Xor),
  Cmp: compileBinary(Alu.Cmp),
  Test: compileBinary(Alu.Test),
  Inc: compileIncDec(false),
  Dec: compileIncDec(true),
  Neg: compileNeg,
  Not: compileNot,
};

export { wideOp, narrowOp, Alu };
