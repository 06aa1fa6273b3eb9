// BT BTS BTR BTC, BSF BSR, TZCNT LZCNT POPCNT.

import type { ExecContext } from '../context.js';
import type { Insn } from '../../x86/insn.js';
import { OpKind } from '../../x86/insn.js';
import type { CompilerTable, Exec } from './types.js';
import { narrowLoc, wideLoc, compileEa } from './operands.js';
import { CF, ZF, ARITH } from './flags.js';

const TWO32 = 0x100000000;
const enum BitOp { Test, Set, Reset, Complement }

function apply(op: BitOp, v: number, mask: number): number {
  switch (op) {
    case BitOp.Set: return (v | mask) >>> 0;
    case BitOp.Reset: return (v & ~mask) >>> 0;
    case BitOp.Complement: return (v ^ mask) >>> 0;
    default: return v;
  }
}

function setCf(c: ExecContext, bit: number): void {
  const fi = c.fi;
  c.u32[fi] = (c.u32[fi]! & ~CF) | bit;
}

function compileBt(op: BitOp) {
  return (c: ExecContext, insn: Insn): Exec => {
    const d = insn.ops[0]!, s = insn.ops[1]!;
    const size = d.size, w = size * 8;
    if (d.kind === OpKind.Mem && s.kind === OpKind.Reg) {
      // A register bit offset is signed and may address memory outside the operand:
      // the operand-sized unit at ea + floor(offset / w) * size holds bit offset mod w.
      const ea = compileEa(c, d, insn.addrSize);
      const u32 = c.u32; const si = c.gi + 2 * s.reg;
      const offset = size === 8 ? () => (u32[si + 1]! | 0) * TWO32 + u32[si]!
        : size === 4 ? () => u32[si]! | 0 : () => (c.u16[(c.gb >>> 1) + 4 * s.reg]! << 16) >> 16;
      const wrapped = (a: number): number => (a < 0 ? a + 2 ** 64 : a);
      return () => {
        const off = offset();
        const unit = Math.floor(off / w);
        const bitNo = off - unit * w;
        const a = wrapped(ea() + unit * size);
        if (size === 8) {
          const lo = c.rd64(a), hi = c.hi;
          const inHi = bitNo >= 32, m = (1 << (bitNo & 31)) >>> 0;
          const bit = ((inHi ? hi : lo) & m) !== 0 ? 1 : 0;
          if (op !== BitOp.Test) c.wr64(a, inHi ? lo : apply(op, lo, m), inHi ? apply(op, hi, m) : hi);
          setCf(c, bit);
          return;
        }
        const v = c.rdN(a, size);
        const m = (1 << bitNo) >>> 0;
        if (op !== BitOp.Test) c.wrN(a, size, apply(op, v, m));
        setCf(c, (v & m) !== 0 ? 1 : 0);
      };
    }
    const count = s.kind === OpKind.Imm ? ((n: number) => () => n)(s.immLo & (w - 1))
      : ((sl) => () => sl.read() & (w - 1))(narrowLoc(c, s, insn.addrSize));
    if (size === 8) {
      const l = wideLoc(c, d, insn.addrSize);
      return () => {
        const n = count();
        const lo = l.read(), hi = c.hi;
        const inHi = n >= 32, m = (1 << (n & 31)) >>> 0;
        const bit = ((inHi ? hi : lo) & m) !== 0 ? 1 : 0;
        if (op !== BitOp.Test) l.writeBack(inHi ? lo : apply(op, lo, m), inHi ? apply(op, hi, m) : hi);
        setCf(c, bit);
      };
    }
    const l = narrowLoc(c, d, insn.addrSize);
    return () => {
      const n = count();
      const v = l.read();
      const m = (1 << n) >>> 0;
      if (op !== BitOp.Test) l.writeBack(apply(op, v, m));
      setCf(c, (v & m) !== 0 ? 1 : 0);
    };
  };
}

const enum Scan { Bsf, Bsr, Tzcnt, Lzcnt, Popcnt }

function popcnt32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

function compileScan(kind: Scan) {
  return (c: ExecContext, insn: Insn): Exec => {
    const d = insn.ops[0]!, s = insn.ops[1]!;
    const size = d.size, w = size * 8;
    let read: () => number; // returns low half; for 64-bit sources the high half is in c.hi
    if (size === 8) { const l = wideLoc(c, s, insn.addrSize); read = () => l.read(); } else { const l = narrowLoc(c, s, insn.addrSize); read = () => { c.hi = 0; return l.read(); }; }
    const dl = size === 8 ? wideLoc(c, d, insn.addrSize) : undefined;
    const nl = size === 8 ? undefined : narrowLoc(c, d, insn.addrSize);
    const write = (v: number): void => { if (dl) dl.write(v, 0); else nl!.write(v); };
    const u32 = c.u32, fi = c.fi;
    return () => {
      const lo = read(), hi = c.hi;
      const zero = (lo | hi) === 0;
      // Position of the lowest / highest set bit over the whole operand.
      const low = lo !== 0 ? 31 - Math.clz32(lo & -lo) : hi !== 0 ? 63 - Math.clz32(hi & -hi) : w;
      const high = hi !== 0 ? 63 - Math.clz32(hi) : lo !== 0 ? 31 - Math.clz32(lo) : -1;
      const f = u32[fi]! & ~ARITH;
      switch (kind) {
        case Scan.Bsf: case Scan.Bsr:
          // Zero source: the destination is left unchanged (AMD documents this; Intel
          // hardware behaves the same) and ZF=1.
          if (zero) { u32[fi] = f | ZF; return; }
          write(kind === Scan.Bsf ? low : high);
          u32[fi] = f;
          return;
        case Scan.Tzcnt: case Scan.Lzcnt: {
          const r = kind === Scan.Tzcnt ? low : w - 1 - high;
          write(r);
          u32[fi] = f | (zero ? CF : 0) | (r === 0 ? ZF : 0);
          return;
        }
        default: {
          write(popcnt32(lo) + popcnt32(hi));
          u32[fi] = f | (zero ? ZF : 0);
        }
      }
    };
  };
}

export const bitCompilers: CompilerTable = {
  Bt: compileBt(BitOp.Test),
  Bts: compileBt(BitOp.Set),
  Btr: compileBt(BitOp.Reset),
  Btc: compileBt(BitOp.Complement),
  Bsf: compileScan(Scan.Bsf),
  Bsr: compileScan(Scan.Bsr),
  Tzcnt: compileScan(Scan.Tzcnt),
  Lzcnt: compileScan(Scan.Lzcnt),
  Popcnt: compileScan(Scan.Popcnt),
};
