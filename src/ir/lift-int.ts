// Integer instruction lifters: one function per mnemonic family, each emitting the
// instruction's reads, memory accesses, then its state writes (the ordering the
// verifier requires). Flag results follow the interpreter exactly, including its
// choices for flags the SDM leaves undefined (src/interp/int/*.ts).

import type { Insn, Operand } from '../x86/insn.js';
import { OpKind, RegClass, Rep } from '../x86/insn.js';
import type { Ty } from './ir.js';
import { F, intTy, bitsOf } from './ir.js';
import type { LiftCtx } from './lift-ctx.js';
import { bitLifters } from './lift-bits.js';
import { atomicLifters } from './lift-atomic.js';

export type Lifter = (x: LiftCtx, insn: Insn) => void;

const RAX = 0, RCX = 1, RDX = 2, RSP = 4, RBP = 5;

function noRep(x: LiftCtx, insn: Insn): void { if (insn.rep !== Rep.None) x.cannot('rep prefix'); }

// ---- ALU -------------------------------------------------------------------------------

type AluKind = 'add' | 'or' | 'adc' | 'sbb' | 'and' | 'sub' | 'xor' | 'cmp' | 'test';

function alu(kind: AluKind): Lifter {
  return (x, insn) => {
    const d = insn.ops[0]!, s = insn.ops[1]!;
    const b = x.b;
    const ty = intTy(d.size);
    const addr = d.kind === OpKind.Mem ? x.addr(d) : undefined;
    const a = x.readAt(d, addr);
    const v = x.read(s, d.size);
    const carry = kind === 'adc' || kind === 'sbb' ? b.getflag(F.CF) : undefined;
    let r: number;
    switch (kind) {
      case 'add': r = b.bin('add', a, v); break;
      case 'adc': r = b.bin('add', b.bin('add', a, v), x.resize(carry!, ty)); break;
      case 'sub': case 'cmp': r = b.bin('sub', a, v); break;
      case 'sbb': r = b.bin('sub', b.bin('sub', a, v), x.resize(carry!, ty)); break;
      case 'and': case 'test': r = b.bin('and', a, v); break;
      case 'or': r = b.bin('or', a, v); break;
      default: r = b.bin('xor', a, v); break;
    }
    if (kind !== 'cmp' && kind !== 'test') x.write(d, r, addr);
    if (kind === 'add' || kind === 'adc') x.flagsAdd(a, v, r, carry);
    else if (kind === 'sub' || kind === 'cmp' || kind === 'sbb') x.flagsSub(a, v, r, carry);
    else x.flagsLogic(r);
  };
}

function incdec(dec: boolean): Lifter {
  return (x, insn) => {
    const d = insn.ops[0]!;
    const addr = d.kind === OpKind.Mem ? x.addr(d) : undefined;
    const a = x.readAt(d, addr);
    const one = x.c(x.b.ty(a), 1);
    const r = x.b.bin(dec ? 'sub' : 'add', a, one);
    x.write(d, r, addr);
    if (dec) x.flagsSub(a, one, r, undefined, true); else x.flagsAdd(a, one, r, undefined, true);
  };
}

const neg: Lifter = (x, insn) => {
  const d = insn.ops[0]!;
  const addr = d.kind === OpKind.Mem ? x.addr(d) : undefined;
  const a = x.readAt(d, addr);
  const zero = x.c(x.b.ty(a), 0);
  const r = x.b.bin('sub', zero, a);
  x.write(d, r, addr);
  x.flagsSub(zero, a, r);
};

const not: Lifter = (x, insn) => {
  const d = insn.ops[0]!;
  const addr = d.kind === OpKind.Mem ? x.addr(d) : undefined;
  const a = x.readAt(d, addr);
  x.write(d, x.b.un('not', a), addr);
};

// ---- moves -----------------------------------------------------------------------------

