// What every instruction lifter works with: the builder, operand access (registers with
// x86-64 merge rules, memory with the address computation spelt out), flag
// computations matching the interpreter bit for bit, and condition codes, fused with
// the compare that set the flags when it is in the same block.

import type { Insn, Operand } from '../x86/insn.js';
import { OpKind, RegClass, Seg } from '../x86/insn.js';
import type { Ty } from './ir.js';
import { F, REG_FSBASE, REG_GSBASE, intTy, bitsOf } from './ir.js';
import { Builder } from './builder.js';

/** Thrown by a lifter for a form it does not translate; the block then hands over to the interpreter there. */
export class CannotLift extends Error {
  constructor(why: string) { super(why); this.name = 'CannotLift'; }
}

/** The last flag-setting operation in this block, kept so a following Jcc/SETcc/CMOVcc can test it directly. */
interface FlagSource {
  kind: 'sub' | 'logic' | 'add' | 'incdec';
  a: number;
  b: number;
  r: number;
}

export class LiftCtx {
  insn!: Insn;
  /**
   * Flags (bit per F) that a later instruction of the block overwrites before any read
   * (./lift-flags.ts): flagsAdd/Sub/Logic do not compute them.
   */
  deadFlags = 0;
  private flagSrc: FlagSource | undefined;
  constructor(readonly b: Builder) {}

  begin(insn: Insn): void { this.insn = insn; }
  cannot(why: string): never { throw new CannotLift(why); }

  // ---- values --------------------------------------------------------------------------

  c(ty: Ty, v: bigint | number): number { return this.b.const(ty, v); }
  /** zero-extend or truncate an integer value to `ty`. */
  resize(v: number, ty: Ty): number {
    const from = this.b.ty(v);
    if (from === ty) return v;
    return bitsOf(from) < bitsOf(ty) ? this.b.conv('zext', ty, v) : this.b.conv('trunc', ty, v);
  }
  sresize(v: number, ty: Ty): number {
    const from = this.b.ty(v);
    if (from === ty) return v;
    return bitsOf(from) < bitsOf(ty) ? this.b.conv('sext', ty, v) : this.b.conv('trunc', ty, v);
  }
  /** An integer value as i32 (for flags): the low bits or zero-extended. */
  i32(v: number): number { return this.resize(v, 'i32'); }

  // ---- operands ------------------------------------------------------------------------

  isGpr(op: Operand): boolean { return op.kind === OpKind.Reg && (op.regClass === RegClass.Gpr || op.regClass === RegClass.GprHigh8); }

  /**
   * The linear address of a memory operand as an i64 value: the offset (truncated to 32
   * bits with a 67 prefix), plus the FS/GS base unless `segment` is false (LEA).
   */
  addr(op: Operand, segment = true): number {
    const b = this.b;
    if (op.kind !== OpKind.Mem) this.cannot('not a memory operand');
    let a: number | undefined;
    const add = (v: number): void => { a = a === undefined ? v : b.bin('add', a, v); };
    if (op.base >= 0) add(b.getreg(op.base));
    if (op.index >= 0) {
      const idx = b.getreg(op.index);
      add(op.scale === 1 ? idx : b.bin('shl', idx, this.c('i64', Math.log2(op.scale))));
    }
    const disp = op.ripRelative ? BigInt(op.disp) : BigInt.asUintN(64, BigInt(op.disp));
    if (a === undefined) a = this.c('i64', disp);
    else if (disp !== 0n) a = b.bin('add', a, this.c('i64', disp));
    if (this.insn.addrSize === 4) a = b.conv('zext', 'i64', b.conv('trunc', 'i32', a));
    if (segment && op.seg === Seg.Gs) a = b.bin('add', a, b.getreg(REG_GSBASE));
    else if (segment && op.seg === Seg.Fs) a = b.bin('add', a, b.getreg(REG_FSBASE));
    return a;
  }

  /** Reads an integer operand as a value of `size` bytes (default: the operand's size). */
  read(op: Operand, size = op.size): number {
    const ty = intTy(size);
    const b = this.b;
    switch (op.kind) {
      case OpKind.Imm: return this.c(ty, (BigInt(op.immHi >>> 0) << 32n) | BigInt(op.immLo >>> 0));
      case OpKind.Mem: return b.load(ty, this.addr(op));
      case OpKind.Reg:
        if (op.regClass === RegClass.Gpr) return this.resize(b.getreg(op.reg), ty);
        if (op.regClass === RegClass.GprHigh8) {
          const full = b.getreg(op.reg - 4);
          return b.conv('trunc', 'i8', b.bin('shru', full, this.c('i64', 8)));
        }
        return this.cannot('non-integer register');
      default: return this.cannot('operand kind');
    }
  }

