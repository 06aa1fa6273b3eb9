// Data transfer: FLD/FST/FSTP, FILD/FIST/FISTP/FISTTP, the constants, FXCH, FCMOVcc,
// and the stack-pointer instructions (FFREE, FFREEP, FDECSTP, FINCSTP).

import { Flag } from '../../cpu/state.js';
import type { Insn } from '../../x86/insn.js';
import { OpKind } from '../../x86/insn.js';
import type { HandlerTable, Machine } from '../machine.js';
import type { BigF } from './bigfloat.js';
import { CONSTANTS, ONE, toF80 } from './bigfloat.js';
import type { F80 } from './float80.js';
import { DOUBLE, FpEnv, INDEFINITE, SINGLE, fromInteger, loadReal, narrow, toInteger, zero } from './float80.js';
import {
  envFor, finish, memAddress, probeWrite, readF80, readInt, readRealBits, stackOverflow, stackUnderflow, writeF80, writeInt,
} from './exec.js';
import {
  Tag, fpuTop, isEmpty, physicalOf, pop, push, readST, setFpuTop, setPhysicalTag, writeST,
} from './fpu-state.js';

/** Pushes `v` (computed under `env`), or the indefinite on stack overflow. */
function pushChecked(m: Machine, env: FpEnv, v: F80): void {
  if (!isEmpty(m.st, 7)) {
    env.flags = 0; // the overflow is all that is reported (a denormal source is not)
    stackOverflow(env);
    v = INDEFINITE;
  }
  if (!finish(m.st, env)) return;
  push(m.st, v);
}

function fld(m: Machine, insn: Insn): void {
  const st = m.st;
  const env = envFor(st);
  const op = insn.ops[0]!;
  let v: F80;
  if (op.kind === OpKind.Mem) {
    const addr = memAddress(m, insn, op);
    v = op.size === 10 ? readF80(m, addr) : loadReal(readRealBits(m, addr, op.size), op.size === 4 ? SINGLE : DOUBLE, env);
  } else if (isEmpty(st, op.reg)) {
    stackUnderflow(env);
    v = INDEFINITE;
  } else {
    v = readST(st, op.reg);
  }
  pushChecked(m, env, v);
}

function fild(m: Machine, insn: Insn): void {
  const op = insn.ops[0]!;
  const v = fromInteger(readInt(m, memAddress(m, insn, op), op.size));
  pushChecked(m, envFor(m.st), v);
}

function store(popAfter: boolean) {
  return (m: Machine, insn: Insn): void => {
    const st = m.st;
    const env = envFor(st);
    const op = insn.ops[0]!;
    let v = INDEFINITE;
    if (isEmpty(st, 0)) stackUnderflow(env); else v = readST(st, 0);
    if (op.kind === OpKind.Mem) {
      const addr = memAddress(m, insn, op);
      probeWrite(m, addr, op.size);
      if (op.size === 10) {
        if (!finish(st, env)) return;
        writeF80(m, addr, v);
      } else {
        const bits = narrow(v, op.size === 4 ? SINGLE : DOUBLE, env);
        if (!finish(st, env)) return;
        if (op.size === 4) m.mem.write32(addr, Number(bits)); else m.mem.write64(addr, bits);
      }
    } else {
      if (!finish(st, env)) return;
      writeST(st, op.reg, v);
    }
    if (popAfter) pop(st);
  };
}

function storeInt(popAfter: boolean, truncate: boolean) {
  return (m: Machine, insn: Insn): void => {
    const st = m.st;
    const env = envFor(st);
    const op = insn.ops[0]!;
    const addr = memAddress(m, insn, op);
    let v: bigint;
    if (isEmpty(st, 0)) { stackUnderflow(env); v = -(1n << BigInt(8 * op.size - 1)); }
    else v = toInteger(readST(st, 0), 8 * op.size, truncate, env);
    probeWrite(m, addr, op.size);
    if (!finish(st, env)) return;
    writeInt(m, addr, op.size, v);
    if (popAfter) pop(st);
  };
}