const mov: Lifter = (x, insn) => {
  const d = insn.ops[0]!, s = insn.ops[1]!;
  if (!x.isGpr(d) && d.kind !== OpKind.Mem) x.cannot('mov to a non-GPR');
  if (!x.isGpr(s) && s.kind !== OpKind.Mem && s.kind !== OpKind.Imm) x.cannot('mov from a non-GPR');
  x.write(d, x.read(s, d.size));
};

function extend(signed: boolean): Lifter {
  return (x, insn) => {
    const d = insn.ops[0]!, s = insn.ops[1]!;
    const v = x.read(s);
    x.write(d, signed ? x.sresize(v, intTy(d.size)) : x.resize(v, intTy(d.size)));
  };
}

const lea: Lifter = (x, insn) => {
  const d = insn.ops[0]!;
  x.write(d, x.resize(x.addr(insn.ops[1]!, false), intTy(d.size))); // the offset: segment bases do not apply
};

const xchg: Lifter = (x, insn) => {
  let a = insn.ops[0]!, s = insn.ops[1]!;
  if (s.kind === OpKind.Mem) [a, s] = [s, a];
  const addr = a.kind === OpKind.Mem ? x.addr(a) : undefined;
  const va = x.readAt(a, addr), vs = x.read(s);
  if (addr !== undefined) { x.write(a, vs, addr); x.write(s, va); return; }
  // Register pair: both reads done; a second read of a after writing it must not happen.
  x.write(a, vs);
  x.write(s, va);
};

function cmov(x: LiftCtx, insn: Insn): void {
  const d = insn.ops[0]!, s = insn.ops[1]!;
  const v = x.read(s);
  const old = x.read(d);
  x.write(d, x.b.select(x.cond(insn.cond), v, old));
}

function setcc(x: LiftCtx, insn: Insn): void {
  const d = insn.ops[0]!;
  const c = x.cond(insn.cond);
  if (d.kind === OpKind.Mem) { x.write(d, x.b.conv('trunc', 'i8', c)); return; }
  x.write(d, x.b.conv('trunc', 'i8', c));
}

const cdqe: Record<string, Lifter> = {
  Cbw: (x) => { const b = x.b; x.write(reg(RAX, 2), b.conv('sext', 'i16', x.read(reg(RAX, 1)))); },
  Cwde: (x) => { const b = x.b; x.write(reg(RAX, 4), b.conv('sext', 'i32', x.read(reg(RAX, 2)))); },
  Cdqe: (x) => { const b = x.b; x.write(reg(RAX, 8), b.conv('sext', 'i64', x.read(reg(RAX, 4)))); },
  Cwd: (x) => { const b = x.b; x.write(reg(RDX, 2), b.bin('shrs', x.read(reg(RAX, 2)), x.c('i16', 15))); },
  Cdq: (x) => { const b = x.b; x.write(reg(RDX, 4), b.bin('shrs', x.read(reg(RAX, 4)), x.c('i32', 31))); },
  Cqo: (x) => { const b = x.b; x.write(reg(RDX, 8), b.bin('shrs', x.read(reg(RAX, 8)), x.c('i64', 63))); },
};

/** A synthetic GPR operand. */
function reg(r: number, size: number): Insn['ops'][number] {
  return { kind: OpKind.Reg, size, reg: r, regClass: RegClass.Gpr, base: -1, index: -1, scale: 1, disp: 0, ripRelative: false, seg: 0, immLo: 0, immHi: 0 };
}

// ---- stack and control -------------------------------------------------------------------

const push: Lifter = (x, insn) => {
  const s = insn.ops[0]!;
  if (insn.opSize !== 8 && s.kind !== OpKind.Imm) x.cannot('16-bit push');
  if (s.kind === OpKind.Imm && s.size !== 8) x.cannot('16-bit push');
  const b = x.b;
  const v = x.read(s, 8);
  const sp = b.bin('sub', b.getreg(RSP), x.c('i64', 8));
  b.store(sp, v);
  b.setreg(RSP, sp);
};

