// Guest exception dispatch, first layer: an unhandled fault goes to the top-level filter
// the program registered with SetUnhandledExceptionFilter (MinGW's start-up registers
// one that turns faults into C signals), with a real EXCEPTION_RECORD and CONTEXT.
// Frame-based SEH (__try, .pdata unwinding) and vectored handlers are not dispatched
// yet: a program that needs them sees its fault as unhandled.

import type { CpuState } from '../cpu/state.js';
import { GuestFault, ExceptionCode } from '../mem/fault.js';
import type { Process } from '../../runtime/process.js';
import { TebOff } from '../../runtime/process-env.js';

/**
 * Touching the stack's guard page (or the no-access page below it) means the stack is
 * exhausted: Windows reports STATUS_STACK_OVERFLOW for that.
 */
export function normalizeFault(p: Process, f: GuestFault): GuestFault {
  const low = p.mem.readPtr(p.teb + TebOff.deallocationStack);
  const inGuardArea = f.address >= low && f.address < low + 0x2000;
  if (inGuardArea && (f.code === ExceptionCode.GuardPage || f.code === ExceptionCode.AccessViolation)) {
    return new GuestFault(ExceptionCode.StackOverflow, f.address, f.access);
  }
  return f;
}

const EXCEPTION_RECORD_SIZE = 152;
const CONTEXT_SIZE = 0x4d0;
const CONTEXT_ALL = 0x10001f;
const CONTEXT_GPR = 0x78; // Rax; the others follow in register-number order
const CONTEXT_RIP = 0xf8;
const CONTEXT_EFLAGS = 0x44;
const CONTEXT_MXCSR = 0x34;
const CONTEXT_FLTSAVE = 0x100;
const FXSAVE_XMM = 0xa0;

export const EXCEPTION_EXECUTE_HANDLER = 1;
export const EXCEPTION_CONTINUE_SEARCH = 0;
export const EXCEPTION_CONTINUE_EXECUTION = -1;

export function topLevelFilter(p: Process): number {
  return p.dllState('kernel32.exceptionFilter', () => ({ filter: 0 })).filter;
}

function writeContext(p: Process, at: number, st: CpuState): void {
  const m = p.mem;
  m.fill(at, 0, CONTEXT_SIZE);
  m.write32(at + 0x30, CONTEXT_ALL);
  m.write32(at + CONTEXT_MXCSR, st.mxcsr);
  m.write16(at + 0x38, 0x33); // CS
  for (const off of [0x3a, 0x3c, 0x42]) m.write16(at + off, 0x2b);
  m.write16(at + 0x3e, 0x53); // FS
  m.write16(at + 0x40, 0x2b); // GS
  m.write32(at + CONTEXT_EFLAGS, st.rflags);
  for (let r = 0; r < 16; r++) m.write64Parts(at + CONTEXT_GPR + 8 * r, st.lo(r), st.hi(r));
  m.writePtr(at + CONTEXT_RIP, st.rip);
  m.write32(at + CONTEXT_FLTSAVE + 24, st.mxcsr);
  m.write32(at + CONTEXT_FLTSAVE + 28, 0xffff);
  for (let i = 0; i < 16; i++) m.writeBytes(at + CONTEXT_FLTSAVE + FXSAVE_XMM + 16 * i, m.u8.slice(st.xmmAddr(i), st.xmmAddr(i) + 16));
}

function readContext(p: Process, at: number, st: CpuState): void {
  const m = p.mem;
  for (let r = 0; r < 16; r++) st.set64(r, m.read32(at + CONTEXT_GPR + 8 * r), m.read32(at + CONTEXT_GPR + 8 * r + 4));
  st.rip = m.readPtr(at + CONTEXT_RIP);
  st.rflags = (m.read32(at + CONTEXT_EFLAGS) & 0x3f0fd5) | 0x2;
  st.mxcsr = m.read32(at + CONTEXT_MXCSR) & 0xffff;
  for (let i = 0; i < 16; i++) m.u8.set(m.readBytes(at + CONTEXT_FLTSAVE + FXSAVE_XMM + 16 * i, 16), st.xmmAddr(i));
}

/**
 * Offers an unhandled fault to the program's top-level filter. Returns true when the
 * filter asked to continue execution (the CPU state now holds the context it left),
 * false when the process must end with the fault's code.
 */
export function dispatchUnhandled(p: Process, f: GuestFault): boolean {
  const filter = topLevelFilter(p);
  const state = p.dllState('exceptions.dispatch', () => ({ active: false }));
  if (filter === 0 || state.active) return false;
  state.active = true;
  try {
    return callFilter(p, filter, f);
  } finally {
    state.active = false;
  }
}

function callFilter(p: Process, filter: number, f: GuestFault): boolean {
  const st = p.st;
  const rec = p.dllState('exceptions.record', () => p.alloc(EXCEPTION_RECORD_SIZE + CONTEXT_SIZE + 16 + 16, true));
  const ctx = Math.ceil((rec + EXCEPTION_RECORD_SIZE) / 16) * 16;
  const ptrs = ctx + CONTEXT_SIZE;
  const m = p.mem;
  m.fill(rec, 0, EXCEPTION_RECORD_SIZE);
  m.write32(rec, f.code);
  m.writePtr(rec + 16, st.rip);
  if (f.code === ExceptionCode.AccessViolation) {
    m.write32(rec + 24, 2);
    m.writePtr(rec + 32, f.access);
    m.write64(rec + 40, BigInt.asUintN(64, BigInt(f.address)));
  }
  writeContext(p, ctx, st);
  m.writePtr(ptrs, rec);
  m.writePtr(ptrs + 8, ctx);
  // A stack overflow has used up the stack: run the filter on what the guard page left.
  let verdict: number;
  try {
    verdict = Number(BigInt.asIntN(32, p.callGuest(filter, [ptrs])));
  } catch (e) {
    if (e instanceof GuestFault) return false; // a fault inside the filter: the original one stands
    throw e;
  }
  if (verdict === EXCEPTION_CONTINUE_EXECUTION) {
    readContext(p, ctx, st);
    return true;
  }
  return false;
}