/** FLD1, FLDZ, FLDPI, ...: the constant rounded with RC (no precision exception). */
function loadConstant(value: BigF | 'zero') {
  return (m: Machine): void => {
    const env = envFor(m.st);
    const v = value === 'zero' ? zero(0) : toF80(value, new FpEnv(env.rc, 64), value === ONE);
    pushChecked(m, env, v);
  };
}

function fxch(m: Machine, insn: Insn): void {
  const st = m.st;
  const env = envFor(st);
  const i = insn.ops.length > 1 ? insn.ops[1]!.reg : 1;
  let a = INDEFINITE;
  let b = INDEFINITE;
  if (isEmpty(st, 0) || isEmpty(st, i)) stackUnderflow(env);
  if (!isEmpty(st, 0)) a = readST(st, 0);
  if (!isEmpty(st, i)) b = readST(st, i);
  if (!finish(st, env)) return;
  writeST(st, 0, b);
  writeST(st, i, a);
}

/** FCMOVcc conditions (iced names); the adapter reports no condition code for them. */
const FCMOV_CONDITIONS: Record<string, (flags: number) => boolean> = {
  Fcmovb: (f) => (f & Flag.CF) !== 0,
  Fcmove: (f) => (f & Flag.ZF) !== 0,
  Fcmovbe: (f) => (f & (Flag.CF | Flag.ZF)) !== 0,
  Fcmovu: (f) => (f & Flag.PF) !== 0,
  Fcmovnb: (f) => (f & Flag.CF) === 0,
  Fcmovne: (f) => (f & Flag.ZF) === 0,
  Fcmovnbe: (f) => (f & (Flag.CF | Flag.ZF)) === 0,
  Fcmovnu: (f) => (f & Flag.PF) === 0,
};

function fcmov(condition: (flags: number) => boolean) {
  return (m: Machine, insn: Insn): void => {
    const st = m.st;
    const env = envFor(st);
    const i = insn.ops[1]!.reg;
    if (isEmpty(st, 0) || isEmpty(st, i)) {
      stackUnderflow(env);
      if (!finish(st, env)) return;
      writeST(st, 0, INDEFINITE);
      return;
    }
    if (!finish(st, env, undefined, { keepC1: true })) return;
    if (condition(st.rflags)) writeST(st, 0, readST(st, i));
  };
}

function ffree(popAfter: boolean) {
  return (m: Machine, insn: Insn): void => {
    if (!finish(m.st, envFor(m.st))) return; // clears C1, as the CPU does
    setPhysicalTag(m.st, physicalOf(m.st, insn.ops[0]!.reg), Tag.Empty);
    if (popAfter) pop(m.st);
  };
}

function moveTop(delta: number) {
  return (m: Machine): void => {
    const env = envFor(m.st);
    if (!finish(m.st, env)) return; // C1 = 0
    setFpuTop(m.st, fpuTop(m.st) + delta);
  };
}

export const loadStoreHandlers: HandlerTable = {
  Fld: fld,
  Fild: fild,
  Fst: store(false),
  Fstp: store(true),
  Fist: storeInt(false, false),
  Fistp: storeInt(true, false),
  Fisttp: storeInt(true, true),
  Fld1: loadConstant(ONE),
  Fldz: loadConstant('zero'),
  Fldpi: loadConstant(CONSTANTS.pi),
  Fldl2e: loadConstant(CONSTANTS.l2e),
  Fldl2t: loadConstant(CONSTANTS.l2t),
  Fldlg2: loadConstant(CONSTANTS.lg2),
  Fldln2: loadConstant(CONSTANTS.ln2),
  Fxch: fxch,
  Ffree: ffree(false),
  Ffreep: ffree(true),
  Fdecstp: moveTop(-1),
  Fincstp: moveTop(1),
  ...Object.fromEntries(Object.entries(FCMOV_CONDITIONS).map(([name, c]) => [name, fcmov(c)])),
};