const pop: Lifter = (x, insn) => {
  const d = insn.ops[0]!;
  if (d.kind !== OpKind.Reg || d.size !== 8) x.cannot('pop to memory or 16-bit');
  const b = x.b;
  const sp = b.getreg(RSP);
  const v = b.load('i64', sp);
  b.setreg(RSP, b.bin('add', sp, x.c('i64', 8)));
  b.setreg(d.reg, v);
};

const leave: Lifter = (x, insn) => {
  if (insn.opSize !== 8) x.cannot('16-bit leave');
  const b = x.b;
  const bp = b.getreg(RBP);
  const v = b.load('i64', bp);
  b.setreg(RSP, b.bin('add', bp, x.c('i64', 8)));
  b.setreg(RBP, v);
};

const call: Lifter = (x, insn) => {
  const t = insn.ops[0]!;
  const b = x.b;
  const ret = insn.addr + insn.len;
  const target = t.kind === OpKind.Rel ? undefined : x.read(t, 8);
  const sp = b.bin('sub', b.getreg(RSP), x.c('i64', 8));
  b.store(sp, x.c('i64', ret));
  b.setreg(RSP, sp);
  if (target === undefined) b.call(t.disp, ret); else b.callind(target, ret);
};

const ret: Lifter = (x, insn) => {
  if (insn.opSize !== 8) x.cannot('16-bit ret');
  const b = x.b;
  const sp = b.getreg(RSP);
  const target = b.load('i64', sp);
  const pop = 8 + (insn.ops[0]?.kind === OpKind.Imm ? insn.ops[0].immLo & 0xffff : 0);
  b.setreg(RSP, b.bin('add', sp, x.c('i64', pop)));
  b.ret(target);
};

const jmp: Lifter = (x, insn) => {
  const t = insn.ops[0]!;
  if (t.kind === OpKind.Rel) x.b.jump(t.disp);
  else x.b.jumpind(x.read(t, 8));
};

function jcc(x: LiftCtx, insn: Insn): void {
  x.b.branch(x.cond(insn.cond), insn.ops[0]!.disp, insn.addr + insn.len);
}

/**
 * LOOP/LOOPE/LOOPNE (which 0/1/2): RCX minus one, no flags touched, then a branch while
 * it is nonzero (and ZF set / clear); JRCXZ/JECXZ (which 3): a branch when RCX is zero.
 * A 32-bit address size (and JECXZ) counts in ECX and clears RCX's upper half when it
 * writes it, as the interpreter does.
 */
function loopLifter(which: 0 | 1 | 2 | 3): Lifter {
  return (x, insn) => {
    const b = x.b;
    const ecx = insn.addrSize === 4 || insn.mnemonic === 'Jecxz';
    const ty: Ty = ecx ? 'i32' : 'i64';
    let count = x.resize(b.getreg(RCX), ty);
    if (which !== 3) {
      count = b.bin('sub', count, x.c(ty, 1));
      b.setreg(RCX, x.resize(count, 'i64'));
    }
    let cond = which === 3 ? b.test('eqz', count) : b.cmp('ne', count, x.c(ty, 0));
    if (which === 1) cond = b.bin('and', cond, b.getflag(F.ZF));
    if (which === 2) cond = b.bin('and', cond, b.test('eqz', b.getflag(F.ZF)));
    b.branch(cond, insn.ops[0]!.disp, insn.addr + insn.len);
  };
}

// ---- shifts ------------------------------------------------------------------------------

type ShiftKind = 'shl' | 'shr' | 'sar' | 'rol' | 'ror';

