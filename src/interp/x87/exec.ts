// What every x87 handler shares: the rounding environment from the control word, the
// masked responses to stack faults, memory operand access, and the commit step that
// merges flags into the status word and raises unmasked exceptions.
//
// Unmasked exceptions, as on hardware: the instruction records the flag and sets ES/B;
// for IE (including stack faults), DE and ZE it leaves its destinations and TOP alone,
// otherwise it completes. The exception is delivered by the next waiting x87 instruction
// (checkPending), which Windows reports as a STATUS_FLOAT_* code: that of the
// highest-priority pending flag (stack fault, invalid, denormal, zero divide, overflow,
// underflow, precision). One simplification: with OE or UE unmasked, hardware stores a
// register result with its exponent wrapped by 24576; wexe stores the masked result.

import type { CpuState } from '../../cpu/state.js';
import { ExceptionCode, GuestFault } from '../../mem/fault.js';
import { Access, Prot } from '../../mem/memory.js';
import type { Insn, Operand } from '../../x86/insn.js';
import type { Machine } from '../machine.js';
import { effectiveAddress } from '../machine.js';
import type { F80 } from './float80.js';
import { Exc, FpEnv, f80FromBytes, f80ToBytes } from './float80.js';
import { Sw, fpuControl, fpuStatus, setFpuStatus } from './fpu-state.js';

export function envFor(st: CpuState): FpEnv { return FpEnv.fromControlWord(fpuControl(st)); }

/** Masked stack underflow: IE and SF, C1 = 0; the caller substitutes the indefinite. */
export function stackUnderflow(env: FpEnv): void { env.flags |= Exc.IE | Exc.SF; env.roundedUp = false; }
/** Masked stack overflow: IE and SF, C1 = 1. */
export function stackOverflow(env: FpEnv): void { env.flags |= Exc.IE | Exc.SF; env.roundedUp = true; }

export function faultForFlags(flags: number): GuestFault {
  const code = flags & Exc.IE ? (flags & Exc.SF ? ExceptionCode.FloatStackCheck : ExceptionCode.FloatInvalidOperation)
    : flags & Exc.DE ? ExceptionCode.FloatDenormalOperand
    : flags & Exc.ZE ? ExceptionCode.FloatDivideByZero
    : flags & Exc.OE ? ExceptionCode.FloatOverflow
    : flags & Exc.UE ? ExceptionCode.FloatUnderflow
    : ExceptionCode.FloatInexactResult;
  return new GuestFault(code, 0, 0, 'unmasked x87 exception');
}

/** Which condition bits an instruction defines besides C1 (default: C0, C2, C3 when `cc` is given). */
export interface FinishOptions {
  /** Condition bits (of C0, C2, C3) the instruction writes; others stay. */
  ccMask?: number;
  /** C1 is left alone unless a stack fault sets it (FCOMI, FCMOVcc). */
  keepC1?: boolean;
}

/**
 * Merges the instruction's flags into the status word, sets C1 from the round-up
 * indicator and C0/C2/C3 from `cc` (when given). Returns false when an unmasked IE, DE
 * or ZE means the instruction must not write its results (the caller returns at once).
 */
export function finish(st: CpuState, env: FpEnv, cc?: number, opts?: FinishOptions): boolean {
  const cw = fpuControl(st);
  const blocked = (env.flags & ~cw & (Exc.IE | Exc.DE | Exc.ZE)) !== 0;
  // A blocking exception stops the operation before it computes: no OE, UE or PE.
  const flags = blocked ? env.flags & (Exc.IE | Exc.DE | Exc.ZE | Exc.SF) : env.flags;
  let sw = fpuStatus(st) | (flags & (Sw.ExceptionFlags | Sw.SF));
  if (!opts?.keepC1 || (env.flags & Exc.SF)) sw = (sw & ~Sw.C1) | (env.roundedUp && (!blocked || (env.flags & Exc.SF)) ? Sw.C1 : 0);
  if (cc !== undefined && !blocked) {
    const mask = opts?.ccMask ?? (Sw.C0 | Sw.C2 | Sw.C3);
    sw = (sw & ~mask) | (cc & mask);
  }
  if (sw & ~cw & Sw.ExceptionFlags) sw |= Sw.ES | Sw.B;
  setFpuStatus(st, sw);
  return !blocked;
}

/** Waiting instructions first deliver an exception left pending by an earlier unmasking (FLDCW/FLDENV). */
export function checkPending(st: CpuState): void {
  const pending = fpuStatus(st) & ~fpuControl(st) & Sw.ExceptionFlags;
  if (pending) throw faultForFlags(fpuStatus(st) & (pending | Exc.SF));
}

export function memAddress(m: Machine, insn: Insn, op: Operand): number {
  return effectiveAddress(m.st, op, insn.addrSize);
}

/** Faults now if [addr, addr+len) is not writable, so no state changes before a store faults. */
export function probeWrite(m: Machine, addr: number, len: number): void {
  m.mem.check(addr, len, Prot.W, Access.Write);
}

export function readInt(m: Machine, addr: number, size: number): bigint {
  switch (size) {
    case 2: return BigInt((m.mem.read16(addr) << 16) >> 16);
    case 4: return BigInt(m.mem.readI32(addr));
    default: return BigInt.asIntN(64, m.mem.read64(addr));
  }
}

export function writeInt(m: Machine, addr: number, size: number, v: bigint): void {
  switch (size) {
    case 2: m.mem.write16(addr, Number(BigInt.asUintN(16, v))); break;
    case 4: m.mem.write32(addr, Number(BigInt.asUintN(32, v))); break;
    default: m.mem.write64(addr, BigInt.asUintN(64, v));
  }
}

export function readF80(m: Machine, addr: number): F80 { return f80FromBytes(m.mem.readBytes(addr, 10)); }
export function writeF80(m: Machine, addr: number, v: F80): void { m.mem.writeBytes(addr, f80ToBytes(v)); }

/** The raw bits of an m32/m64 real operand. */
export function readRealBits(m: Machine, addr: number, size: number): bigint {
  return size === 4 ? BigInt(m.mem.read32(addr)) : m.mem.read64(addr);
}
