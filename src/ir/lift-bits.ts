// Bit instructions: BT BTS BTR BTC, BSF BSR, TZCNT LZCNT POPCNT, SHLD SHRD. Flags follow
// the interpreter (src/interp/int/bits.ts, shift.ts) bit for bit, including the values
// it picks for flags the SDM leaves undefined.

import type { Insn } from '../x86/insn.js';
import { OpKind } from '../x86/insn.js';
import { F, intTy, bitsOf } from './ir.js';
import type { LiftCtx } from './lift-ctx.js';

type Lifter = (x: LiftCtx, insn: Insn) => void;

type BitOp = 'test' | 'set' | 'reset' | 'complement';

/** BT/BTS/BTR/BTC: CF = the selected bit; the others flags are left alone. */
function bitTest(op: BitOp): Lifter {
  return (x, insn) => {
    const d = insn.ops[0]!, s = insn.ops[1]!;
    const b = x.b;
    const ty = intTy(d.size);
    const w = bitsOf(ty);
    let addr: number | undefined;
    let n: number;
    if (d.kind === OpKind.Mem && s.kind !== OpKind.Imm) {
      // A register bit offset is signed and may select any operand-sized unit: the one
      // at ea + floor(offset / w) * size holds bit (offset mod w).
      const off = x.read(s);
      const unit = b.bin('shrs', x.sresize(off, 'i64'), x.c('i64', Math.log2(w)));
      addr = b.bin('add', x.addr(d), b.bin('shl', unit, x.c('i64', Math.log2(d.size))));
      n = b.bin('and', off, x.c(ty, w - 1));
    } else {
      if (d.kind === OpKind.Mem) addr = x.addr(d);
      n = s.kind === OpKind.Imm ? x.c(ty, s.immLo & (w - 1)) : b.bin('and', x.resize(x.read(s), ty), x.c(ty, w - 1));
    }
    const v = x.readAt(d, addr);
    const bit = x.i32(b.bin('and', b.bin('shru', v, n), x.c(ty, 1)));
    if (op !== 'test') {
      const m = b.bin('shl', x.c(ty, 1), n);
      const r = op === 'set' ? b.bin('or', v, m) : op === 'reset' ? b.bin('and', v, b.un('not', m)) : b.bin('xor', v, m);
      x.write(d, r, addr);
    }
    x.setFlag(F.CF, bit);
  };
}

type ScanKind = 'bsf' | 'bsr' | 'tzcnt' | 'lzcnt' | 'popcnt';

/** Bit scans and counts; every arithmetic flag is written (the interpreter clears the undefined ones). */
function scan(kind: ScanKind): Lifter {
  return (x, insn) => {
    const d = insn.ops[0]!, s = insn.ops[1]!;
    if (!x.isGpr(d)) x.cannot('scan into a non-GPR');
    const b = x.b;
    const ty = intTy(d.size);
    const w = bitsOf(ty);
    const v = x.read(s);
    const zero = b.test('eqz', v);
    const z32 = x.c('i32', 0);
    let zf: number, cf: number = z32;
    if (kind === 'bsf' || kind === 'bsr') {
      const r = kind === 'bsf' ? b.un('ctz', v) : b.bin('sub', x.c(ty, w - 1), b.un('clz', v));
      // A zero source leaves the whole destination register alone (no zero-extension).
      x.writeIf(d, b.bin('xor', zero, x.c('i32', 1)), r);
      zf = zero;
    } else {
      const r = b.un(kind === 'tzcnt' ? 'ctz' : kind === 'lzcnt' ? 'clz' : 'popcnt', v);
      x.write(d, r);
      if (kind === 'popcnt') zf = zero;
      else { cf = zero; zf = b.test('eqz', r); }
    }
    x.setFlag(F.CF, cf);
    x.setFlag(F.ZF, zf);
    for (const f of [F.PF, F.AF, F.SF, F.OF]) x.setFlag(f, z32);
  };
}

/**
 * SHLD/SHRD at 32 and 64 bits (the 16-bit forms, whose counts above 16 mix the operands
 * in a model-specific way, stay with the interpreter). A masked count of 0 writes the
 * destination back unchanged and keeps every flag; AF is never touched.
 */
function doubleShift(left: boolean): Lifter {
  return (x, insn) => {
    const d = insn.ops[0]!, s = insn.ops[1]!, cnt = insn.ops[2]!;
    if (d.size !== 4 && d.size !== 8) x.cannot('16-bit double shift');
    const b = x.b;
    const ty = intTy(d.size);
    const w = bitsOf(ty);
    const m = w - 1;
    const addr = d.kind === OpKind.Mem ? x.addr(d) : undefined;
    const sv = x.read(s);
    const v = x.readAt(d, addr);
    const k = (i: number): number => x.c(ty, i);
    const bit = (val: number, pos: number): number => x.i32(b.bin('and', b.bin('shru', val, pos), k(1)));
    const compute = (n: number, wn: number, n1: number): [number, number] => {
      const r = left ? b.bin('or', b.bin('shl', v, n), b.bin('shru', sv, wn)) : b.bin('or', b.bin('shru', v, n), b.bin('shl', sv, wn));
      return [r, left ? bit(v, wn) : bit(v, n1)];
    };
    const flags = (r: number, cf: number): [F, number][] => [
      [F.CF, cf], [F.ZF, b.test('eqz', r)], [F.SF, b.test('msb', r)], [F.PF, b.test('parity', r)], [F.OF, b.test('msb', b.bin('xor', r, v))],
    ];
    if (cnt.kind === OpKind.Imm) {
      const n = cnt.immLo & m;
      if (n === 0) { x.write(d, v, addr); return; }
      const [r, cf] = compute(k(n), k(w - n), k(n - 1));
      x.write(d, r, addr);
      for (const [f, val] of flags(r, cf)) x.setFlag(f, val);
      return;
    }
    const n = b.bin('and', x.resize(x.read(cnt, 1), ty), k(m));
    const isZero = b.test('eqz', n);
    const [r0, cf] = compute(n, b.bin('sub', k(w), n), b.bin('sub', n, k(1)));
    const r = b.select(isZero, v, r0);
    x.write(d, r, addr);
    for (const [f, val] of flags(r, cf)) x.setFlag(f, b.select(isZero, b.getflag(f), val));
  };
}

export const bitLifters: Record<string, Lifter> = {
  Bt: bitTest('test'), Bts: bitTest('set'), Btr: bitTest('reset'), Btc: bitTest('complement'),
  Bsf: scan('bsf'), Bsr: scan('bsr'), Tzcnt: scan('tzcnt'), Lzcnt: scan('lzcnt'), Popcnt: scan('popcnt'),
  Shld: doubleShift(true), Shrd: doubleShift(false),
};