function shift(kind: ShiftKind): Lifter {
  return (x, insn) => {
    const d = insn.ops[0]!, cnt = insn.ops[1];
    const b = x.b;
    const ty = intTy(d.size);
    const w = bitsOf(ty);
    const m = w === 64 ? 63 : 31;
    const addr = d.kind === OpKind.Mem ? x.addr(d) : undefined;
    const v = x.readAt(d, addr);
    if (cnt === undefined || cnt.kind === OpKind.Imm) {
      const n = cnt === undefined ? 1 : cnt.immLo & m;
      if (n === 0) { x.write(d, v, addr); return; }
      if (n >= w && kind !== 'rol' && kind !== 'ror') { narrowShift(x, kind, d, addr, v, x.c('i32', n), undefined); return; }
      const k = (i: number): number => x.c(ty, i);
      const r = shiftValue(x, kind, v, k(n), w);
      x.write(d, r, addr);
      const f = shiftFlags(x, kind, v, r, k(n), k(w - n), k(n - 1), w);
      for (const [flag, val] of f) x.setFlag(flag, val);
      return;
    }
    // Count in CL: a masked count of 0 changes no flags.
    if (w < 32 && kind !== 'rol' && kind !== 'ror') {
      const n32 = b.bin('and', x.resize(x.read(cnt, 1), 'i32'), x.c('i32', 31));
      narrowShift(x, kind, d, addr, v, n32, b.test('eqz', n32));
      return;
    }
    const n = b.bin('and', x.resize(x.read(cnt, 1), ty), x.c(ty, m));
    const r = shiftValue(x, kind, v, n, w);
    x.write(d, r, addr);
    const isZero = b.test('eqz', n);
    const f = shiftFlags(x, kind, v, r, n, b.bin('sub', x.c(ty, w), n), b.bin('sub', n, x.c(ty, 1)), w);
    for (const [flag, val] of f) x.setFlag(flag, b.select(isZero, b.getflag(flag), val));
  };
}

/**
 * SHL/SHR/SAR of an 8/16-bit operand by a count (i32, 0..31) that may reach or pass the
 * width, done in i32 where every such count is an ordinary shift. `isZero` (count in
 * CL) keeps the flags when the count is 0; AF is never touched.
 */
function narrowShift(x: LiftCtx, kind: 'shl' | 'shr' | 'sar', d: Operand, addr: number | undefined, v: number, n: number, isZero: number | undefined): void {
  const b = x.b;
  const ty = b.ty(v);
  const w = bitsOf(ty);
  const one = x.c('i32', 1);
  const v32 = kind === 'sar' ? b.conv('sext', 'i32', v) : b.conv('zext', 'i32', v);
  const n1 = b.bin('sub', n, one);
  let p: number, cf: number, of: number | undefined;
  if (kind === 'shl') {
    p = b.bin('shl', v32, n);
    // Bit w of the shifted value: bit (w - n) of v, or 0 once n passes w.
    cf = b.bin('and', b.bin('shru', p, x.c('i32', w)), one);
  } else {
    p = b.bin(kind === 'shr' ? 'shru' : 'shrs', v32, n);
    cf = b.bin('and', b.bin(kind === 'shr' ? 'shru' : 'shrs', v32, n1), one);
    of = kind === 'shr' ? b.test('msb', v) : x.c('i32', 0);
  }
  let r = b.conv('trunc', ty, p);
  if (isZero !== undefined) r = b.select(isZero, v, r);
  x.write(d, r, addr);
  const msbR = b.test('msb', r);
  const flags: [F, number][] = [[F.CF, cf], [F.OF, of ?? b.bin('xor', msbR, cf)], [F.ZF, b.test('eqz', r)], [F.SF, msbR], [F.PF, b.test('parity', r)]];
  for (const [f, val] of flags) x.setFlag(f, isZero === undefined ? val : b.select(isZero, b.getflag(f), val));
}

function shiftValue(x: LiftCtx, kind: ShiftKind, v: number, n: number, w: number): number {
  const b = x.b;
  switch (kind) {
    case 'shl': return b.bin('shl', v, n);
    case 'shr': return b.bin('shru', v, n);
    case 'sar': return b.bin('shrs', v, n);
    case 'rol': return b.bin('rotl', v, n);
    default: return b.bin('rotr', v, n);
  }
  void w;
}

