// Arithmetic: FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR in every form (ST(0),ST(i) / ST(i),ST(0) /
// m32 / m64 / popping / integer operand), the one-operand instructions on ST(0)
// (FCHS, FABS, FSQRT, FRNDINT), FSCALE, FXTRACT and FPREM/FPREM1.

import type { Insn } from '../../x86/insn.js';
import type { HandlerTable, Machine } from '../machine.js';
import type { F80 } from './float80.js';
import {
  DOUBLE, Exc, FpClass, FpEnv, INDEFINITE, SINGLE, abs, add, classify, div, fromInteger, isNaNClass, mul, negate,
  roundToIntegral, sqrt, sub, widen,
} from './float80.js';
import { extract, remainder, scale } from './exponent-ops.js';
import { envFor, finish, memAddress, readInt, readRealBits, stackOverflow, stackUnderflow } from './exec.js';
import { Sw, isEmpty, pop, push, readST, writeST } from './fpu-state.js';

type BinaryOp = (a: F80, b: F80, env: FpEnv) => F80;

/** Reads a memory source operand: an integer (FIxxx) or a real widened without raising anything yet. */
function memorySource(m: Machine, insn: Insn, integer: boolean): { value: F80; denormal: boolean } {
  const op = insn.ops[0]!;
  const addr = memAddress(m, insn, op);
  if (integer) return { value: fromInteger(readInt(m, addr, op.size)), denormal: false };
  return widen(readRealBits(m, addr, op.size), op.size === 4 ? SINGLE : DOUBLE);
}

/**
 * A single/double denormal is normal once widened, but still counts as a denormal
 * operand, unless the other operand decides the result (NaN, unsupported) or the
 * operation divides by zero, exactly as for 80-bit denormals.
 */
function memoryDenormal(other: F80, env: FpEnv): void {
  const c = classify(other);
  if (isNaNClass(c) || c === FpClass.Unsupported) return;
  if (env.flags & (Exc.IE | Exc.ZE)) return;
  env.flags |= Exc.DE;
}

function binary(op: BinaryOp, popAfter: boolean, integer = false) {
  return (m: Machine, insn: Insn): void => {
    const st = m.st;
    const env = envFor(st);
    let dst = 0;
    let a: F80 | undefined;
    let b: F80 | undefined;
    let denormalSource = false;
    if (insn.ops.length === 1) {
      a = isEmpty(st, 0) ? undefined : readST(st, 0);
      ({ value: b, denormal: denormalSource } = memorySource(m, insn, integer));
    } else {
      dst = insn.ops[0]!.reg;
      const src = insn.ops[1]!.reg;
      if (!isEmpty(st, dst) && !isEmpty(st, src)) { a = readST(st, dst); b = readST(st, src); }
    }
    let result: F80;
    if (a === undefined || b === undefined) {
      stackUnderflow(env);
      result = INDEFINITE;
    } else {
      result = op(a, b, env);
      if (denormalSource) memoryDenormal(a, env);
    }
    if (!finish(st, env)) return;
    writeST(st, dst, result);
    if (popAfter) pop(st);
  };
}

/** Rewrites ST(0) with f(ST(0)); `f` undefined means the operation raises nothing. */
function unary(f: (a: F80, env: FpEnv) => F80) {
  return (m: Machine): void => {
    const st = m.st;
    const env = envFor(st);
    let result = INDEFINITE;
    if (isEmpty(st, 0)) stackUnderflow(env); else result = f(readST(st, 0), env);
    if (!finish(st, env)) return;
    writeST(st, 0, result);
  };
}

function fscale(m: Machine): void {
  const st = m.st;
  const env = envFor(st);
  let result = INDEFINITE;
  if (isEmpty(st, 0) || isEmpty(st, 1)) stackUnderflow(env); else result = scale(readST(st, 0), readST(st, 1), env);
  if (!finish(st, env)) return;
  writeST(st, 0, result);
}

function fxtract(m: Machine): void {
  const st = m.st;
  const env = envFor(st);
  let exponent = INDEFINITE;
  let significand = INDEFINITE;
  if (isEmpty(st, 0)) stackUnderflow(env);
  else if (!isEmpty(st, 7)) stackOverflow(env);
  else ({ exponent, significand } = extract(readST(st, 0), env));
  if (!finish(st, env)) return;
  writeST(st, 0, exponent);
  push(st, significand);
}

function fprem(nearest: boolean) {
  return (m: Machine): void => {
    const st = m.st;
    const env = envFor(st);
    if (isEmpty(st, 0) || isEmpty(st, 1)) {
      stackUnderflow(env); // C2 cleared; C0 and C3 stay as they were (checked on hardware)
      if (!finish(st, env, 0, { ccMask: Sw.C2 })) return;
      writeST(st, 0, INDEFINITE);
      return;
    }
    const r = remainder(readST(st, 0), readST(st, 1), nearest, env);
    let cc = 0;
    if (r.quotient < 0) {
      // No quotient: C2 and C1 cleared, C0 and C3 left alone (checked on hardware).
      if (!finish(st, env, 0, { ccMask: Sw.C2 })) return;
      writeST(st, 0, r.result);
      return;
    }
    if (r.partial) cc = Sw.C2;
    else {
      // C0 = Q2, C3 = Q1, C1 = Q0.
      cc = (r.quotient & 4 ? Sw.C0 : 0) | (r.quotient & 2 ? Sw.C3 : 0);
      env.roundedUp = (r.quotient & 1) !== 0;
    }
    if (!finish(st, env, cc)) return;
    writeST(st, 0, r.result);
  };
}

const subr: BinaryOp = (a, b, env) => sub(b, a, env);
const divr: BinaryOp = (a, b, env) => div(b, a, env);

export const arithHandlers: HandlerTable = {
  Fadd: binary(add, false),
  Faddp: binary(add, true),
  Fiadd: binary(add, false, true),
  Fsub: binary(sub, false),
  Fsubp: binary(sub, true),
  Fisub: binary(sub, false, true),
  Fsubr: binary(subr, false),
  Fsubrp: binary(subr, true),
  Fisubr: binary(subr, false, true),
  Fmul: binary(mul, false),
  Fmulp: binary(mul, true),
  Fimul: binary(mul, false, true),
  Fdiv: binary(div, false),
  Fdivp: binary(div, true),
  Fidiv: binary(div, false, true),
  Fdivr: binary(divr, false),
  Fdivrp: binary(divr, true),
  Fidivr: binary(divr, false, true),
  Fchs: unary((a) => negate(a)),
  Fabs: unary((a) => abs(a)),
  Fsqrt: unary(sqrt),
  Frndint: unary(roundToIntegral),
  Fscale: fscale,
  Fxtract: fxtract,
  Fprem: fprem(false),
  Fprem1: fprem(true),
};
