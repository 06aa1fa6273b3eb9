// XADD and CMPXCHG (one guest thread at a time, so LOCK needs nothing). Semantics as in
// src/interp/int/atomic.ts: a memory destination is always written back (with its own
// value when CMPXCHG fails); a failed CMPXCHG writes the accumulator, a successful one
// the destination, and neither touches the other register (not even its upper half).

import type { Insn } from '../x86/insn.js';
import { OpKind, RegClass } from '../x86/insn.js';
import type { LiftCtx } from './lift-ctx.js';

type Lifter = (x: LiftCtx, insn: Insn) => void;

const RAX = 0;

const xadd: Lifter = (x, insn) => {
  const d = insn.ops[0]!, s = insn.ops[1]!;
  const b = x.b;
  const addr = d.kind === OpKind.Mem ? x.addr(d) : undefined;
  const bv = x.read(s);
  const a = x.readAt(d, addr);
  const r = b.bin('add', a, bv);
  if (addr !== undefined) {
    x.write(d, r, addr);
    x.write(s, a);
  } else {
    // The source gets the old destination first, so XADD r, r with one register ends with the sum.
    x.write(s, a);
    x.write(d, r);
  }
  x.flagsAdd(a, bv, r);
};

const cmpxchg: Lifter = (x, insn) => {
  const d = insn.ops[0]!, s = insn.ops[1]!;
  const b = x.b;
  const acc = { ...d, kind: OpKind.Reg, reg: RAX, regClass: RegClass.Gpr, base: -1, index: -1 };
  const addr = d.kind === OpKind.Mem ? x.addr(d) : undefined;
  const sv = x.read(s);
  const dv = x.readAt(d, addr);
  const av = x.read(acc);
  const equal = b.cmp('eq', av, dv);
  const r = b.bin('sub', av, dv);
  if (addr !== undefined) x.write(d, b.select(equal, sv, dv), addr);
  else x.writeIf(d, equal, sv);
  x.writeIf(acc, b.bin('xor', equal, x.c('i32', 1)), dv);
  x.flagsSub(av, dv, r);
};

export const atomicLifters: Record<string, Lifter> = { Xadd: xadd, Cmpxchg: cmpxchg };
