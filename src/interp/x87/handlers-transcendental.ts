// F2XM1, FYL2X, FYL2XP1, FPATAN, FPTAN, FSIN, FCOS, FSINCOS on the register stack.

import type { HandlerTable, Machine } from '../machine.js';
import type { F80 } from './float80.js';
import { FpEnv, INDEFINITE, classify, isNaNClass } from './float80.js';
import { envFor, finish, stackOverflow, stackUnderflow } from './exec.js';
import { Sw, isEmpty, pop, push, readST, writeST } from './fpu-state.js';
import type { TrigFunction } from './transcendental.js';
import { ONE_F80, f2xm1, fpatan, fyl2x, fyl2xp1, trig, trigOutOfRange } from './transcendental.js';

/** The trigonometric instructions define C2 (argument out of range) and C1 only. */
const C2_ONLY = { ccMask: Sw.C2 };

function fF2xm1(m: Machine): void {
  const st = m.st;
  const env = envFor(st);
  let r = INDEFINITE;
  if (isEmpty(st, 0)) stackUnderflow(env); else r = f2xm1(readST(st, 0), env);
  if (!finish(st, env)) return;
  writeST(st, 0, r);
}

/** ST(1) = f(ST(0), ST(1)), then pop. */
function twoOperand(f: (x: F80, y: F80, env: FpEnv) => F80) {
  return (m: Machine): void => {
    const st = m.st;
    const env = envFor(st);
    let r = INDEFINITE;
    if (isEmpty(st, 0) || isEmpty(st, 1)) stackUnderflow(env); else r = f(readST(st, 0), readST(st, 1), env);
    if (!finish(st, env)) return;
    writeST(st, 1, r);
    pop(st);
  };
}

/** FSIN, FCOS: replace ST(0); out-of-range operands set C2 and stay. */
function oneResult(f: TrigFunction) {
  return (m: Machine): void => {
    const st = m.st;
    const env = envFor(st);
    if (isEmpty(st, 0)) {
      stackUnderflow(env);
      if (!finish(st, env, 0, C2_ONLY)) return;
      writeST(st, 0, INDEFINITE);
      return;
    }
    const a = readST(st, 0);
    if (trigOutOfRange(a)) { finish(st, env, Sw.C2, C2_ONLY); return; }
    const r = trig(f, a, env);
    if (!finish(st, env, 0, C2_ONLY)) return;
    writeST(st, 0, r);
  };
}

/** FPTAN (ST(0) = tan, push 1.0) and FSINCOS (ST(0) = sin, push cos). */
function twoResults(first: TrigFunction, pushed: TrigFunction | 'one') {
  return (m: Machine): void => {
    const st = m.st;
    const env = envFor(st);
    if (isEmpty(st, 0)) {
      stackUnderflow(env);
      if (!finish(st, env, 0, C2_ONLY)) return;
      writeST(st, 0, INDEFINITE);
      if (!isEmpty(st, 7)) return;
      push(st, INDEFINITE);
      return;
    }
    if (!isEmpty(st, 7)) {
      // Masked overflow: both the operand and the pushed value become the indefinite.
      stackOverflow(env);
      if (!finish(st, env, 0, C2_ONLY)) return;
      writeST(st, 0, INDEFINITE);
      push(st, INDEFINITE);
      return;
    }
    const a = readST(st, 0);
    if (trigOutOfRange(a)) { finish(st, env, Sw.C2, C2_ONLY); return; }
    const r1 = trig(first, a, env);
    const upFirst = env.roundedUp;
    // A NaN result (NaN or invalid operand) is pushed in place of FPTAN's 1.0 too.
    let r2 = isNaNClass(classify(r1)) ? r1 : ONE_F80;
    if (pushed !== 'one') r2 = trig(pushed, a, env);
    // C1 reports the rounding of the value left on top of the stack.
    if (pushed === 'one') env.roundedUp = upFirst;
    if (!finish(st, env, 0, C2_ONLY)) return;
    writeST(st, 0, r1);
    push(st, r2);
  };
}

export const transcendentalHandlers: HandlerTable = {
  F2xm1: fF2xm1,
  Fyl2x: twoOperand(fyl2x),
  Fyl2xp1: twoOperand(fyl2xp1),
  Fpatan: twoOperand(fpatan),
  Fsin: oneResult('sin'),
  Fcos: oneResult('cos'),
  Fptan: twoResults('tan', 'one'),
  Fsincos: twoResults('sin', 'cos'),
};