/** The flags a shift with non-zero count n sets; `wn` is w - n and `n1` is n - 1 (values of v's type). */
function shiftFlags(x: LiftCtx, kind: ShiftKind, v: number, r: number, n: number, wn: number, n1: number, w: number): [F, number][] {
  const b = x.b;
  const ty = b.ty(v);
  const bit = (val: number, pos: number): number => x.i32(b.bin('and', b.bin('shru', val, pos), x.c(ty, 1)));
  const msbR = b.test('msb', r);
  switch (kind) {
    case 'shl': {
      const cf = bit(v, wn);
      return [[F.CF, cf], [F.OF, b.bin('xor', msbR, cf)], [F.ZF, b.test('eqz', r)], [F.SF, msbR], [F.PF, b.test('parity', r)]];
    }
    case 'shr':
      return [[F.CF, bit(v, n1)], [F.OF, b.test('msb', v)], [F.ZF, b.test('eqz', r)], [F.SF, msbR], [F.PF, b.test('parity', r)]];
    case 'sar':
      return [[F.CF, x.i32(b.bin('and', b.bin('shrs', v, n1), x.c(ty, 1)))], [F.OF, x.c('i32', 0)], [F.ZF, b.test('eqz', r)], [F.SF, msbR], [F.PF, b.test('parity', r)]];
    case 'rol': {
      const cf = x.i32(b.bin('and', r, x.c(ty, 1)));
      return [[F.CF, cf], [F.OF, b.bin('xor', msbR, cf)]];
    }
    default: {
      const next = bit(r, x.c(ty, w - 2));
      return [[F.CF, msbR], [F.OF, b.bin('xor', msbR, next)]];
    }
  }
}

// ---- multiply and divide -------------------------------------------------------------------

const imul: Lifter = (x, insn) => {
  const ops = insn.ops;
  if (ops.length === 1) { mulWide(x, insn, true); return; }
  const d = ops[0]!;
  const sa = ops.length === 3 ? ops[1]! : ops[0]!, sb = ops.length === 3 ? ops[2]! : ops[1]!;
  const b = x.b;
  const ty = intTy(d.size);
  const bv = x.read(sb, d.size), av = x.read(sa, d.size);
  let r: number, ovf: number;
  if (ty === 'i64') {
    r = b.bin('mul', av, bv);
    ovf = b.cmp('ne', b.bin('mulhs', av, bv), b.bin('shrs', r, x.c('i64', 63)));
  } else {
    const wide: Ty = ty === 'i32' ? 'i64' : 'i32';
    const p = b.bin('mul', b.conv('sext', wide, av), b.conv('sext', wide, bv));
    r = b.conv('trunc', ty, p);
    ovf = b.cmp('ne', p, b.conv('sext', wide, r));
  }
  x.write(d, r);
  x.setFlag(F.CF, ovf);
  x.setFlag(F.OF, ovf);
};

const mul: Lifter = (x, insn) => mulWide(x, insn, false);