  /** Reads a memory operand at an already computed address. */
  readAt(op: Operand, addr: number | undefined, size = op.size): number {
    if (op.kind === OpKind.Mem && addr !== undefined) return this.b.load(intTy(size), addr);
    return this.read(op, size);
  }

  /**
   * Writes an integer operand with x86-64 rules: 32-bit writes clear the upper half,
   * 8/16-bit writes merge. `addr` reuses a memory address computed for the read.
   */
  write(op: Operand, v: number, addr?: number): void {
    const b = this.b;
    if (op.kind === OpKind.Mem) { b.store(addr ?? this.addr(op), v); return; }
    if (op.kind !== OpKind.Reg) this.cannot('write to a non-location');
    const size = bitsOf(b.ty(v)) / 8;
    if (op.regClass === RegClass.Gpr) {
      if (size === 8) { b.setreg(op.reg, v); return; }
      if (size === 4) { b.setreg(op.reg, b.conv('zext', 'i64', v)); return; }
      const old = b.getreg(op.reg);
      const keep = b.bin('and', old, this.c('i64', size === 1 ? ~0xffn : ~0xffffn));
      b.setreg(op.reg, b.bin('or', keep, b.conv('zext', 'i64', v)));
      return;
    }
    if (op.regClass === RegClass.GprHigh8) {
      const r = op.reg - 4;
      const old = b.getreg(r);
      const keep = b.bin('and', old, this.c('i64', ~0xff00n));
      b.setreg(r, b.bin('or', keep, b.bin('shl', b.conv('zext', 'i64', v), this.c('i64', 8))));
      return;
    }
    this.cannot('write to a non-integer register');
  }

  /**
   * Writes a GPR operand only when `cond` (i32) is non-zero: otherwise the whole register
   * stays as it was (no zero-extension of a 32-bit destination).
   */
  writeIf(op: Operand, cond: number, v: number): void {
    if (!this.isGpr(op)) this.cannot('conditional write to a non-GPR');
    const b = this.b;
    const r = op.regClass === RegClass.GprHigh8 ? op.reg - 4 : op.reg;
    const old = b.getreg(r);
    this.write(op, v);
    const now = b.getreg(r);
    b.setreg(r, b.select(cond, now, old));
  }

  // ---- flags ---------------------------------------------------------------------------

  private bit4(a: number, bb: number, r: number): number {
    const b = this.b;
    const x = b.bin('xor', b.bin('xor', a, bb), r);
    const ty = b.ty(x);
    return this.i32(b.bin('and', b.bin('shru', x, this.c(ty, 4)), this.c(ty, 1)));
  }
  private szp(r: number): void {
    const b = this.b;
    if (this.live(F.ZF)) b.setflag(F.ZF, b.test('eqz', r));
    if (this.live(F.SF)) b.setflag(F.SF, b.test('msb', r));
    if (this.live(F.PF)) b.setflag(F.PF, b.test('parity', r));
  }
  private live(f: F): boolean { return (this.deadFlags & (1 << f)) === 0; }

  /** Flags of r = a + b (+ cin): CF PF AF ZF SF OF. `cin` is an i32 0/1 value. */
  flagsAdd(a: number, bv: number, r: number, cin?: number, keepCf = false): void {
    const b = this.b;
    if (!keepCf && this.live(F.CF)) {
      let cf = b.cmp('ltu', r, a);
      if (cin !== undefined) cf = b.bin('or', cf, b.bin('and', cin, b.cmp('eq', r, a)));
      b.setflag(F.CF, cf);
    }
    this.szp(r);
    if (this.live(F.AF)) b.setflag(F.AF, this.bit4(a, bv, r));
    if (this.live(F.OF)) b.setflag(F.OF, b.test('msb', b.bin('and', b.bin('xor', a, r), b.bin('xor', bv, r))));
    this.flagSrc = cin === undefined ? { kind: keepCf ? 'incdec' : 'add', a, b: bv, r } : undefined;
  }

