// Comparisons: FCOM/FUCOM families and FICOM set C3 C2 C0; FCOMI/FUCOMI set ZF PF CF;
// FTST compares with +0.0; FXAM classifies ST(0) (C1 = sign).

import { Flag } from '../../cpu/state.js';
import type { Insn } from '../../x86/insn.js';
import type { HandlerTable, Machine } from '../machine.js';
import type { F80 } from './float80.js';
import { DOUBLE, Exc, FpClass, FpEnv, Order, SINGLE, classify, compare, fromInteger, isNaNClass, widen, zero } from './float80.js';
import { envFor, finish, memAddress, readInt, readRealBits, stackUnderflow } from './exec.js';
import { Sw, isEmpty, pop, readST } from './fpu-state.js';

const CC_OF_ORDER = [Sw.C0, Sw.C3, 0, Sw.C3 | Sw.C2 | Sw.C0];
const EFLAGS_OF_ORDER = [Flag.CF, Flag.ZF, 0, Flag.ZF | Flag.PF | Flag.CF];

/** The second comparand: a memory operand (real or integer) or ST(i), or undefined if empty. */
function comparand(m: Machine, insn: Insn, integer: boolean, env: FpEnv, first: F80 | undefined): F80 | undefined {
  if (insn.ops.length === 0) return isEmpty(m.st, 1) ? undefined : readST(m.st, 1);
  const op = insn.ops[insn.ops.length - 1]!;
  if (insn.ops.length === 2) return isEmpty(m.st, op.reg) ? undefined : readST(m.st, op.reg);
  const addr = memAddress(m, insn, op);
  if (integer) return fromInteger(readInt(m, addr, op.size));
  const { value, denormal } = widen(readRealBits(m, addr, op.size), op.size === 4 ? SINGLE : DOUBLE);
  if (denormal && first !== undefined) {
    const c = classify(first);
    if (!isNaNClass(c) && c !== FpClass.Unsupported) env.flags |= Exc.DE;
  }
  return value;
}

function fcom(unordered: boolean, pops: number, integer = false) {
  return (m: Machine, insn: Insn): void => {
    const st = m.st;
    const env = envFor(st);
    const a = isEmpty(st, 0) ? undefined : readST(st, 0);
    const b = comparand(m, insn, integer, env, a);
    let order = Order.Unordered;
    if (a === undefined || b === undefined) stackUnderflow(env); else order = compare(a, b, unordered, env);
    if (!finish(st, env, CC_OF_ORDER[order])) return;
    for (let i = 0; i < pops; i++) pop(st);
  };
}

function fcomi(unordered: boolean, popAfter: boolean) {
  return (m: Machine, insn: Insn): void => {
    const st = m.st;
    const env = envFor(st);
    const i = insn.ops[1]!.reg;
    let order = Order.Unordered;
    if (isEmpty(st, 0) || isEmpty(st, i)) stackUnderflow(env);
    else order = compare(readST(st, 0), readST(st, i), unordered, env);
    if (!finish(st, env, undefined, { keepC1: true })) return;
    st.rflags = (st.rflags & ~Flag.ARITH) | EFLAGS_OF_ORDER[order]!;
    if (popAfter) pop(st);
  };
}

function ftst(m: Machine): void {
  const st = m.st;
  const env = envFor(st);
  let order = Order.Unordered;
  if (isEmpty(st, 0)) stackUnderflow(env); else order = compare(readST(st, 0), zero(0), false, env);
  if (!finish(st, env, CC_OF_ORDER[order])) return;
}

const FXAM_CLASS: Record<FpClass, number> = {
  [FpClass.Unsupported]: 0,
  [FpClass.QNaN]: Sw.C0,
  [FpClass.SNaN]: Sw.C0,
  [FpClass.Normal]: Sw.C2,
  [FpClass.Infinity]: Sw.C2 | Sw.C0,
  [FpClass.Zero]: Sw.C3,
  [FpClass.Denormal]: Sw.C3 | Sw.C2,
};

function fxam(m: Machine): void {
  const st = m.st;
  const v = readST(st, 0);
  const env = new FpEnv(0, 64);
  env.roundedUp = v.sign === 1;
  if (!finish(st, env, isEmpty(st, 0) ? Sw.C3 | Sw.C0 : FXAM_CLASS[classify(v)])) return;
}

export const compareHandlers: HandlerTable = {
  Fcom: fcom(false, 0),
  Fcomp: fcom(false, 1),
  Fcompp: fcom(false, 2),
  Fucom: fcom(true, 0),
  Fucomp: fcom(true, 1),
  Fucompp: fcom(true, 2),
  Ficom: fcom(false, 0, true),
  Ficomp: fcom(false, 1, true),
  Fcomi: fcomi(false, false),
  Fcomip: fcomi(false, true),
  Fucomi: fcomi(true, false),
  Fucomip: fcomi(true, true),
  Ftst: ftst,
  Fxam: fxam,
};