/** One-operand MUL/IMUL: rDX:rAX = rAX * src. */
function mulWide(x: LiftCtx, insn: Insn, signed: boolean): void {
  const s = insn.ops[0]!;
  const b = x.b;
  const size = s.size;
  const ty = intTy(size);
  const v = x.read(s);
  const a = x.read(reg(RAX, size));
  let ovf: number;
  if (size === 8) {
    const lo = b.bin('mul', a, v);
    const hi = b.bin(signed ? 'mulhs' : 'mulhu', a, v);
    b.setreg(RAX, lo);
    b.setreg(RDX, hi);
    ovf = signed ? b.cmp('ne', hi, b.bin('shrs', lo, x.c('i64', 63))) : b.cmp('ne', hi, x.c('i64', 0));
  } else {
    const wide: Ty = size === 4 ? 'i64' : 'i32';
    const ext = (val: number): number => b.conv(signed ? 'sext' : 'zext', wide, val);
    const p = b.bin('mul', ext(a), ext(v));
    const lo = b.conv('trunc', ty, p);
    if (size === 1) {
      x.write(reg(RAX, 2), b.conv('trunc', 'i16', p));
    } else {
      const hi = b.conv('trunc', ty, b.bin('shru', p, x.c(wide, size * 8)));
      x.write(reg(RAX, size), lo);
      x.write(reg(RDX, size), hi);
    }
    ovf = signed ? b.cmp('ne', p, b.conv('sext', wide, lo)) : b.cmp('ne', b.bin('shru', p, x.c(wide, size * 8)), x.c(wide, 0));
  }
  x.setFlag(F.CF, ovf);
  x.setFlag(F.OF, ovf);
}

/**
 * DIV/IDIV. Division by zero, quotient overflow and the 128-bit dividends wasm cannot
 * divide leave to the interpreter (which raises the exact fault); flags are unchanged.
 */
function div(signed: boolean): Lifter {
  return (x, insn) => {
    const s = insn.ops[0]!;
    const b = x.b;
    const d = x.read(s);
    const ty = intTy(s.size);
    b.bail(b.test('eqz', d));
    if (s.size === 8) {
      const lo = b.getreg(RAX), hi = b.getreg(RDX);
      const min = x.c('i64', 1n << 63n);
      if (signed) {
        b.bail(b.cmp('ne', hi, b.bin('shrs', lo, x.c('i64', 63))));
        // MIN / -1 overflows; any other dividend divides by -1 exactly.
        b.bail(b.bin('and', b.cmp('eq', d, x.c('i64', -1n)), b.cmp('eq', lo, min)));
      } else {
        b.bail(b.cmp('ne', hi, x.c('i64', 0)));
      }
      const q = b.bin(signed ? 'divs' : 'divu', lo, d);
      const r = b.bin(signed ? 'rems' : 'remu', lo, d);
      b.setreg(RAX, q);
      b.setreg(RDX, r);
      return;
    }
    if (s.size === 1) {
      // AX / r8: AL = quotient, AH = remainder, in i32 (sign-extended operands cannot overflow it).
      const n = x.read(reg(RAX, 2));
      const ext = (v: number): number => signed ? b.conv('sext', 'i32', v) : b.conv('zext', 'i32', v);
      const nn = ext(n), dd = ext(d);
      const q = b.bin(signed ? 'divs' : 'divu', nn, dd);
      b.bail(signed ? b.cmp('ne', q, b.conv('sext', 'i32', b.conv('trunc', 'i8', q))) : b.cmp('gtu', q, x.c('i32', 0xff)));
      const r = b.bin(signed ? 'rems' : 'remu', nn, dd);
      const ax = b.bin('or', b.bin('and', q, x.c('i32', 0xff)), b.bin('shl', b.bin('and', r, x.c('i32', 0xff)), x.c('i32', 8)));
      x.write(reg(RAX, 2), b.conv('trunc', 'i16', ax));
      return;
    }
    // 16 and 32 bits: rDX:rAX fits an i64, so divide there and check the quotient's range.
    const wide = s.size === 2 ? 'i32' : 'i64';
    const half = s.size * 8;
    const lo = x.read(reg(RAX, s.size)), hi = x.read(reg(RDX, s.size));
    const n = b.bin('or', b.bin('shl', b.conv('zext', wide, hi), x.c(wide, half)), b.conv('zext', wide, lo));
    let q: number, r: number;
    if (signed) {
      // In i64 (also for 16 bits: DX:AX = 0x80000000 divided by -1 must not trap as an i32).
      const n64 = s.size === 2 ? b.conv('sext', 'i64', n) : n;
      const dd = b.conv('sext', 'i64', d);
      // i64 division overflows only for MIN / -1 (EDX:EAX = 0x80000000:0); its quotient is out of range anyway.
      if (s.size === 4) b.bail(b.bin('and', b.cmp('eq', dd, x.c('i64', -1n)), b.cmp('eq', n64, x.c('i64', 1n << 63n))));
      q = b.bin('divs', n64, dd);
      b.bail(b.cmp('ne', q, b.conv('sext', 'i64', b.conv('trunc', ty, q))));
      r = b.bin('rems', n64, dd);
    } else {
      b.bail(b.cmp('geu', hi, d));
      const dd = b.conv('zext', wide, d);
      q = b.bin('divu', n, dd);
      r = b.bin('remu', n, dd);
    }
    x.write(reg(RAX, s.size), b.conv('trunc', ty, q));
    x.write(reg(RDX, s.size), b.conv('trunc', ty, r));
  };
}