  /** Flags of r = a - b (- bin). */
  flagsSub(a: number, bv: number, r: number, bin?: number, keepCf = false): void {
    const b = this.b;
    if (!keepCf && this.live(F.CF)) {
      let cf = b.cmp('ltu', a, bv);
      if (bin !== undefined) cf = b.bin('or', cf, b.bin('and', bin, b.cmp('eq', a, bv)));
      b.setflag(F.CF, cf);
    }
    this.szp(r);
    if (this.live(F.AF)) b.setflag(F.AF, this.bit4(a, bv, r));
    if (this.live(F.OF)) b.setflag(F.OF, b.test('msb', b.bin('and', b.bin('xor', a, bv), b.bin('xor', a, r))));
    this.flagSrc = bin === undefined ? { kind: keepCf ? 'incdec' : 'sub', a, b: bv, r } : undefined;
  }

  /** Flags of a logical operation: CF = OF = AF = 0. */
  flagsLogic(r: number): void {
    const b = this.b;
    if (this.live(F.CF) || this.live(F.OF) || this.live(F.AF)) {
      const zero = this.c('i32', 0);
      if (this.live(F.CF)) b.setflag(F.CF, zero);
      if (this.live(F.OF)) b.setflag(F.OF, zero);
      if (this.live(F.AF)) b.setflag(F.AF, zero);
    }
    this.szp(r);
    this.flagSrc = { kind: 'logic', a: r, b: r, r };
  }

  /** Sets flag f to `v`; forgets the fused-condition source (any other flag writer). */
  setFlag(f: number, v: number): void { this.b.setflag(f, v); this.flagSrc = undefined; }
  /** Call after anything that writes flags other than through flagsAdd/Sub/Logic. */
  flagsClobbered(): void { this.flagSrc = undefined; }

  // ---- conditions ----------------------------------------------------------------------

  /** Condition code cc (0..15) as an i32 0/1 value. */
  cond(cc: number): number {
    const fused = this.fusedCond(cc);
    if (fused !== undefined) return fused;
    const b = this.b;
    const f = (x: F): number => b.getflag(x);
    const not = (v: number): number => b.bin('xor', v, this.c('i32', 1));
    const lt = (): number => b.bin('xor', f(F.SF), f(F.OF));
    switch (cc) {
      case 0: return f(F.OF);
      case 1: return not(f(F.OF));
      case 2: return f(F.CF);
      case 3: return not(f(F.CF));
      case 4: return f(F.ZF);
      case 5: return not(f(F.ZF));
      case 6: return b.bin('or', f(F.CF), f(F.ZF));
      case 7: return not(b.bin('or', f(F.CF), f(F.ZF)));
      case 8: return f(F.SF);
      case 9: return not(f(F.SF));
      case 10: return f(F.PF);
      case 11: return not(f(F.PF));
      case 12: return lt();
      case 13: return not(lt());
      case 14: return b.bin('or', f(F.ZF), lt());
      default: return not(b.bin('or', f(F.ZF), lt()));
    }
  }

  private fusedCond(cc: number): number | undefined {
    const s = this.flagSrc;
    if (s === undefined) return undefined;
    const b = this.b;
    const ty = b.ty(s.r);
    const zero = (): number => this.c(ty, 0);
    if (cc === 4) return b.test('eqz', s.r);
    if (cc === 5) return b.cmp('ne', s.r, zero());
    if (cc === 8) return b.test('msb', s.r);
    if (cc === 9) return b.bin('xor', b.test('msb', s.r), this.c('i32', 1));
    if (s.kind === 'sub') {
      const ops: Record<number, 'ltu' | 'geu' | 'leu' | 'gtu' | 'lts' | 'ges' | 'les' | 'gts'> =
        { 2: 'ltu', 3: 'geu', 6: 'leu', 7: 'gtu', 12: 'lts', 13: 'ges', 14: 'les', 15: 'gts' };
      const op = ops[cc];
      if (op !== undefined) return b.cmp(op, s.a, s.b);
    }
    if (s.kind === 'logic') {
      switch (cc) {
        case 2: case 0: return this.c('i32', 0);
        case 3: case 1: return this.c('i32', 1);
        case 6: return b.test('eqz', s.r);
        case 7: return b.cmp('ne', s.r, zero());
        case 12: return b.cmp('lts', s.r, zero());
        case 13: return b.cmp('ges', s.r, zero());
        case 14: return b.cmp('les', s.r, zero());
        case 15: return b.cmp('gts', s.r, zero());
      }
    }
    return undefined;
  }
}