// ---- bits ---------------------------------------------------------------------------------

const bswap: Lifter = (x, insn) => {
  const d = insn.ops[0]!;
  // BSWAP r16 is undefined by the SDM; hardware clears the 16-bit register (as the interpreter does).
  if (d.size === 2) { x.write(d, x.c(intTy(2), 0)); return; }
  x.write(d, x.b.un('bswap', x.read(d)));
};

const nop: Lifter = () => { /* no effect */ };

/** CLC STC CMC CLD STD. */
const flagOps: Record<string, Lifter> = {
  Clc: (x) => x.setFlag(F.CF, x.c('i32', 0)),
  Stc: (x) => x.setFlag(F.CF, x.c('i32', 1)),
  Cmc: (x) => x.setFlag(F.CF, x.b.bin('xor', x.b.getflag(F.CF), x.c('i32', 1))),
  Cld: (x) => x.setFlag(F.DF, x.c('i32', 0)),
  Std: (x) => x.setFlag(F.DF, x.c('i32', 1)),
};

// ---- table --------------------------------------------------------------------------------

export const integerLifters: Record<string, Lifter> = {
  Add: alu('add'), Or: alu('or'), Adc: alu('adc'), Sbb: alu('sbb'), And: alu('and'),
  Sub: alu('sub'), Xor: alu('xor'), Cmp: alu('cmp'), Test: alu('test'),
  Inc: incdec(false), Dec: incdec(true), Neg: neg, Not: not,
  Mov: mov, Movzx: extend(false), Movsx: extend(true), Movsxd: extend(true), Lea: lea, Xchg: xchg,
  ...cdqe,
  Push: push, Pop: pop, Leave: leave, Call: call, Ret: ret, Jmp: jmp,
  Loop: loopLifter(0), Loope: loopLifter(1), Loopne: loopLifter(2), Jrcxz: loopLifter(3), Jecxz: loopLifter(3),
  Shl: shift('shl'), Sal: shift('shl'), Shr: shift('shr'), Sar: shift('sar'), Rol: shift('rol'), Ror: shift('ror'),
  Imul: imul, Mul: mul, Div: div(false), Idiv: div(true),
  ...bitLifters, ...atomicLifters, ...flagOps, Bswap: bswap,
  Nop: nop, Pause: nop, Endbr64: nop, Prefetchnta: nop, Prefetcht0: nop, Prefetcht1: nop, Prefetcht2: nop, Prefetchw: nop,
  // One guest thread: fences order nothing (the interpreter runs them as no-ops too).
  Prefetch: nop, Prefetchwt1: nop, Lfence: nop, Mfence: nop, Sfence: nop,
  // A non-temporal store is a store (the interpreter's movnti: load the register, store it).
  Movnti: mov,
};

const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
for (const cc of CC) {
  const up = cc[0]!.toUpperCase() + cc.slice(1);
  integerLifters[`J${cc}`] = jcc;
  integerLifters[`Set${cc}`] = setcc;
  integerLifters[`Cmov${cc}`] = cmov;
  void up;
}

export { noRep };
